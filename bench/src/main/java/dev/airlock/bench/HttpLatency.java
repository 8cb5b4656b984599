package dev.airlock.bench;

import dev.airlock.audit.store.NewKey;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.server.AirlockServer;
import dev.airlock.server.ServerConfig;
import dev.airlock.server.api.ExecutionRequest;
import dev.airlock.server.service.OutputListener;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency and throughput of the HTTP API with a real client: Python {@code print(1)} and JavaScript
 * {@code console.log(1)} at concurrency 1 and 16, against the same execution called in the same
 * process without HTTP (the service's {@code execute}), measured alternately in one JVM. Prints
 * p50, p99, requests per second and the HTTP / in-process ratio of the medians.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.airlock.bench.HttpLatency [requests]}
 * (default 500 per figure).
 */
public final class HttpLatency {
    private HttpLatency() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path data = Files.createTempDirectory("airlock-bench-http");
        String key;
        try (Store store = Store.open(data)) {
            store.tenants()
                    .create(
                            "bench",
                            TenantLimits.defaults()
                                    .withMaxConcurrentRuns(64)
                                    .withMaxRunsPerMinute(10_000_000));
            NewKey k = store.apiKeys().create("bench", false, "bench");
            key = k.secret();
        }
        System.out.printf(
                Locale.ROOT,
                "HTTP API latency, %d requests per figure; %d CPUs, load average %.1f%n",
                n,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (AirlockServer server =
                AirlockServer.start(ServerConfig.builder().port(0).build(), data)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var principal = server.service().authenticate(key);
            String[][] cases = {
                {"python", "print(1)"}, {"javascript", "console.log(1)"},
            };
            for (String[] c : cases) {
                String body = "{\"language\":\"" + c[0] + "\",\"code\":\"" + c[1] + "\"}";
                ExecutionRequest req =
                        new ExecutionRequest(
                                c[0], c[1], null, null, null, null, null, null, null, null, null);
                Runnable direct =
                        () -> {
                            var r = server.service().execute(principal, req, OutputListener.NONE);
                            if (!r.stdout().equals("1\n")) {
                                throw new IllegalStateException(r.toString());
                            }
                        };
                Runnable overHttp =
                        () -> {
                            try {
                                HttpResponse<String> r =
                                        http.send(
                                                HttpRequest.newBuilder(
                                                                server.uri()
                                                                        .resolve("/v1/executions"))
                                                        .header("Authorization", "Bearer " + key)
                                                        .header("Content-Type", "application/json")
                                                        .POST(
                                                                HttpRequest.BodyPublishers.ofString(
                                                                        body))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() != 200
                                        || !r.body().contains("\"stdout\":\"1\\n\"")) {
                                    throw new IllegalStateException(r.body());
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        };
                measure(direct, Math.max(50, n / 5), 1); // warm-up
                measure(overHttp, Math.max(50, n / 5), 1);
                for (int concurrency : new int[] {1, 16}) {
                    Figure d = measure(direct, n, concurrency);
                    Figure h = measure(overHttp, n, concurrency);
                    System.out.printf(
                            Locale.ROOT,
                            "%-10s c=%-2d  HTTP p50 %6.2f ms  p99 %6.2f ms  %6.1f req/s | in-process p50"
                                    + " %6.2f ms  p99 %6.2f ms  %6.1f req/s | p50 ratio %.2f%n",
                            c[0],
                            concurrency,
                            h.p50,
                            h.p99,
                            h.perSecond,
                            d.p50,
                            d.p99,
                            d.perSecond,
                            h.p50 / d.p50);
                }
            }
        }
    }

    record Figure(double p50, double p99, double perSecond) {}

    static Figure measure(Runnable call, int n, int concurrency) throws Exception {
        double[] millis = new double[n];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                fs.add(
                        pool.submit(
                                () -> {
                                    int i;
                                    while ((i = next.getAndIncrement()) < n) {
                                        long t0 = System.nanoTime();
                                        call.run();
                                        millis[i] = (System.nanoTime() - t0) / 1e6;
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(millis);
        return new Figure(
                millis[n / 2], millis[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)], n / seconds);
    }
}
