package dev.airlock.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code --server}: a warm {@code ./airlock serve} against fresh processes. */
final class ServerSpeed extends SpeedBase {
    ServerSpeed(SpeedBase settings) {
        super(settings);
    }

    // ---------------------------------------------------------------- warm server

    void server() throws Exception {
        if (python3 == null) {
            System.out.println("\nserver: skipped (no python3)");
            return;
        }
        List<Path> progs = programs("python", ".py");
        if (filter == null) {
            // the two quickest: the server's timeout ceiling is 60 s per request
            progs =
                    progs.stream()
                            .filter(
                                    p ->
                                            List.of("nbody.py", "spectral_norm.py")
                                                    .contains(p.getFileName().toString()))
                            .toList();
        }
        String airlock = root.resolve("airlock").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] k = new byte[24];
        new SecureRandom().nextBytes(k);
        String key = "bench-" + HexFormat.of().formatHex(k);
        Path data = Files.createDirectories(tmp.resolve("server-data"));
        Path log = tmp.resolve("server.log");
        ProcessBuilder pb =
                new ProcessBuilder(
                        airlock,
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--data",
                        data.toString());
        pb.environment().put("AIRLOCK_BOOTSTRAP_KEY", key);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        System.out.printf(
                Locale.ROOT,
                "%nWarm server against fresh processes: %d program(s) POSTed to ./airlock serve"
                        + " (127.0.0.1:%d, after %d warm-up request(s) each) against ./airlock py FILE,"
                        + " interleaved; wall = the request's round trip / the whole process%n",
                progs.size(),
                port,
                serverWarmup);
        Process server = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        try {
            waitHealthy(http, port, server, log);
            SpeedTable own =
                    new SpeedTable(
                                    "Warm server / fresh ./airlock py process: the program's own compute (ms)",
                                    "ms")
                            .subject("server");
            SpeedTable wall =
                    new SpeedTable(
                                    "Warm server / fresh ./airlock py process: request round trip"
                                            + " / whole process wall (ms)",
                                    "ms")
                            .subject("server");
            for (Path p : progs) {
                String name = p.getFileName().toString();
                String code = Files.readString(p);
                List<String> notes = new ArrayList<>();
                String body =
                        json.writeValueAsString(
                                Map.of(
                                        "language",
                                        "python",
                                        "code",
                                        code,
                                        "limits",
                                        Map.of("timeoutMs", 60000)));
                // a process of its own each time, not the resident process
                List<String> fresh = ownProcess("py", "--timeout", "60s", p.toString());
                for (int i = 0; i < serverWarmup; i++) {
                    post(http, json, port, key, body, notes); // warm-up
                }
                timed(fresh, notes, "fresh process");
                double[] sOwn = new double[iterations];
                double[] sWall = new double[iterations];
                double[] fOwn = new double[iterations];
                double[] fWall = new double[iterations];
                for (int i = 0; i < iterations; i++) {
                    double[] s = post(http, json, port, key, body, notes);
                    sOwn[i] = s[0];
                    sWall[i] = s[1];
                    ProcResult r = timed(fresh, notes, "fresh process");
                    fOwn[i] = ms(r.out());
                    fWall[i] = r.wallMs();
                }
                String note = String.join("; ", new LinkedHashSet<>(notes));
                own.add(name, sOwn, Map.of("fresh", fOwn), note);
                wall.add(name, sWall, Map.of("fresh", fWall), "");
                System.out.printf(
                        Locale.ROOT,
                        "  %-20s server %s ms own / %s ms round trip, fresh process %s ms own /"
                                + " %s ms wall; own ms of each pair: %s%n",
                        name,
                        SpeedTable.fmt(SpeedTable.median(sOwn)),
                        SpeedTable.fmt(SpeedTable.median(sWall)),
                        SpeedTable.fmt(SpeedTable.median(fOwn)),
                        SpeedTable.fmt(SpeedTable.median(fWall)),
                        pairs(sOwn, fOwn));
            }
            own.print(System.out);
            wall.print(System.out);
        } finally {
            server.destroy(); // SIGTERM: a graceful stop
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    static String pairs(double[] a, double[] b) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            l.add(SpeedTable.fmt(a[i]) + "/" + SpeedTable.fmt(b[i]));
        }
        return String.join(" ", l);
    }

    static void waitHealthy(HttpClient http, int port, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException(
                        "./airlock serve exited "
                                + server.exitValue()
                                + ": "
                                + abbreviate(Files.readString(log)));
            }
            try {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/healthz"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("./airlock serve did not answer /healthz within 3 minutes");
    }

    /** One execution: {own ms, round-trip ms}; NaN and a note on failure. */
    double[] post(
            HttpClient http,
            ObjectMapper json,
            int port,
            String key,
            String body,
            List<String> notes)
            throws InterruptedException {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/executions"))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            double wall = (System.nanoTime() - t0) / 1e6;
            JsonNode n = json.readTree(r.body());
            String stdout = n.path("stdout").asText("");
            if (r.statusCode() != 200 || !"ok".equals(n.path("status").asText())) {
                fail();
                notes.add("server: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {ms(stdout), wall};
        } catch (IOException e) {
            fail();
            notes.add("server: " + e);
            return new double[] {Double.NaN, Double.NaN};
        }
    }
}
