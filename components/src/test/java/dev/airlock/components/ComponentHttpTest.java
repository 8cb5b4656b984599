package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.Denial;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.HttpTransport;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * wasi:http outgoing requests from a component ({@code wasi/http.wat}) go through the policy's
 * egress rules: allowed ones reach the transport with the component's headers, others are denied
 * before anything leaves, and each is audited as the same request host call a module makes.
 */
class ComponentHttpTest {
    static final Airlock AIRLOCK = Airlock.create();

    final List<HttpTransport.Request> sent = new ArrayList<>();

    Egress.Builder egress() {
        return Egress.builder()
                .resolver(host -> List.of(InetAddress.getByName("93.184.216.34")))
                .transport(
                        request -> {
                            sent.add(request);
                            return new HttpTransport.Response(
                                    201,
                                    "Created",
                                    List.of(new HttpTransport.Header("content-type", "text/plain")),
                                    "pong".getBytes(StandardCharsets.UTF_8),
                                    60);
                        });
    }

    record Fetched(ComponentResult result, List<String> calls) {}

    Fetched fetch(Policy policy, String authority, String path) throws Exception {
        Component c = Component.load(ComponentWorldTest.resource("wasi/http.wasm"));
        List<String> calls = new ArrayList<>();
        try (ComponentInstance ci =
                ComponentInstance.create(
                        AIRLOCK,
                        c,
                        policy,
                        (Event e) -> {
                            if (e instanceof HostCallEvent h) {
                                calls.add(h.call() + " " + h.decision());
                            }
                        })) {
            ComponentResult r =
                    ci.call("fetch", "[\"" + authority + "\", \"" + path + "\"]", Stdio.discard());
            return new Fetched(r, calls);
        }
    }

    @Test
    void anAllowedRequestIsSentWithItsHeaders() throws Exception {
        Policy p =
                Policy.builder()
                        .egress(egress().allow("GET http://api.example/v1/").build())
                        .build();
        Fetched f = fetch(p, "api.example", "/v1/ping?x=1");
        assertThat(f.result().outcome().status())
                .as(f.result().outcome().message())
                .isEqualTo(Status.OK);
        assertThat(f.result().value().toString()).isEqualTo("[201,\"pong\"]");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).method()).isEqualTo("GET");
        assertThat(sent.get(0).uri().toString()).isEqualTo("http://api.example/v1/ping?x=1");
        assertThat(sent.get(0).headers()).contains(new HttpTransport.Header("x-test", "yes"));
        assertThat(f.calls())
                .contains(
                        "wasi:http/outgoing-handler@0.2.0.handle ALLOW",
                        "airlock_http.request ALLOW");
    }

    @Test
    void aRequestNoRuleAllowsIsDeniedAndNeverSent() throws Exception {
        Policy p =
                Policy.builder()
                        .egress(egress().allow("GET http://api.example/v1/").build())
                        .build();
        Fetched f = fetch(p, "evil.example", "/steal");
        // HTTP-request-denied is case 15 of error-code
        assertThat(f.result().value().toString()).isEqualTo("[1015,\"\"]");
        assertThat(sent).isEmpty();
        assertThat(f.result().outcome().denials())
                .extracting(Denial::rule)
                .containsExactly("net.no-rule");
        assertThat(f.calls()).contains("airlock_http.request DENY");
    }

    @Test
    void withoutEgressNothingLeaves() throws Exception {
        Fetched f = fetch(Policy.defaults(), "api.example", "/v1/ping");
        assertThat(f.result().value().toString()).isEqualTo("[1015,\"\"]");
        assertThat(f.result().outcome().denials())
                .extracting(Denial::rule)
                .containsExactly("net.none");
    }

    @Test
    void aComponentHoldingAResponseCannotBeSnapshot() throws Exception {
        Policy p =
                Policy.builder().egress(egress().allow("GET http://api.example/").build()).build();
        Component c = Component.load(ComponentWorldTest.resource("wasi/http.wasm"));
        try (ComponentInstance ci = ComponentInstance.create(AIRLOCK, c, p)) {
            ci.snapshot();
            ci.call("fetch", "[\"api.example\", \"/\"]", Stdio.discard());
            // the test component never drops its response: its host objects cannot be copied
            org.assertj.core.api.Assertions.assertThatThrownBy(ci::snapshot)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot snapshot a component holding an HTTP request or response");
        }
    }
}
