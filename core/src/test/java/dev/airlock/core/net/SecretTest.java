package dev.airlock.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Policy;
import dev.airlock.core.event.HostCallEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile attempts to learn a secret: it goes only to its destination and is never shown. */
class SecretTest {
    private static final String VALUE = "s3cr3t-t0ken-value";
    private final Fakes f = new Fakes();

    private Egress egress() {
        return f.egress("http://127.0.0.1:8080/", "http://127.0.0.1:9090/")
                .secret("API", VALUE)
                .inject(
                        SecretInjection.parse(
                                "API header Authorization \"Bearer {}\" for http://127.0.0.1:8080/api/"))
                .build();
    }

    private static String auth(HttpTransport.Request r) {
        return r.headers().stream()
                .filter(h -> h.name().equalsIgnoreCase("Authorization"))
                .map(HttpTransport.Header::value)
                .findFirst()
                .orElse(null);
    }

    @Test
    void parsesTheInjectionGrammar() {
        SecretInjection i =
                SecretInjection.parse(
                        "GH header Authorization \"Bearer {}\" for https://api.example.com/");
        assertThat(i.secret()).isEqualTo("GH");
        assertThat(i.header()).isEqualTo("Authorization");
        assertThat(i.template()).isEqualTo("Bearer {}");
        assertThat(i.destination()).hasToString("https://api.example.com/");
        assertThat(
                        SecretInjection.parse("K header X-Api-Key for https://a.example.com/")
                                .template())
                .isEqualTo("{}");
        assertThatThrownBy(() -> SecretInjection.parse("K cookie X for https://a.example.com/"))
                .hasMessageContaining("expected NAME header HEADER");
        assertThatThrownBy(() -> SecretInjection.parse("K header Host for https://a.example.com/"))
                .hasMessageContaining("cannot carry a secret");
        assertThatThrownBy(
                        () ->
                                SecretInjection.parse(
                                        "K header X \"Bearer\" for https://a.example.com/"))
                .hasMessageContaining("{} exactly once");
        assertThatThrownBy(() -> SecretInjection.parse("K header X for https://*.example.com/"))
                .hasMessageContaining("exact host");
        assertThatThrownBy(
                        () -> SecretInjection.parse("K header X \"{} for https://a.example.com/"))
                .hasMessageContaining("unclosed quote");
    }

    @Test
    void anInjectionMustNameADefinedSecretAndAnAllowedDestination() {
        assertThatThrownBy(
                        () ->
                                f.egress("http://127.0.0.1:8080/")
                                        .inject(
                                                SecretInjection.parse(
                                                        "API header X for http://127.0.0.1:8080/"))
                                        .build())
                .hasMessageContaining("not defined");
        assertThatThrownBy(
                        () ->
                                f.egress("http://127.0.0.1:8080/")
                                        .secret("API", VALUE)
                                        .inject(
                                                SecretInjection.parse(
                                                        "API header X for http://127.0.0.1:7070/"))
                                        .build())
                .hasMessageContaining("no network rule allows");
        assertThatThrownBy(() -> Egress.builder().secret("API", "a\nb"))
                .hasMessageContaining("control character");
    }

    @Test
    void theSecretGoesOnlyToItsDestination() {
        Egress e = egress();
        EgressGate gate = new EgressGate(e);
        var m = f.mediator(e);
        gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/api/x"));
        gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:8080/other"));
        gate.handle(m, Fakes.wire("GET", "http://127.0.0.1:9090/api/x"));
        assertThat(auth(f.sent.get(0))).isEqualTo("Bearer " + VALUE);
        assertThat(auth(f.sent.get(1))).isNull();
        assertThat(auth(f.sent.get(2))).isNull();
    }

    @Test
    void theGuestCannotReplaceOrReadTheInjectedHeader() {
        Egress e = egress();
        new EgressGate(e)
                .handle(
                        f.mediator(e),
                        Fakes.wire("GET", "http://127.0.0.1:8080/api/x", "authorization: mine"));
        assertThat(f.sent.get(0).headers())
                .filteredOn(h -> h.name().equalsIgnoreCase("Authorization"))
                .extracting(HttpTransport.Header::value)
                .containsExactly("Bearer " + VALUE);
    }

    @Test
    void anEchoOfTheSecretIsRedactedAndAuditNeverHoldsIt() {
        f.next =
                new HttpTransport.Response(
                        200,
                        "OK",
                        List.of(new HttpTransport.Header("X-Echo", "Bearer " + VALUE)),
                        ("{\"auth\":\"Bearer " + VALUE + "\"}").getBytes(StandardCharsets.UTF_8),
                        10);
        Egress e = egress();
        String answer =
                new EgressGate(e)
                        .handle(f.mediator(e), Fakes.wire("GET", "http://127.0.0.1:8080/api/x"));
        assertThat(answer).doesNotContain(VALUE).contains("[redacted]");
        String body =
                new String(
                        java.util.Base64.getDecoder()
                                .decode(answer.replaceAll("(?s).*\"body\":\"([^\"]*)\".*", "$1")),
                        StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"auth\":\"Bearer [redacted]\"}");
        assertThat(f.events.toString()).doesNotContain(VALUE);
        HostCallEvent ev = f.netEvents().get(0);
        assertThat(ev.args()).containsEntry("injected", List.of("API"));
        assertThat(Policy.builder().egress(e).build().toString())
                .doesNotContain(VALUE)
                .contains("API");
        assertThat(e.toString()).doesNotContain(VALUE);
    }

    @Test
    void aNarrowedEgressKeepsOnlyTheNamedSecretsAndTheInjectionsItsRulesReach() {
        Egress e =
                f.egress("http://127.0.0.1:8080/", "http://127.0.0.1:9090/")
                        .secret("API", VALUE)
                        .secret("OTHER", "other-value-123")
                        .inject(SecretInjection.parse("API header X-A for http://127.0.0.1:8080/"))
                        .inject(SecretInjection.parse("API header X-B for http://127.0.0.1:9090/"))
                        .inject(
                                SecretInjection.parse(
                                        "OTHER header X-O for http://127.0.0.1:8080/"))
                        .build();
        NetLimits small = NetLimits.defaults().withMaxRequests(3);
        Egress n =
                e.narrow(
                        List.of(NetRule.parse("GET http://127.0.0.1:8080/api/")),
                        small,
                        List.of("API"));
        assertThat(n.secretNames()).containsExactly("API");
        assertThat(n.injections()).extracting(SecretInjection::header).containsExactly("X-A");
        assertThat(n.limits()).isEqualTo(small);
        assertThat(n.transport()).isSameAs(e.transport());
        assertThat(n.resolver()).isSameAs(e.resolver());
        new EgressGate(n).handle(f.mediator(n), Fakes.wire("GET", "http://127.0.0.1:8080/api/x"));
        assertThat(f.sent.get(0).headers())
                .extracting(HttpTransport.Header::name)
                .containsExactly("X-A");
        assertThat(e.narrow(e.rules(), small, null).secretNames()).containsExactly("API", "OTHER");
        assertThatThrownBy(() -> e.narrow(e.rules(), small, List.of("NOPE")))
                .hasMessage("no secret named NOPE");
    }

    @Test
    void limitsAtMostTakeTheSmallerOfEach() {
        NetLimits a = new NetLimits(10, 100, 1000, java.time.Duration.ofSeconds(5), 2);
        NetLimits b = new NetLimits(20, 50, 2000, java.time.Duration.ofSeconds(1), 8);
        assertThat(a.atMost(b))
                .isEqualTo(new NetLimits(10, 50, 1000, java.time.Duration.ofSeconds(1), 2));
        assertThat(b.atMost(a)).isEqualTo(a.atMost(b));
    }
}
