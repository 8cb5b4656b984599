package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code otlpEndpoint} sends the spans as OTLP over HTTP to a collector, here a local stand-in that
 * keeps what it receives; and an unreachable collector costs spans, not requests.
 */
class OtlpExportTest {
    record Received(String path, String contentType, byte[] body) {}

    @Test
    void spansReachTheCollectorAsProtobuf() throws Exception {
        List<Received> got = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext(
                "/",
                ex -> {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    ex.getRequestBody().transferTo(body);
                    got.add(
                            new Received(
                                    ex.getRequestURI().getPath(),
                                    ex.getRequestHeaders().getFirst("Content-Type"),
                                    body.toByteArray()));
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        collector.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort());
            try (ServerKit kit = ServerKit.start(b -> b.otlpEndpoint(endpoint))) {
                String key = kit.key("acme");
                var r =
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"wasm\",\"module\":\""
                                        + TracingTest.module()
                                        + "\"}");
                assertThat(r.statusCode()).isEqualTo(200);
            } // stopping the server flushes its spans
        } finally {
            collector.stop(0);
        }
        assertThat(got).isNotEmpty();
        assertThat(got).allSatisfy(x -> assertThat(x.path()).isEqualTo("/v1/traces"));
        assertThat(got)
                .allSatisfy(x -> assertThat(x.contentType()).isEqualTo("application/x-protobuf"));
        // protobuf keeps strings as they are: the span and resource names are in the bytes
        String all =
                got.stream()
                        .map(x -> new String(x.body(), StandardCharsets.ISO_8859_1))
                        .reduce("", String::concat);
        assertThat(all).contains("airlock.run", "POST /v1/executions", "airlock");
    }

    @Test
    void anUnreachableCollectorLosesSpansNotRequests() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try (ServerKit kit = ServerKit.start(b -> b.otlpEndpoint(endpoint))) {
            String key = kit.key("acme");
            for (int i = 0; i < 3; i++) {
                var r =
                        kit.post(
                                "/v1/executions",
                                key,
                                "{\"language\":\"wasm\",\"module\":\""
                                        + TracingTest.module()
                                        + "\"}");
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }
}
