package dev.airlock.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wabt.Wat2Wasm;
import com.sun.net.httpserver.HttpServer;
import dev.airlock.cli.CliHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --allow-net, --secret and --inject on py: rules, secret injection, usage errors. */
class NetCliTest {
    private static final String SECRET = "cli-secret-4242";
    @TempDir Path tmp;
    private HttpServer server;
    private final List<String> seenAuth = new ArrayList<>();
    private UnaryOperator<String> savedEnv;

    @BeforeEach
    void start() throws IOException {
        savedEnv = NetOptions.environment;
        NetOptions.environment = name -> name.equals("TEST_TOKEN") ? SECRET : null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    String auth = x.getRequestHeaders().getFirst("Authorization");
                    seenAuth.add(String.valueOf(auth));
                    byte[] out = ("auth=" + auth).getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        NetOptions.environment = savedEnv;
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code airlock py} without cache or store, its data in tmp, then {@code args}. */
    private CliHarness.Result py(String... args) {
        return CliHarness.run(
                List.of("py", "--no-cache", "--no-store", "--data=" + tmp.resolve("data")), args);
    }

    @Test
    void allowedRequestCarriesTheInjectedSecretWhichTheGuestNeverSees() throws IOException {
        Path report = tmp.resolve("report.json");
        Path audit = tmp.resolve("audit.jsonl");
        String code =
                "import os, urllib.request, urllib.error\n"
                        + "print(sorted(os.environ))\n"
                        + "print(urllib.request.urlopen('"
                        + base()
                        + "/api/x').read().decode())\n"
                        + "try:\n"
                        + "    urllib.request.urlopen('"
                        + base()
                        + "/other', data=b'x')\n"
                        + "except urllib.error.URLError as e:\n"
                        + "    print(e.reason)\n";
        CliHarness.Result r =
                py(
                        "--allow-net",
                        "GET " + base() + "/",
                        "--secret",
                        "TOK=TEST_TOKEN",
                        "--inject",
                        "TOK header Authorization \"Bearer {}\" for " + base() + "/api/",
                        "--report",
                        report.toString(),
                        "--audit",
                        audit.toString(),
                        "-c",
                        code);
        assertThat(r.guestErr()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(seenAuth).containsExactly("Bearer " + SECRET);
        assertThat(r.guestOut())
                .contains("auth=Bearer [redacted]")
                .contains("network request denied (net.no-rule): no network rule allows POST")
                .doesNotContain(SECRET);
        assertThat(Files.readString(report)).doesNotContain(SECRET);
        assertThat(Files.readString(audit))
                .contains("airlock_http.request")
                .contains("net.no-rule")
                .doesNotContain(SECRET);
    }

    @Test
    void aWasiModuleRequestsThroughAirlockHttp() throws IOException {
        String wire = "GET " + base() + "/x\n\n";
        Path wasm = tmp.resolve("get.wasm");
        Files.write(
                wasm,
                Wat2Wasm.parse(
                        "(module\n"
                                + " (import \"airlock_http\" \"request\" (func $req (param i32 i32) (result i32)))\n"
                                + " (import \"airlock_http\" \"answer\" (func $ans (param i32 i32) (result i32)))\n"
                                + " (import \"wasi_snapshot_preview1\" \"fd_write\""
                                + "   (func $w (param i32 i32 i32 i32) (result i32)))\n"
                                + " (memory (export \"memory\") 2)\n"
                                + " (data (i32.const 1024) \""
                                + wire.replace("\n", "\\0a")
                                + "\")\n"
                                + " (func (export \"_start\") (local $n i32)\n"
                                + "  (local.set $n (call $req (i32.const 1024) (i32.const "
                                + wire.length()
                                + ")))\n"
                                + "  (local.set $n (call $ans (i32.const 8192) (local.get $n)))\n"
                                + "  (i32.store (i32.const 0) (i32.const 8192))\n"
                                + "  (i32.store (i32.const 4) (local.get $n))\n"
                                + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))"));
        CliHarness.Result r =
                CliHarness.run(
                        "run",
                        "--no-cache",
                        "--data=" + tmp.resolve("data"),
                        "--allow-net",
                        "GET " + base() + "/",
                        wasm.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.guestOut()).startsWith("{\"ok\":true,\"result\":{\"status\":200");
        assertThat(seenAuth).hasSize(1);
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliHarness.Result badRule = py("--allow-net", "ftp://example.com/", "-c", "pass");
        assertThat(badRule.code()).isEqualTo(2);
        assertThat(badRule.err())
                .contains(
                        "invalid network rule 'ftp://example.com/': scheme must be http or https");
        CliHarness.Result noVar =
                py("--allow-net", base() + "/", "--secret", "T=NOT_SET_ANYWHERE", "-c", "pass");
        assertThat(noVar.code()).isEqualTo(2);
        assertThat(noVar.err()).contains("environment variable NOT_SET_ANYWHERE is not set");
        CliHarness.Result noRule = py("--secret", "T=TEST_TOKEN", "-c", "pass");
        assertThat(noRule.code()).isEqualTo(2);
        assertThat(noRule.err()).contains("need at least one --allow-net rule");
        CliHarness.Result badInject =
                py(
                        "--allow-net",
                        base() + "/",
                        "--secret",
                        "T=TEST_TOKEN",
                        "--inject",
                        "T header Authorization for https://elsewhere.example.com/",
                        "-c",
                        "pass");
        assertThat(badInject.code()).isEqualTo(2);
        assertThat(badInject.err()).contains("which no network rule allows");
        assertThat(badInject.err() + noVar.err())
                .doesNotContain(SECRET)
                .doesNotContain("Exception");
    }
}
