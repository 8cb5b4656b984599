package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.SecretInjection;
import dev.airlock.egress.ApacheTransport;
import dev.airlock.egress.LocalServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JavaScript's fetch() through the host's network rules, against local servers. */
class JavaScriptFetchTest {
    static CodeInterpreter ci;
    static LocalServer a;
    static LocalServer b;

    @BeforeAll
    static void start() {
        ci = CodeInterpreter.create();
        a = new LocalServer();
        b = new LocalServer();
    }

    @AfterAll
    static void stop() {
        ci.close();
        a.close();
        b.close();
    }

    private static String run(Egress egress, String code) {
        Capture c = new Capture();
        // a generous time limit: a loaded machine must not turn a slow run into a short output
        Execution e =
                ci.run(
                        Language.JAVASCRIPT,
                        code,
                        Policy.builder()
                                .egress(egress)
                                .limits(Limits.builder().timeout(Duration.ofSeconds(90)).build())
                                .build(),
                        c.stdio());
        String limit = e.outcome().limitKind() == null ? "" : e.outcome().message() + "\n";
        return c.out() + c.err() + limit;
    }

    private static Egress.Builder egress(String... rules) {
        Egress.Builder e = Egress.builder().transport(new ApacheTransport());
        for (String r : rules) {
            e.allow(r);
        }
        return e;
    }

    @Test
    void fetchReturnsAStandardResponse() {
        String out =
                run(
                        egress("GET " + a.url("/json")).build(),
                        "const r = await fetch('"
                                + a.url("/json")
                                + "');\n"
                                + "console.log(r.ok, r.status, r.statusText, r.headers.get('content-type'),"
                                + " r.url === '"
                                + a.url("/json")
                                + "', r.redirected);\n"
                                + "console.log(JSON.stringify(await r.json()), r.bodyUsed);\n");
        assertThat(out)
                .isEqualTo(
                        "true 200 OK text/plain true false\n{\"hello\":\"world\",\"n\":42} true\n");
    }

    @Test
    void fetchPostsABodyWithHeaders() {
        String out =
                run(
                        egress("POST " + a.url("/echo")).build(),
                        "const r = await fetch('"
                                + a.url("/echo")
                                + "', {method: 'POST',"
                                + " headers: {'Content-Type': 'application/json', 'X-A': 'b'},"
                                + " body: JSON.stringify({x: 1})});\n"
                                + "console.log(await r.text());\n");
        assertThat(out)
                .startsWith("POST /echo\n")
                .contains("Content-type: [application/json]")
                .contains("X-a: [b]")
                .endsWith("{\"x\":1}\n");
    }

    @Test
    void deniedRequestsAndRedirectsToDeniedHostsRejectWithTheRule() {
        String out =
                run(
                        egress(a.url("/")).build(),
                        "for (const u of ['"
                                + b.url("/echo")
                                + "', '"
                                + a.url("/redirect?to=" + b.url("/echo"))
                                + "']) {\n"
                                + "  try { await fetch(u); console.log('fetched'); }\n"
                                + "  catch (e) { console.log(e.name, e.message); }\n"
                                + "}\n"
                                + "const m = await fetch('"
                                + a.url("/redirect?to=" + b.url("/echo"))
                                + "', {redirect: 'manual'});\n"
                                + "console.log(m.status, m.headers.get('location') === '"
                                + b.url("/echo")
                                + "');\n");
        assertThat(out.lines().toList())
                .hasSize(3)
                .startsWith(
                        "TypeError fetch failed: network request denied (net.no-rule): no network rule"
                                + " allows GET "
                                + b.url("/echo")
                                + " (rules for this host: "
                                + a.url("/")
                                + ")")
                .endsWith("302 true");
        assertThat(out.lines().toList().get(1)).contains("net.no-rule");
        assertThat(b.seenHeaders).isEmpty();
    }

    @Test
    void theSecretNeverReachesJavaScript() {
        String secret = "js-secret-777";
        Egress e =
                egress(a.url("/"))
                        .secret("K", secret)
                        .inject(SecretInjection.parse("K header X-Key for " + a.url("/")))
                        .build();
        String out =
                run(
                        e,
                        "const r = await fetch('"
                                + a.url("/echo")
                                + "');\n"
                                + "console.log(await r.text());\n");
        assertThat(out).contains("X-key: [[redacted]]").doesNotContain(secret);
    }

    @Test
    void largeBodiesWorkUpToTheRequestLimitAndPastItRejectClearly() {
        String out =
                run(
                        egress(a.url("/"))
                                .limits(
                                        dev.airlock.core.net.NetLimits.defaults()
                                                .withMaxBytesOut(4L << 20))
                                .build(),
                        "async function post(n) {\n"
                                + "  try {\n"
                                + "    const r = await fetch('"
                                + a.url("/echo")
                                + "', {method: 'POST', body: 'z'.repeat(n)});\n"
                                + "    return (await r.text()).split('z').length - 1;\n"
                                + "  } catch (e) { return e.message; }\n"
                                + "}\n"
                                + "console.log(await post(3 * 1024 * 1024));\n"
                                + "console.log((await (await fetch('"
                                + a.url("/big?n=5000000")
                                + "')).arrayBuffer()).byteLength);\n"
                                + "console.log(await post(4 * 1024 * 1024 + 512 * 1024));\n"
                                + "console.log(await post(9 * 1024 * 1024));\n");
        assertThat(out)
                .isEqualTo(
                        (3 * 1024 * 1024)
                                + "\n5000000\n"
                                + "fetch failed: network request denied (net.limit.bytes-out):"
                                + " request bytes limit reached (4194304 per run)\n"
                                + "fetch failed: request too large (more than 6640984 bytes: a"
                                + " tool's request is at most 1MiB, a network request's body at"
                                + " most the run's request byte limit)\n");
    }

    @Test
    void bodiesAreUtf8AsTextEncoderMakesThem() {
        String out =
                run(
                        egress(a.url("/")).build(),
                        "const s = 'a\\uD800b\\u00e9\\u{1F600}';\n"
                                + "const r = await fetch('"
                                + a.url("/echo")
                                + "', {method: 'POST', body: s});\n"
                                + "const t = await r.text();\n"
                                + "console.log(JSON.stringify(t.slice(t.lastIndexOf('\\n') + 1)));\n"
                                + "const b = await (await fetch('"
                                + a.url("/echo")
                                + "', {method: 'POST', body: new Uint8Array([0, 255, 128])})).bytes();\n"
                                + "console.log(b.length > 3);\n");
        assertThat(out).isEqualTo("\"a\ufffdb\u00e9\ud83d\ude00\"\ntrue\n");
    }
}
