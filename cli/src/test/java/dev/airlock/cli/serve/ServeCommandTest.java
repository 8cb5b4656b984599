package dev.airlock.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.cli.ChildServer;
import dev.airlock.cli.Main;
import dev.airlock.cli.options.NetOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code airlock serve} in a child JVM: bootstrap key, a run, a graceful stop on SIGTERM. */
class ServeCommandTest {
    @Test
    void servesWithTheBootstrapKeyAndStopsGracefully(@TempDir Path data) throws Exception {
        String key = ChildServer.KEY;
        try (ChildServer server =
                ChildServer.start(
                        data,
                        "--memory-budget",
                        "1GiB",
                        "--tenant-memory",
                        "384MiB",
                        "--log-format",
                        "json",
                        "--log",
                        data.resolve("serve.log").toString())) {
            assertThat(server.announcement).contains("memory budget 1GiB, 384MiB per tenant");
            URI base = server.base;
            HttpResponse<String> r =
                    server.postJson(
                            "/v1/executions",
                            "{\"language\":\"javascript\",\"code\":\"console.log(7)\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"stdout\":\"7\\n\"");
            HttpResponse<String> tooBig =
                    server.postJson(
                            "/v1/executions",
                            "{\"language\":\"javascript\",\"code\":\"1\","
                                    + "\"limits\":{\"memoryBytes\":536870912}}");
            assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(400);
            assertThat(tooBig.body()).contains("384MiB a tenant may hold");
            HttpResponse<String> denied =
                    server.send(
                            HttpRequest.newBuilder(base.resolve("/v1/sessions"))
                                    .header("Authorization", "Bearer wrong-key-0123456789"));
            assertThat(denied.statusCode()).isEqualTo(401);
            server.stop();
            assertThat(Files.exists(data.resolve("airlock.db"))).isTrue();
            // one JSON line per request, in the file, without the keys
            List<String> log = Files.readAllLines(data.resolve("serve.log"));
            com.fasterxml.jackson.databind.ObjectMapper json =
                    new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            for (String l : log) {
                lines.add(json.readTree(l));
            }
            assertThat(lines)
                    .anySatisfy(
                            l -> {
                                assertThat(l.get("event").asText()).isEqualTo("request");
                                assertThat(l.get("path").asText()).isEqualTo("/v1/executions");
                                assertThat(l.get("status").asInt()).isEqualTo(200);
                                assertThat(l.get("run_id").asText()).isNotEmpty();
                                assertThat(l.get("request_id").asText()).isNotEmpty();
                            })
                    .anySatisfy(l -> assertThat(l.get("status").asInt()).isEqualTo(401));
            assertThat(String.join("\n", log)).doesNotContain(key, "wrong-key-0123456789");
        }
    }

    @Test
    void refusesAnUnknownLogFormatBeforeStarting(@TempDir Path data) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code =
                Main.commandLine(
                                new java.io.PrintWriter(new java.io.StringWriter()),
                                new java.io.PrintWriter(err, true))
                        .execute(
                                "serve",
                                "--port",
                                "0",
                                "--log-format",
                                "xml",
                                "--data",
                                data.toString());
        assertThat(code).as(err.toString()).isEqualTo(Main.USAGE);
        assertThat(err.toString())
                .contains("log format must be text or json: xml")
                .doesNotContain("Exception", "at dev.");
        assertThat(Files.exists(data.resolve("airlock.db"))).isFalse();
    }

    @Test
    void refusesBadMemorySettingsBeforeStarting(@TempDir Path data) {
        for (String[] bad :
                new String[][] {
                    {"--memory-budget", "1KiB"},
                    {"--memory-budget", "lots"},
                    {"--tenant-memory", "-5MiB"},
                    {"--memory-budget", "64MiB", "--tenant-memory", "128MiB"}
                }) {
            java.io.StringWriter err = new java.io.StringWriter();
            List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", "0"));
            args.addAll(List.of(bad));
            args.addAll(List.of("--data", data.toString()));
            int code =
                    Main.commandLine(
                                    new java.io.PrintWriter(new java.io.StringWriter()),
                                    new java.io.PrintWriter(err, true))
                            .execute(args.toArray(new String[0]));
            assertThat(code).as(String.join(" ", bad) + ": " + err).isEqualTo(Main.USAGE);
            assertThat(err.toString())
                    .as(String.join(" ", bad))
                    .containsAnyOf("memory", "size")
                    .doesNotContain("Exception", "at dev.");
            assertThat(Files.exists(data.resolve("airlock.db"))).isFalse();
        }
    }

    @Test
    void refusesBadSecretOptionsBeforeStartingAndNeverShowsAValue(@TempDir Path data) {
        java.util.function.UnaryOperator<String> saved = NetOptions.environment;
        NetOptions.environment = name -> name.equals("SERVE_TOKEN") ? "serve-secret-0451" : null;
        try {
            String[][] cases = {
                {"--secret", "API=SERVE_TOKEN"},
                {"--secret-tenants", "API=acme"},
                {"--api-allow-net", "https://api.example.com/", "--secret", "API=UNSET_VAR_X"},
                {
                    "--api-allow-net",
                    "https://api.example.com/",
                    "--secret",
                    "API=SERVE_TOKEN",
                    "--inject",
                    "API header Authorization for https://other.example.com/"
                },
                {
                    "--api-allow-net",
                    "https://api.example.com/",
                    "--secret",
                    "API=SERVE_TOKEN",
                    "--secret-tenants",
                    "NOPE=acme"
                },
            };
            String[] expected = {
                "need at least one --api-allow-net rule",
                "need at least one --api-allow-net rule",
                "environment variable UNSET_VAR_X is not set",
                "which no network rule allows",
                "secret tenants: no secret named NOPE",
            };
            for (int i = 0; i < cases.length; i++) {
                java.io.StringWriter err = new java.io.StringWriter();
                List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", "0"));
                args.addAll(List.of(cases[i]));
                args.addAll(List.of("--data", data.toString()));
                int code =
                        Main.commandLine(
                                        new java.io.PrintWriter(new java.io.StringWriter()),
                                        new java.io.PrintWriter(err, true))
                                .execute(args.toArray(new String[0]));
                assertThat(code).as(err.toString()).isEqualTo(Main.USAGE);
                assertThat(err.toString())
                        .contains(expected[i])
                        .doesNotContain("serve-secret-0451", "Exception", "at dev.");
            }
        } finally {
            NetOptions.environment = saved;
        }
    }
}
