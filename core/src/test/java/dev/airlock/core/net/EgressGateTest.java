package dev.airlock.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.mediation.Mediator;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's decisions, with a scripted transport and resolver: what reaches the transport. */
class EgressGateTest {
    private final Fakes f = new Fakes();

    private String request(Egress egress, Mediator m, String method, String url, String... h) {
        return new EgressGate(egress).handle(m, Fakes.wire(method, url, h));
    }

    private String request(Egress egress, String method, String url, String... h) {
        return request(egress, f.mediator(egress), method, url, h);
    }

    @Test
    void noRulesMeansNoNetwork() {
        Egress none = Egress.builder().transport(f.transport()).build();
        String answer = request(none, "GET", "http://127.0.0.1:8080/");
        assertThat(answer).contains("\"ok\":false").contains("net.none");
        assertThat(f.sent).isEmpty();
        assertThat(f.netEvents())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.decision()).isEqualTo(Decision.DENY);
                            assertThat(e.rule()).isEqualTo("net.none");
                        });
    }

    @Test
    void allowedRequestReachesThePinnedAddressAndIsAudited() throws Exception {
        f.answer("api.example.com", "93.184.216.34");
        Egress e = f.egress("GET https://api.example.com/v1/").build();
        String answer = request(e, "GET", "https://api.example.com/v1/items?token=abc");
        assertThat(answer).contains("\"ok\":true").contains("\"status\":200");
        assertThat(f.sent)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.addresses())
                                    .containsExactly(InetAddress.getByName("93.184.216.34"));
                            assertThat(r.uri().toString())
                                    .isEqualTo("https://api.example.com/v1/items?token=abc");
                        });
        HostCallEvent ev = f.netEvents().get(0);
        assertThat(ev.decision()).isEqualTo(Decision.ALLOW);
        assertThat(ev.call()).isEqualTo("airlock_http.request");
        assertThat(ev.args())
                .containsEntry("method", "GET")
                .containsEntry("url", "https://api.example.com/v1/items?token=*")
                .containsEntry("matched", "GET https://api.example.com/v1/")
                .containsEntry("status", 200)
                .containsEntry("bytesIn", 40L)
                .containsKey("bytesOut");
        assertThat(ev.args().toString()).doesNotContain("abc");
    }

    @Test
    void otherHostMethodAndPathAreDenied() throws Exception {
        f.answer("api.example.com", "93.184.216.34");
        f.answer("evil.example.net", "93.184.216.35");
        Egress e = f.egress("GET https://api.example.com/v1/").build();
        assertThat(request(e, "GET", "https://evil.example.net/v1/")).contains("net.no-rule");
        assertThat(request(e, "POST", "https://api.example.com/v1/x"))
                .contains("net.no-rule")
                .contains("rules for this host: GET https://api.example.com/v1/");
        assertThat(request(e, "GET", "https://api.example.com/admin")).contains("net.no-rule");
        assertThat(request(e, "GET", "https://api.example.com/v1/../admin"))
                .contains("net.bad-request");
        assertThat(f.sent).isEmpty();
        assertThat(f.netEvents()).hasSize(4).allMatch(ev -> ev.decision() == Decision.DENY);
    }

    @Test
    void aPublicNameAnsweringLoopbackIsRefused() throws Exception {
        f.answer("api.example.com", "127.0.0.1");
        Egress e = f.egress("https://api.example.com/").build();
        String answer = request(e, "GET", "https://api.example.com/");
        assertThat(answer)
                .contains("net.private-address")
                .contains("api.example.com resolves to 127.0.0.1 (loopback)");
        assertThat(f.sent).isEmpty();
    }

    @Test
    void metadataAndPrivateAnswersAreRefusedEvenBehindAWildcard() throws Exception {
        f.answer("meta.example.com", "169.254.169.254");
        f.dns.put(
                "mixed.example.com",
                List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1")));
        Egress e = f.egress("https://*.example.com/").build();
        assertThat(request(e, "GET", "https://meta.example.com/latest/meta-data/"))
                .contains("net.private-address")
                .contains("link-local");
        assertThat(request(e, "GET", "https://mixed.example.com/")).contains("net.private-address");
        assertThat(f.sent).isEmpty();
    }

    @Test
    void anAddressNamedInARuleIsReachedAndLocalhostMayBeLoopback() throws Exception {
        f.answer("localhost", "127.0.0.1");
        Egress e = f.egress("http://127.0.0.1:8080/", "http://localhost:8080/").build();
        assertThat(request(e, "GET", "http://127.0.0.1:8080/x")).contains("\"ok\":true");
        assertThat(request(e, "GET", "http://localhost:8080/x")).contains("\"ok\":true");
        assertThat(request(e, "GET", "http://127.0.0.1:8081/x")).contains("net.no-rule");
        assertThat(f.sent).hasSize(2);
        // the rule for 127.0.0.1 does not open 169.254.169.254
        assertThat(request(e, "GET", "http://169.254.169.254:8080/")).contains("net.no-rule");
    }

    @Test
    void aHostHeaderFromTheGuestIsDropped() throws Exception {
        Egress e = f.egress("http://127.0.0.1:8080/").build();
        request(e, "GET", "http://127.0.0.1:8080/", "Host: internal.example.com", "X-A: 1");
        assertThat(f.sent.get(0).headers())
                .extracting(HttpTransport.Header::name)
                .containsExactly("X-A");
    }

    @Test
    void requestLimitCountsPerRun() {
        Egress e =
                f.egress("http://127.0.0.1:8080/")
                        .limits(NetLimits.defaults().withMaxRequests(2))
                        .build();
        EgressGate gate = new EgressGate(e);
        Mediator run1 = f.mediator(e);
        String w = Fakes.wire("GET", "http://127.0.0.1:8080/");
        assertThat(gate.handle(run1, w)).contains("\"ok\":true");
        assertThat(gate.handle(run1, w)).contains("\"ok\":true");
        assertThat(gate.handle(run1, w)).contains("net.limit.requests").contains("2 per run");
        assertThat(f.sent).hasSize(2);
        // a refused request looks nothing up: its name is never sent to a DNS server
        f.dns.clear();
        List<String> looked = new java.util.ArrayList<>();
        Egress byName =
                f.egress("http://*.example.com:8080/")
                        .resolver(
                                h -> {
                                    looked.add(h);
                                    return List.of(InetAddress.getByName("93.184.216.34"));
                                })
                        .limits(NetLimits.defaults().withMaxRequests(1))
                        .build();
        EgressGate g2 = new EgressGate(byName);
        Mediator m2 = f.mediator(byName);
        g2.handle(m2, Fakes.wire("GET", "http://a.example.com:8080/"));
        g2.handle(m2, Fakes.wire("GET", "http://leak-this.example.com:8080/"));
        assertThat(looked).containsExactly("a.example.com");
        // a new run starts with a fresh count
        assertThat(gate.handle(f.mediator(e), w)).contains("\"ok\":true");
    }

    @Test
    void bytesOutAndBytesInAreLimited() {
        Egress e =
                f.egress("http://127.0.0.1:8080/")
                        .limits(NetLimits.defaults().withMaxBytesOut(100).withMaxBytesIn(60))
                        .build();
        EgressGate gate = new EgressGate(e);
        Mediator m = f.mediator(e);
        assertThat(gate.handle(m, Fakes.wire("POST", "http://127.0.0.1:8080/", new byte[200])))
                .contains("net.limit.bytes-out");
        assertThat(f.sent).isEmpty();
        // first response (40 bytes) fits; the second would pass 60
        assertThat(gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/")))
                .contains("\"ok\":true");
        assertThat(gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/")))
                .contains("net.limit.bytes-in");
        assertThat(f.sent.get(1).maxResponseBytes()).isEqualTo(20);
    }

    @Test
    void concurrentRequestsAreLimited() {
        Egress e =
                f.egress("http://127.0.0.1:8080/")
                        .limits(NetLimits.defaults().withMaxConcurrent(1))
                        .build();
        EgressGate gate = new EgressGate(e);
        Mediator m = f.mediator(e);
        String[] inner = {null};
        // a second request made while the first is under way
        f.during =
                () -> {
                    f.during = () -> {};
                    inner[0] = gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/b"));
                };
        assertThat(gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/a")))
                .contains("\"ok\":true");
        assertThat(inner[0]).contains("net.limit.concurrent");
        assertThat(gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/c")))
                .contains("\"ok\":true");
    }

    @Test
    void malformedRequestsAreDeniedWithoutNamingJavaClasses() {
        Egress e = f.egress("http://127.0.0.1:8080/").build();
        EgressGate gate = new EgressGate(e);
        Mediator m = f.mediator(e);
        for (String w :
                new String[] {
                    "",
                    "GET\n\n",
                    "get http://127.0.0.1:8080/\n\n",
                    "GET http://127.0.0.1:8080/\nBad\n\n",
                    "GET http://127.0.0.1:8080/\nX: a\u0001b\n\n",
                    "GET http://127.0.0.1:8080/\n\n%%%",
                    "GET http://[zz]/\n\n",
                }) {
            String answer = gate.handle(m, w);
            assertThat(answer)
                    .as(w)
                    .contains("net.bad-request")
                    .doesNotContain("Exception")
                    .doesNotContain("java.");
        }
        assertThat(f.sent).isEmpty();
    }

    @Test
    void theWireMayHoldABodyOfTheWholeRequestLimitAndNoMore() {
        assertThat(EgressGate.maxWireBytes(Egress.none())).isEqualTo(1 << 20);
        Egress e =
                Egress.builder()
                        .allow("https://api.example.com/")
                        .limits(NetLimits.defaults().withMaxBytesOut(3L << 20))
                        .build();
        assertThat(EgressGate.maxWireBytes(e)).isEqualTo((4 << 20) + (1 << 20));
        Egress huge =
                Egress.builder()
                        .allow("https://api.example.com/")
                        .limits(NetLimits.defaults().withMaxBytesOut(Long.MAX_VALUE))
                        .build();
        assertThat(EgressGate.maxWireBytes(huge)).isEqualTo(1 << 30);
    }

    @Test
    void aResolverThatNeverAnswersIsBoundedByTheRequestTimeout() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        Egress e =
                Egress.builder()
                        .allow("https://slow.example.com/")
                        .transport(f.transport())
                        .resolver(
                                host -> {
                                    asked.countDown();
                                    try {
                                        never.await();
                                    } catch (InterruptedException x) {
                                        Thread.currentThread().interrupt();
                                    }
                                    throw new java.net.UnknownHostException(host);
                                })
                        .limits(
                                NetLimits.defaults()
                                        .withRequestTimeout(java.time.Duration.ofMillis(200)))
                        .build();
        try {
            String answer = request(e, "GET", "https://slow.example.com/x");
            assertThat(asked.getCount()).isZero();
            assertThat(answer)
                    .contains("timed out resolving slow.example.com after 200ms")
                    .doesNotContain("Exception");
            assertThat(f.sent).isEmpty();
            assertThat(f.netEvents().get(0).args()).containsEntry("error", "dns timeout");
        } finally {
            never.countDown();
        }
    }

    @Test
    void theTransportGetsWhatIsLeftOfTheRequestTimeAfterTheLookUp() throws Exception {
        f.answer("api.example.com", "93.184.216.34");
        java.time.Duration limit = java.time.Duration.ofSeconds(5);
        Egress e =
                f.egress("https://api.example.com/")
                        .limits(NetLimits.defaults().withRequestTimeout(limit))
                        .build();
        assertThat(request(e, "GET", "https://api.example.com/")).contains("\"ok\":true");
        assertThat(f.sent.get(0).timeout()).isPositive().isLessThanOrEqualTo(limit);
    }

    @Test
    void aSecretEchoedInBase64AtAnyOffsetIsRedactedToo() {
        String secret = "b4se64-s3cret-Value!";
        String[] echoes = {
            java.util.Base64.getEncoder().encodeToString(secret.getBytes()),
            java.util.Base64.getEncoder().encodeToString(("user:" + secret).getBytes()),
            java.util.Base64.getEncoder().encodeToString(("u:" + secret + "tail").getBytes()),
            java.util.Base64.getEncoder().encodeToString(("xyz" + secret).getBytes()),
            java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(("ab" + secret + "??>>").getBytes()),
        };
        for (String echo : echoes) {
            Fakes g = new Fakes();
            g.next =
                    new HttpTransport.Response(
                            200,
                            "OK",
                            List.of(new HttpTransport.Header("X-Echo", "Basic " + echo)),
                            ("seen " + echo).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            10);
            Egress e =
                    g.egress("http://127.0.0.1:8080/")
                            .secret("PW", secret)
                            .inject(
                                    SecretInjection.parse(
                                            "PW header Authorization \"Basic {}\" for"
                                                    + " http://127.0.0.1:8080/"))
                            .build();
            String answer =
                    new EgressGate(e)
                            .handle(g.mediator(e), Fakes.wire("GET", "http://127.0.0.1:8080/"));
            String body =
                    new String(
                            java.util.Base64.getDecoder()
                                    .decode(
                                            answer.replaceAll(
                                                    "(?s).*\"body\":\"([^\"]*)\".*", "$1")),
                            java.nio.charset.StandardCharsets.UTF_8);
            assertThat(body).as(echo).contains("[redacted]").doesNotContain(echo);
            assertThat(answer).as(echo).doesNotContain(echo);
            // what is left of the echo never decodes to the secret
            assertThat(body + answer).doesNotContain(secret);
        }
    }

    @Test
    void internalAddressesAreReachedOnlyWhenARuleNamesTheAddressItself() throws Exception {
        f.answer("db.internal.example.com", "10.0.0.5");
        f.answer("localhost", "127.0.0.1");
        f.answer("app.dev.localhost", "127.0.0.1");
        f.answer("evil.example.com", "::1");
        Egress e =
                f.egress(
                                "http://10.0.0.5:8080/",
                                "http://169.254.169.254/latest/",
                                "http://[::1]:9000/",
                                "http://db.internal.example.com:8080/",
                                "http://*.dev.localhost/",
                                "http://evil.example.com:9000/")
                        .build();
        // named addresses: a private one, the metadata service (only under its rule's path), IPv6
        // loopback
        assertThat(request(e, "GET", "http://10.0.0.5:8080/q")).contains("\"ok\":true");
        assertThat(request(e, "GET", "http://169.254.169.254/latest/meta")).contains("\"ok\":true");
        assertThat(request(e, "GET", "http://169.254.169.254/other")).contains("net.no-rule");
        assertThat(request(e, "GET", "http://[::1]:9000/")).contains("\"ok\":true");
        // a name, even named exactly, must not resolve to a private address
        assertThat(request(e, "GET", "http://db.internal.example.com:8080/"))
                .contains("net.private-address")
                .contains("db.internal.example.com resolves to 10.0.0.5 (private)");
        assertThat(request(e, "GET", "http://evil.example.com:9000/"))
                .contains("net.private-address");
        // localhost only when a rule names it exactly, never through a wildcard
        assertThat(request(e, "GET", "http://app.dev.localhost/")).contains("net.private-address");
        assertThat(f.sent).hasSize(3);
        assertThat(f.sent)
                .extracting(r -> r.addresses().get(0).getHostAddress())
                .containsExactly("10.0.0.5", "169.254.169.254", "0:0:0:0:0:0:0:1");
    }
}
