package dev.airlock.cli.skill;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.airlock.cli.CliHarness;
import dev.airlock.cli.options.NetOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skill run --allow-net --secret --inject}: a skill's declared net rules within the
 * operator's, secrets bound at run; {@code skill pack} refuses a bad rule; {@code skill show} lists
 * the rules.
 */
class SkillNetCliTest {
    private static final String SECRET = "skill-cli-secret-7788";
    @TempDir Path tmp;
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private UnaryOperator<String> savedEnv;

    @BeforeEach
    void start() throws IOException {
        savedEnv = NetOptions.environment;
        NetOptions.environment = name -> name.equals("SKILL_TOKEN") ? SECRET : null;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    String auth = x.getRequestHeaders().getFirst("Authorization");
                    seen.add(x.getRequestURI().getPath() + " " + auth);
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

    private String data() {
        return "--data=" + tmp.resolve("data");
    }

    private Path skill(String net) throws IOException {
        Path dir = tmp.resolve("fetch");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("skill.json"),
                "{\"name\":\"fetch\",\"version\":\"1.0.0\",\"description\":\"fetches\","
                        + "\"publisher\":\"acme\",\"tools\":[{\"name\":\"get\",\"description\":\"g\","
                        + "\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"object\"}}],"
                        + "\"entry\":{\"kind\":\"python\",\"file\":\"main.py\"},"
                        + "\"capabilities\":{\"net\":"
                        + net
                        + "}}");
        Files.writeString(
                dir.resolve("main.py"),
                "import json, sys, urllib.request, urllib.error\n"
                        + "out = {}\n"
                        + "for k, u in json.load(sys.stdin).items():\n"
                        + "    try:\n"
                        + "        out[k] = urllib.request.urlopen(u).read().decode()\n"
                        + "    except urllib.error.URLError as e:\n"
                        + "        out[k] = 'refused: ' + str(e.reason)\n"
                        + "print(json.dumps(out))\n");
        return dir;
    }

    @Test
    void aSkillRunsWithItsDeclaredRulesWithinTheOperatorsAndTheirSecret() throws IOException {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = skill("{\"allow\":[\"GET " + base() + "/api/\"],\"limits\":{\"requests\":5}}");
        CliHarness.ok("skill", "sign", dir.toString(), "--key", "acme", data());
        CliHarness.ok("skill", "install", dir.toString(), data());
        assertThat(CliHarness.ok("skill", "show", "fetch", data()).out())
                .contains("declares     net GET " + base() + "/api/")
                .contains("net limits   requests 5, out -, in -, timeout -, concurrent -")
                .containsPattern("imports\\s+\\(interpreter skill");
        String input = "{\"api\":\"" + base() + "/api/x\",\"admin\":\"" + base() + "/admin/x\"}";
        Path audit = tmp.resolve("audit.jsonl");
        CliHarness.Result r =
                CliHarness.ok(
                        "skill",
                        "run",
                        "fetch",
                        "--input",
                        input,
                        "--allow-net",
                        base() + "/",
                        "--secret",
                        "TOK=SKILL_TOKEN",
                        "--inject",
                        "TOK header Authorization \"Bearer {}\" for " + base() + "/",
                        "--audit",
                        audit.toString(),
                        data());
        assertThat(r.guestOut())
                .contains("\"api\":\"auth=Bearer [redacted]\"")
                .contains("\"admin\":\"refused: network request denied (net.no-rule)")
                .doesNotContain(SECRET);
        assertThat(seen).containsExactly("/api/x Bearer " + SECRET);
        assertThat(Files.readString(audit)).contains("airlock_http.request").doesNotContain(SECRET);
        assertThat(r.err()).doesNotContain(SECRET);

        // declared, but the operator allows another path only: refused, and said so
        CliHarness.Result narrow =
                CliHarness.ok(
                        "skill",
                        "run",
                        "fetch",
                        "--input",
                        input,
                        "--allow-net",
                        base() + "/admin/",
                        "--no-store",
                        data());
        assertThat(narrow.guestOut())
                .contains("\"api\":\"refused: network request denied (net.none)");
        assertThat(narrow.err())
                .contains(
                        "airlock: note: net GET "
                                + base()
                                + "/api/ declared but not allowed: denied")
                .contains(
                        "airlock: note: net "
                                + base()
                                + "/admin/ allowed but not declared: not granted");
        assertThat(seen).hasSize(1);
    }

    @Test
    void packAndSignRefuseABadRuleWithAClearMessage() throws IOException {
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data());
        Path dir = skill("[\"GET api.example.com/v1/\"]");
        CliHarness.Result pack =
                CliHarness.run(
                        "skill", "pack", dir.toString(), "-o", tmp.resolve("x.skill").toString());
        assertThat(pack.code()).isNotZero();
        assertThat(pack.err().strip())
                .isEqualTo(
                        "airlock: invalid skill: skill.json: capabilities.net[0]: invalid network rule 'GET"
                                + " api.example.com/v1/': expected SCHEME://HOST, e.g."
                                + " https://api.example.com/");
        CliHarness.Result sign =
                CliHarness.run("skill", "sign", dir.toString(), "--key", "acme", data());
        assertThat(sign.code()).isNotZero();
        assertThat(sign.err()).contains("capabilities.net[0]: invalid network rule");
    }
}
