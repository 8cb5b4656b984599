package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code airlock serve --port 0 --data DATA [ARGS]} in a child JVM with a bootstrap key, up once it
 * has announced its address on stderr; closing it kills the process if {@link #stop} did not end
 * it.
 */
public final class ChildServer implements AutoCloseable {
    /** The bootstrap API key the server starts with. */
    public static final String KEY = "bootstrap-key-for-tests-0123456789";

    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");

    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The address the server announced. */
    public final URI base;

    /** The stderr line that announced the address. */
    public final String announcement;

    private ChildServer(Process process, URI base, String announcement) {
        this.process = process;
        this.base = base;
        this.announcement = announcement;
    }

    /** Starts the server on {@code data} with {@code args}; returns once it has announced. */
    public static ChildServer start(Path data, String... args) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "dev.airlock.cli.Main",
                                "serve",
                                "--port",
                                "0"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data", data.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AIRLOCK_BOOTSTRAP_KEY", KEY);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            BufferedReader err =
                    new BufferedReader(
                            new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = err.readLine()) != null) {
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    return new ChildServer(p, URI.create(m.group(1)), line);
                }
            }
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        p.destroyForcibly();
        throw new AssertionError("the server did not announce its address");
    }

    /** Sends {@code request} (headers as given: add the key where it is wanted). */
    public HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code json} to {@code path} with the bootstrap key. */
    public HttpResponse<String> postJson(String path, String json)
            throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Asks the server to stop (SIGTERM) and checks that it ends within a minute. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stopped").isTrue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
