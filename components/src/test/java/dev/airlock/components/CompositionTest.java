package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three components with different policies wired together ({@code compose/*.wat}): app (no
 * environment, clock denied) imports secret's interface (two environment variables granted) and
 * time's (a frozen clock); each keeps its own grants, and the calls across are audited with their
 * arguments.
 */
class CompositionTest {
    static final Airlock AIRLOCK = Airlock.create();

    static Component load(String name) throws Exception {
        return Component.load(ComponentWorldTest.resource("compose/" + name + ".wasm"));
    }

    static Composition.Builder three() throws Exception {
        return Composition.builder()
                .add("app", load("app"), Policy.builder().clock(ClockMode.DENY).build())
                .add("secret", load("secret"), Policy.builder().env("A", "1").env("B", "2").build())
                .add("time", load("time"), Policy.builder().clock(ClockMode.FROZEN).build())
                .link("app", "test:compose/secret@0.1.0", "secret")
                .link("app", "test:compose/time@0.1.0", "time");
    }

    @Test
    void eachComponentKeepsItsOwnGrants() throws Exception {
        try (Composition c = three().build(AIRLOCK, e -> {})) {
            ComponentResult r = c.instance("app").call("report", "[]", Stdio.discard());
            assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
            // app sees no environment; secret sees its two variables; time its frozen clock
            assertThat(r.value().toString()).isEqualTo("[0,2,946684800]");
        }
    }

    @Test
    void stringsCrossBothWaysAndTheCallIsAudited() throws Exception {
        List<HostCallEvent> events = new ArrayList<>();
        try (Composition c =
                three().build(
                                AIRLOCK,
                                (Event e) -> {
                                    if (e instanceof HostCallEvent h) {
                                        events.add(h);
                                    }
                                })) {
            ComponentResult r =
                    c.instance("app").call("shout", "[\"hello, w\u00f6rld\"]", Stdio.discard());
            assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
            assertThat(r.value().asText()).isEqualTo("HELLO, W\u00f6RLD");
        }
        HostCallEvent across =
                events.stream()
                        .filter(e -> e.call().equals("test:compose/secret@0.1.0.upper"))
                        .findFirst()
                        .orElseThrow();
        assertThat(across.args())
                .containsEntry("component", "secret")
                .containsEntry("function", "test:compose/secret@0.1.0#upper")
                .containsEntry("args", "[\"hello, w\u00f6rld\"]");
        // the callee's own events carry its own module, not the caller's
        assertThat(events.stream().map(HostCallEvent::moduleSha256).distinct().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnlinkedImportIsNotSupplied() throws Exception {
        assertThatThrownBy(
                        () ->
                                Composition.builder()
                                        .add("app", load("app"), Policy.defaults())
                                        .build(AIRLOCK, e -> {}))
                .isInstanceOf(ComponentException.class)
                .hasMessage("component import 'test:compose/secret@0.1.0' is not supplied");
    }

    @Test
    void aDeniedGrantInTheCalleeStillRefusesIt() throws Exception {
        // time imports the clock; its own policy denies it, whatever the importer's says
        Composition.Builder b =
                Composition.builder()
                        .add("app", load("app"), Policy.defaults())
                        .add("secret", load("secret"), Policy.defaults())
                        .add("time", load("time"), Policy.builder().clock(ClockMode.DENY).build())
                        .link("app", "test:compose/secret@0.1.0", "secret")
                        .link("app", "test:compose/time@0.1.0", "time");
        assertThatThrownBy(() -> b.build(AIRLOCK, e -> {}))
                .hasMessageContaining("wasi:clocks/wall-clock@0.2.0")
                .hasMessageEndingWith("(the policy denies the clock)");
    }

    @Test
    void linksThatDoNotFitAreRefused() throws Exception {
        assertThatThrownBy(
                        () ->
                                Composition.builder()
                                        .add("app", load("app"), Policy.defaults())
                                        .add("loop", load("loop"), Policy.defaults())
                                        .add("secret", load("secret"), Policy.defaults())
                                        .link("app", "test:compose/secret@0.1.0", "secret")
                                        .link("app", "test:compose/time@0.1.0", "loop")
                                        .build(AIRLOCK, e -> {}))
                .hasMessage("test:compose/time@0.1.0#seconds has another type in app than in loop");
        assertThatThrownBy(
                        () ->
                                Composition.builder()
                                        .add("app", load("app"), Policy.defaults())
                                        .add("secret", load("secret"), Policy.defaults())
                                        .link("app", "test:compose/secret@0.1.0", "secret")
                                        .link("app", "test:compose/time@0.1.0", "secret")
                                        .build(AIRLOCK, e -> {}))
                .hasMessage("secret does not export test:compose/time@0.1.0#seconds");
        assertThatThrownBy(
                        () ->
                                Composition.builder()
                                        .add("loop", load("loop"), Policy.defaults())
                                        .link("loop", "test:compose/time@0.1.0", "loop")
                                        .build(AIRLOCK, e -> {}))
                .hasMessage("the links make a cycle: loop -> loop");
    }

    @Test
    void aComponentCallsTheHostToolsItsPolicyGrants() throws Exception {
        Policy granted =
                Policy.builder()
                        .tool("double", args -> String.valueOf(2 * Integer.parseInt(args.trim())))
                        .build();
        try (ComponentInstance ci = ComponentInstance.create(AIRLOCK, load("tools"), granted)) {
            assertThat(ci.call("ask", "[\"double\", \"21\"]", Stdio.discard()).value().toString())
                    .isEqualTo("{\"ok\":\"42\"}");
            ComponentResult r = ci.call("ask", "[\"delete-everything\", \"{}\"]", Stdio.discard());
            assertThat(r.value().path("error").asText()).contains("not granted");
            assertThat(r.outcome().denials())
                    .extracting(dev.airlock.core.Denial::rule)
                    .containsExactly("tool.not-granted");
        }
    }

    @Test
    void resourceHandlesCrossBothWays() throws Exception {
        try (Composition c =
                Composition.builder()
                        .add("user", load("counter-user"), Policy.defaults())
                        .add(
                                "types",
                                Component.load(ComponentWorldTest.resource("types.wasm")),
                                Policy.defaults())
                        .link("user", "test:types/echo", "types")
                        .build(AIRLOCK, e -> {})) {
            ComponentResult r = c.instance("user").call("run", "[]", Stdio.discard());
            assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
            // made in types, added to and read through borrowed handles, given back owned
            assertThat(r.value().asLong()).isEqualTo(15015);
            ComponentResult bad = c.instance("user").call("use-after-give", "[]", Stdio.discard());
            assertThat(bad.outcome().status()).isEqualTo(Status.TRAP);
            assertThat(bad.outcome().message()).contains("unknown resource handle");
        }
    }
}
