package dev.airlock.skills;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.airlock.core.event.EventSink;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.NetRule;
import dev.airlock.core.net.SecretInjection;
import dev.airlock.egress.ApacheTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A skill's network is its declared rules intersected with the operator's: against a local server,
 * declared and allowed requests go through (with the operator's secret, which the skill never
 * sees), undeclared ones and declared ones the operator did not allow are refused before any
 * connection.
 */
class SkillNetTest {
    static final SkillRunner RUNNER = new SkillRunner(Fixture.AIRLOCK);
    private static final String SECRET = "skill-net-secret-5150";

    @TempDir Path tmp;
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    String auth = x.getRequestHeaders().getFirst("Authorization");
                    seen.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " " + auth);
                    byte[] out =
                            ("path=" + x.getRequestURI().getPath() + " auth=" + auth)
                                    .getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @AfterAll
    static void close() {
        RUNNER.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The operator's network: {@code rules}, and secret TOK injected for {@code /api/}. */
    private Egress.Builder operator(String... rules) {
        Egress.Builder e = Egress.builder().transport(new ApacheTransport());
        for (String r : rules) {
            e.allow(r);
        }
        return e;
    }

    private Egress withSecret(Egress.Builder e) {
        return e.secret("TOK", SECRET)
                .inject(
                        SecretInjection.parse(
                                "TOK header Authorization \"Bearer {}\" for " + base() + "/api/"))
                .build();
    }

    private static final String PY =
            "import json, os, sys, urllib.request, urllib.error\n"
                    + "urls = json.load(sys.stdin)['urls']\n"
                    + "out = {'env': ' '.join(sorted(os.environ))}\n"
                    + "for k, u in urls.items():\n"
                    + "    try:\n"
                    + "        out[k] = urllib.request.urlopen(u).read().decode()\n"
                    + "    except urllib.error.URLError as e:\n"
                    + "        out[k] = 'refused: ' + str(e.reason)\n"
                    + "print(json.dumps(out))\n";

    private static final String JS =
            "const urls = JSON.parse(airlock.readStdin()).urls;\n"
                    + "const out = {};\n"
                    + "for (const [k, u] of Object.entries(urls)) {\n"
                    + "  try { out[k] = await (await fetch(u)).text(); }\n"
                    + "  catch (e) { out[k] = 'refused: ' + e.message; }\n"
                    + "}\n"
                    + "console.log(JSON.stringify(out));\n";

    private static SkillFiles skill(String name, String kind, String code, String caps) {
        TreeMap<String, byte[]> f = new TreeMap<>();
        String file = kind.equals("python") ? "main.py" : "main.js";
        f.put(file, Fixture.utf8(code));
        f.put(Manifest.FILE, Fixture.utf8(Fixture.manifest(name, "1.0.0", kind, file, caps)));
        return new SkillFiles(f);
    }

    private SkillRunner.Result run(Fixture fx, String name, String input, Allowance a)
            throws Exception {
        Registry.Installed s = fx.registry.get(name, null, Fixture.AIRLOCK);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SkillRunner.Result r =
                RUNNER.run(
                        s, null, input.getBytes(StandardCharsets.UTF_8), a, err, EventSink.none());
        assertThat(r.exitCode())
                .as("%s %s: %s %s", r.outcome(), r.problem(), err, new String(r.stdout()))
                .isZero();
        return r;
    }

    private String urls() {
        return "{\"urls\":{\"api\":\"" + base() + "/api/x\",\"admin\":\"" + base() + "/admin\"}}";
    }

    @Test
    void aPythonSkillGetsWhatItDeclaredAndTheOperatorAllowedAndNothingElse() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(skill("fetcher", "python", PY, "{\"net\":[\"GET " + base() + "/api/\"]}"));
        SkillRunner.Result r =
                run(
                        fx,
                        "fetcher",
                        urls(),
                        Allowance.nothing().withNet(withSecret(operator(base() + "/"))));
        // declared and allowed: made, with the operator's secret, which the skill never sees
        assertThat(r.output().get("api").asText()).isEqualTo("path=/api/x auth=Bearer [redacted]");
        // allowed by the operator but not declared: refused
        assertThat(r.output().get("admin").asText())
                .isEqualTo(
                        "refused: network request denied (net.no-rule): no network rule allows"
                                + " GET "
                                + base()
                                + "/admin (rules for this host: GET "
                                + base()
                                + "/api/)");
        assertThat(seen).containsExactly("GET /api/x Bearer " + SECRET);
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(r.output().get("env").asText()).isEqualTo("AIRLOCK_TOOL");
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void declaredButNotAllowedByTheOperatorIsRefused() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(skill("fetcher", "python", PY, "{\"net\":[\"GET " + base() + "/api/\"]}"));
        SkillRunner.Result r =
                run(
                        fx,
                        "fetcher",
                        urls(),
                        Allowance.nothing()
                                .withNet(
                                        withSecret(
                                                operator(
                                                        base() + "/admin/", base() + "/api/v2/"))));
        assertThat(r.output().get("api").asText())
                .startsWith("refused: network request denied (net.no-rule)");
        assertThat(r.output().get("admin").asText())
                .startsWith("refused: network request denied (net.no-rule)");
        assertThat(r.notes())
                .containsExactly(
                        "net GET "
                                + base()
                                + "/api/ declared but allowed only as: GET "
                                + base()
                                + "/api/v2/",
                        "net " + base() + "/admin/ allowed but not declared: not granted");
        // no operator network at all
        SkillRunner.Result none = run(fx, "fetcher", urls(), Allowance.nothing());
        assertThat(none.output().get("api").asText())
                .isEqualTo("refused: network request denied (net.none): no network is granted");
        assertThat(none.notes())
                .containsExactly("net GET " + base() + "/api/ declared but not allowed: denied");
        assertThat(seen).isEmpty();
    }

    @Test
    void aSkillThatDeclaresNoNetworkGetsNoneWhateverTheOperatorAllows() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(skill("offline", "python", PY, "{}"));
        SkillRunner.Result r =
                run(
                        fx,
                        "offline",
                        urls(),
                        Allowance.nothing().withNet(withSecret(operator(base() + "/"))));
        assertThat(r.output().get("api").asText())
                .isEqualTo("refused: network request denied (net.none): no network is granted");
        assertThat(r.notes())
                .containsExactly("net " + base() + "/ allowed but not declared: not granted");
        assertThat(seen).isEmpty();
    }

    @Test
    void aJavaScriptSkillFetchesWithinTheIntersection() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(skill("jsfetch", "javascript", JS, "{\"net\":[\"" + base() + "/api/\"]}"));
        SkillRunner.Result r =
                run(
                        fx,
                        "jsfetch",
                        urls(),
                        Allowance.nothing().withNet(withSecret(operator("GET " + base() + "/"))));
        assertThat(r.output().get("api").asText()).isEqualTo("path=/api/x auth=Bearer [redacted]");
        assertThat(r.output().get("admin").asText())
                .startsWith("refused: fetch failed: network request denied (net.no-rule)");
        assertThat(r.notes())
                .containsExactly(
                        "net "
                                + base()
                                + "/api/ declared but allowed only as: GET "
                                + base()
                                + "/api/");
        assertThat(seen).containsExactly("GET /api/x Bearer " + SECRET);
    }

    @Test
    void theSkillsOwnLimitsApplyWithinTheOperators() throws Exception {
        Fixture fx = new Fixture(tmp);
        fx.install(
                skill(
                        "frugal",
                        "python",
                        PY,
                        "{\"net\":{\"allow\":[\"" + base() + "/\"],\"limits\":{\"requests\":1}}}"));
        String twice = "{\"urls\":{\"a\":\"" + base() + "/api/1\",\"b\":\"" + base() + "/api/2\"}}";
        SkillRunner.Result r =
                run(
                        fx,
                        "frugal",
                        twice,
                        Allowance.nothing().withNet(operator(base() + "/").build()));
        assertThat(r.output().get("a").asText()).startsWith("path=/api/1");
        assertThat(r.output().get("b").asText())
                .isEqualTo(
                        "refused: network request denied (net.limit.requests): request limit"
                                + " reached (1 per run)");
        assertThat(seen).hasSize(1);
    }

    @Test
    void aWasmSkillRequestsThroughAirlockHttpOnlyWhenItDeclaresNet() throws Exception {
        String wire = "GET " + base() + "/api/w\n\n";
        String wat =
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
                        + "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))";
        Fixture fx = new Fixture(tmp);
        fx.install(Fixture.wasm("wnet", "1.0.0", wat, "{\"net\":[\"GET " + base() + "/api/\"]}"));
        SkillRunner.Result ok =
                run(fx, "wnet", "{}", Allowance.nothing().withNet(operator(base() + "/").build()));
        assertThat(ok.output().get("ok").asBoolean()).isTrue();
        assertThat(ok.output().get("result").get("status").asInt()).isEqualTo(200);
        assertThat(seen).containsExactly("GET /api/w null");
        SkillRunner.Result denied =
                run(
                        fx,
                        "wnet",
                        "{}",
                        Allowance.nothing().withNet(operator(base() + "/admin/").build()));
        assertThat(denied.output().get("ok").asBoolean()).isFalse();
        assertThat(denied.output().get("rule").asText()).isEqualTo("net.none");
        assertThat(seen).hasSize(1);
    }

    @Test
    void theOperatorsSecretGoesOnlyWhereTheSkillsRulesReach() {
        String local = "http://localhost:" + server.getAddress().getPort();
        Egress offered = withSecret(operator(base() + "/", local + "/"));
        List<String> notes = new java.util.ArrayList<>();
        Manifest.NetGrant elsewhere =
                new Manifest.NetGrant(
                        List.of(NetRule.parse(local + "/api/")), null, null, null, null, null);
        Egress e = Grants.net(elsewhere, offered, notes);
        assertThat(e.injections()).isEmpty();
        assertThat(notes)
                .containsExactly(
                        "net " + base() + "/ allowed but not declared: not granted",
                        "secret TOK not injected: the skill's network rules do not reach its"
                                + " destination");
        Manifest.NetGrant same =
                new Manifest.NetGrant(
                        List.of(NetRule.parse("GET " + base() + "/api/v2/")),
                        2,
                        null,
                        null,
                        null,
                        null);
        Egress kept = Grants.net(same, offered, new java.util.ArrayList<>());
        assertThat(kept.injections()).extracting(SecretInjection::secret).containsExactly("TOK");
        assertThat(kept.rules())
                .extracting(Object::toString)
                .containsExactly("GET " + base() + "/api/v2/");
        assertThat(kept.limits().maxRequests()).isEqualTo(2);
    }
}
