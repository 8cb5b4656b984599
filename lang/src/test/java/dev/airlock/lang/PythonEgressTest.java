package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.SecretInjection;
import dev.airlock.egress.ApacheTransport;
import dev.airlock.egress.LocalServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python's urllib and http.client through the host's network rules, against local servers. */
class PythonEgressTest {
    private static final String SECRET = "py-s3cret-value-0123";
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

    private static Egress.Builder egress(String... rules) {
        Egress.Builder e = Egress.builder().transport(new ApacheTransport());
        for (String r : rules) {
            e.allow(r);
        }
        return e;
    }

    private static String run(Egress egress, String code, List<Event> events) {
        Capture c = new Capture();
        ci.run(
                Language.PYTHON,
                code,
                Policy.builder().egress(egress).build(),
                c.stdio(),
                events::add);
        return c.out() + c.err();
    }

    private static String run(Egress egress, String code) {
        return run(egress, code, new ArrayList<>());
    }

    @Test
    void urlopenAndJsonRoundTrip() {
        List<Event> events = new ArrayList<>();
        String out =
                run(
                        egress("GET " + a.url("/json")).build(),
                        "import json, urllib.request\n"
                                + "with urllib.request.urlopen('"
                                + a.url("/json")
                                + "') as r:\n"
                                + "    print(r.status, r.headers['Content-Type'], json.load(r))\n",
                        events);
        assertThat(out).isEqualTo("200 text/plain {'hello': 'world', 'n': 42}\n");
        assertThat(events)
                .filteredOn(
                        e ->
                                e instanceof HostCallEvent h
                                        && h.call().equals("airlock_http.request"))
                .singleElement()
                .satisfies(
                        e -> assertThat(((HostCallEvent) e).args()).containsEntry("status", 200));
    }

    @Test
    void httpClientPostsABody() {
        String out =
                run(
                        egress("POST " + a.url("/echo")).build(),
                        "import http.client\n"
                                + "c = http.client.HTTPConnection('127.0.0.1', "
                                + a.port()
                                + ")\n"
                                + "c.request('POST', '/echo', body=b'{\"x\": 1}',"
                                + " headers={'Content-Type': 'application/json'})\n"
                                + "r = c.getresponse()\n"
                                + "print(r.status, r.reason)\n"
                                + "print(r.read().decode())\n");
        assertThat(out)
                .startsWith("200 OK\nPOST /echo\n")
                .contains("Content-type: [application/json]")
                .contains("{\"x\": 1}");
    }

    @Test
    void deniedRequestsRaiseUrlErrorNamingTheRule() {
        String code =
                "import urllib.request, urllib.error\n"
                        + "for url in ['"
                        + b.url("/echo")
                        + "', '"
                        + a.url("/redirect?to=" + b.url("/echo"))
                        + "']:\n"
                        + "    try:\n"
                        + "        urllib.request.urlopen(url)\n"
                        + "    except urllib.error.URLError as e:\n"
                        + "        print(type(e).__name__, e.reason)\n";
        String out = run(egress(a.url("/")).build(), code);
        assertThat(out.lines())
                .hasSize(2)
                .allMatch(
                        l ->
                                l.startsWith(
                                        "URLError network request denied (net.no-rule): no network rule allows GET "
                                                + b.url("/echo")));
        assertThat(b.seenHeaders).isEmpty();
    }

    @Test
    void noNetworkGrantedMeansUrlError() {
        String out =
                run(
                        Egress.none(),
                        "import urllib.request, urllib.error\n"
                                + "try:\n"
                                + "    urllib.request.urlopen('https://example.com/')\n"
                                + "except urllib.error.URLError as e:\n"
                                + "    print(e.reason)\n"
                                + "    print(isinstance(e.reason, PermissionError), e.reason.rule)\n");
        assertThat(out)
                .isEqualTo(
                        "network request denied (net.none): no network is granted\nTrue net.none\n");
    }

    @Test
    void theGuestNeverSeesTheSecret() {
        Egress e =
                egress(a.url("/"), b.url("/"))
                        .secret("API", SECRET)
                        .inject(
                                SecretInjection.parse(
                                        "API header Authorization \"Bearer {}\" for "
                                                + a.url("/echo")))
                        .build();
        List<Event> events = new ArrayList<>();
        String out =
                run(
                        e,
                        "import os, urllib.request\n"
                                + "print(dict(os.environ))\n"
                                + "print(urllib.request.urlopen('"
                                + a.url("/echo")
                                + "').read().decode())\n"
                                + "print(urllib.request.urlopen('"
                                + b.url("/echo")
                                + "').read().decode())\n"
                                + "import airlock_net\n"
                                + "print([v for v in vars(airlock_net).values() if isinstance(v, str)])\n",
                        events);
        assertThat(
                        a.seenHeaders.stream()
                                .anyMatch(
                                        h ->
                                                String.valueOf(h.get("Authorization"))
                                                        .contains(SECRET)))
                .isTrue();
        assertThat(out).contains("Authorization: [Bearer [redacted]]").doesNotContain(SECRET);
        assertThat(events.toString()).doesNotContain(SECRET);
    }

    @Test
    void theRequestLimitEndsInUrlError() {
        String out =
                run(
                        egress(a.url("/")).limits(NetLimits.defaults().withMaxRequests(2)).build(),
                        "import urllib.request, urllib.error\n"
                                + "for i in range(3):\n"
                                + "    try:\n"
                                + "        print(urllib.request.urlopen('"
                                + a.url("/json")
                                + "').status)\n"
                                + "    except urllib.error.URLError as e:\n"
                                + "        print(e.reason)\n");
        assertThat(out)
                .isEqualTo(
                        "200\n200\nnetwork request denied (net.limit.requests): request limit reached (2 per run)\n");
    }

    @Test
    void largeBodiesWorkUpToTheRequestLimitAndPastItFailWithAClearMessage() {
        NetLimits limits = NetLimits.defaults().withMaxBytesOut(4L << 20).withMaxBytesIn(16L << 20);
        String out =
                run(
                        egress(a.url("/")).limits(limits).build(),
                        "import urllib.request, urllib.error\n"
                                + "def post(n):\n"
                                + "    try:\n"
                                + "        r = urllib.request.urlopen('"
                                + a.url("/echo")
                                + "', data=b'z' * n)\n"
                                + "        return str(r.read().count(b'z'))\n"
                                + "    except urllib.error.URLError as e:\n"
                                + "        return str(e.reason)\n"
                                + "print(post(3 * 1024 * 1024))\n"
                                + "print(len(urllib.request.urlopen('"
                                + a.url("/big?n=5000000")
                                + "').read()))\n"
                                + "print(post(4 * 1024 * 1024 + 512 * 1024))\n"
                                + "print(post(9 * 1024 * 1024))\n");
        assertThat(out)
                .isEqualTo(
                        (3 * 1024 * 1024)
                                + "\n5000000\n"
                                + "network request denied (net.limit.bytes-out): request bytes"
                                + " limit reached (4194304 per run)\n"
                                + "request too large: its body is over the run's request byte"
                                + " limit\n");
    }

    @Test
    void aLargerNetworkLimitLeavesToolRequestsAtOneMebibyte() {
        String out =
                run(
                        egress(a.url("/"))
                                .limits(NetLimits.defaults().withMaxBytesOut(8L << 20))
                                .build(),
                        "import airlock\n"
                                + "try:\n"
                                + "    airlock.call('search', {'q': 'z' * 2000000})\n"
                                + "except airlock.ToolError as e:\n"
                                + "    print(e)\n");
        assertThat(out).startsWith("tool request too large (");
    }
}
