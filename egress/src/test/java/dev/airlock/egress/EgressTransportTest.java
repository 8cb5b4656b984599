package dev.airlock.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.event.Event;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.EgressGate;
import dev.airlock.core.net.HttpTransport;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.SecretInjection;
import dev.airlock.core.time.FakeTicker;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests through the gate and the real transport to servers on 127.0.0.1. */
class EgressTransportTest {
    private static final String SECRET = "tok-5ecret-abcdef";
    private final LocalServer a = new LocalServer();
    private final LocalServer b = new LocalServer();
    private final List<Event> events = new ArrayList<>();

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private Egress.Builder egress(String... rules) {
        Egress.Builder e = Egress.builder().transport(new ApacheTransport());
        for (String r : rules) {
            e.allow(r);
        }
        return e;
    }

    private Mediator mediator(Egress e) {
        Policy p = Policy.builder().egress(e).build();
        return new Mediator(
                "run",
                "sha",
                events::add,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                new FakeTicker(),
                m -> EgressGate.MODULE.equals(m) ? EgressGate.rules(p) : null);
    }

    private static String wire(String method, String url, String body, String... headers) {
        StringBuilder s = new StringBuilder(method).append(' ').append(url).append('\n');
        for (String h : headers) {
            s.append(h).append('\n');
        }
        return s.append('\n')
                .append(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)))
                .toString();
    }

    private static String body(String answer) {
        Matcher m = Pattern.compile("\"body\":\"([^\"]*)\"").matcher(answer);
        assertThat(m.find()).as(answer).isTrue();
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    }

    @Test
    void getAndPostRoundTrip() {
        Egress e = egress("GET,POST http://127.0.0.1:" + a.port() + "/echo").build();
        EgressGate gate = new EgressGate(e);
        Mediator m = mediator(e);
        String get = gate.handle(m, wire("GET", a.url("/echo?x=1"), "", "X-Test: yes"));
        assertThat(get).contains("\"status\":200").contains("\"Content-type\"");
        assertThat(body(get))
                .startsWith("GET /echo?x=1\n")
                .contains("X-test: [yes]")
                .doesNotContain("Upgrade");
        String post = gate.handle(m, wire("POST", a.url("/echo"), "{\"a\":1}"));
        assertThat(body(post)).startsWith("POST /echo\n").endsWith("\n{\"a\":1}");
        assertThat(gate.handle(m, wire("PUT", a.url("/echo"), ""))).contains("net.no-rule");
    }

    @Test
    void aRedirectIsReturnedNotFollowedAndItsTargetIsCheckedAnew() {
        Egress e = egress("http://127.0.0.1:" + a.port() + "/").build();
        EgressGate gate = new EgressGate(e);
        Mediator m = mediator(e);
        String answer = gate.handle(m, wire("GET", a.url("/redirect?to=" + b.url("/echo")), ""));
        assertThat(answer).contains("\"status\":302").contains(b.url("/echo"));
        assertThat(b.seenHeaders).isEmpty();
        assertThat(gate.handle(m, wire("GET", b.url("/echo"), ""))).contains("net.no-rule");
        assertThat(b.seenHeaders).isEmpty();
    }

    @Test
    void theSecretReachesOnlyItsDestinationAndNeverComesBack() {
        Egress e =
                egress("http://127.0.0.1:" + a.port() + "/", "http://127.0.0.1:" + b.port() + "/")
                        .secret("API", SECRET)
                        .inject(
                                SecretInjection.parse(
                                        "API header Authorization \"Bearer {}\" for " + a.url("/")))
                        .build();
        EgressGate gate = new EgressGate(e);
        Mediator m = mediator(e);
        // the destination receives it; its echo comes back redacted
        String toA = gate.handle(m, wire("GET", a.url("/echo"), ""));
        assertThat(a.seenHeaders.get(0).get("Authorization")).containsExactly("Bearer " + SECRET);
        assertThat(toA).doesNotContain(SECRET);
        assertThat(body(toA)).contains("Authorization: [Bearer [redacted]]");
        // another allowed server echoing headers never sees it
        String toB = gate.handle(m, wire("GET", b.url("/echo"), "", "Authorization: guess"));
        assertThat(b.seenHeaders.get(0).get("Authorization")).containsExactly("guess");
        assertThat(toB).doesNotContain(SECRET);
        assertThat(events.toString()).doesNotContain(SECRET);
    }

    @Test
    void responsesPastTheByteLimitFail() {
        Egress e =
                egress("http://127.0.0.1:" + a.port() + "/")
                        .limits(NetLimits.defaults().withMaxBytesIn(10_000))
                        .build();
        EgressGate gate = new EgressGate(e);
        Mediator m = mediator(e);
        assertThat(gate.handle(m, wire("GET", a.url("/big?n=5000"), "")))
                .contains("\"status\":200");
        assertThat(gate.handle(m, wire("GET", a.url("/big?n=50000"), "")))
                .contains("net.limit.bytes-in")
                .contains("response bytes limit reached");
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedBeforeAnyConnection() {
        Egress e =
                egress("http://api.example.com:" + a.port() + "/")
                        .resolver(host -> List.of(InetAddress.getLoopbackAddress()))
                        .build();
        String answer =
                new EgressGate(e)
                        .handle(
                                mediator(e),
                                wire("GET", "http://api.example.com:" + a.port() + "/echo", ""));
        assertThat(answer).contains("net.private-address").contains("resolves to 127.0.0.1");
        assertThat(a.seenHeaders).isEmpty();
    }

    @Test
    void theTransportConnectsOnlyToThePinnedAddress() throws Exception {
        // a name nobody can resolve: the connection must use the given address and no DNS
        HttpTransport.Response r =
                new ApacheTransport()
                        .send(
                                new HttpTransport.Request(
                                        "GET",
                                        URI.create("http://pinned.invalid:" + a.port() + "/echo"),
                                        List.of(),
                                        new byte[0],
                                        List.of(InetAddress.getLoopbackAddress()),
                                        Duration.ofSeconds(10),
                                        1 << 20));
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .contains("Host: [pinned.invalid:" + a.port() + "]");
    }

    @Test
    void failuresAreClearAndNameNoJavaClass() {
        int closed = a.port();
        a.close();
        Egress e = egress("http://127.0.0.1:" + closed + "/").build();
        String answer =
                new EgressGate(e)
                        .handle(mediator(e), wire("GET", "http://127.0.0.1:" + closed + "/", ""));
        assertThat(answer)
                .contains("connection refused by 127.0.0.1:" + closed)
                .doesNotContain("Exception")
                .doesNotContain("org.apache");
    }
}
