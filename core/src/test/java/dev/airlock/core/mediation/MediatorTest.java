package dev.airlock.core.mediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.time.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The mediator's events: one per call, named, with the deciding rule and the run's session. */
class MediatorTest {
    final List<Event> events = new ArrayList<>();
    final FakeTicker ticker = new FakeTicker();
    final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    /** WASI allowed; the host module {@code tools} grants only {@code search}. */
    final Function<String, Function<String, Verdict>> rules =
            m -> {
                if (m.equals("wasi_snapshot_preview1")) {
                    return f -> Verdict.ALLOW;
                }
                if (m.equals("tools")) {
                    return f ->
                            f.equals("search")
                                    ? Verdict.ALLOW
                                    : Verdict.deny(
                                            "tool.not-granted",
                                            Rules.ENOTCAPABLE,
                                            "the tool is not granted");
                }
                return null;
            };

    Mediator mediator(String session) {
        return new Mediator("run-1", session, "ab".repeat(32), events::add, clock, ticker, rules);
    }

    List<HostCallEvent> calls() {
        return events.stream()
                .filter(e -> e instanceof HostCallEvent)
                .map(e -> (HostCallEvent) e)
                .toList();
    }

    @Test
    void deniedHostToolCallsNameTheirRule() {
        Mediator m = mediator(null);
        long[] ran = {0};
        long r1 = m.call("tools", "delete", Map.of("args", 1), () -> ran[0]++);
        long r2 = m.call("other", "fn", Map.of("args", 0), () -> ran[0]++);
        long r3 =
                m.call(
                        "tools",
                        "search",
                        Map.of("args", 2),
                        () -> {
                            ticker.advance(Duration.ofNanos(500));
                            return 7 + ran[0]++;
                        });
        assertThat(ran[0]).as("only the granted tool ran").isEqualTo(1);
        assertThat(r1).isEqualTo(Rules.ENOTCAPABLE);
        assertThat(r2).isEqualTo(Rules.ENOTCAPABLE);
        assertThat(r3).isEqualTo(7);
        assertThat(calls())
                .extracting(
                        HostCallEvent::call,
                        HostCallEvent::decision,
                        HostCallEvent::rule,
                        HostCallEvent::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "tools.delete", Decision.DENY, "tool.not-granted", 76L),
                        org.assertj.core.groups.Tuple.tuple(
                                "other.fn", Decision.DENY, "import.unknown", 76L),
                        org.assertj.core.groups.Tuple.tuple(
                                "tools.search", Decision.ALLOW, null, 7L));
        assertThat(calls().get(2).durationNanos()).isEqualTo(500);
        assertThat(m.denials())
                .extracting(d -> d.call() + " " + d.rule())
                .containsExactly("tools.delete tool.not-granted", "other.fn import.unknown");
        assertThat(events).extracting(Event::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void eventsCarryTheSession() {
        Mediator m = mediator("session-7");
        m.lifecycle(LifecycleEvent.Type.INSTANCE_STARTED, Map.of());
        m.call("wasi_snapshot_preview1", "fd_write", Map.of("fd", 1), () -> 0);
        assertThat(events).extracting(Event::sessionId).containsOnly("session-7");
        assertThat(m.sessionId()).isEqualTo("session-7");

        events.clear();
        Mediator none = mediator(null);
        none.call("wasi_snapshot_preview1", "fd_write", Map.of("fd", 1), () -> 0);
        assertThat(events).extracting(Event::sessionId).containsOnlyNulls();
    }

    @Test
    void callNamesStayRightAcrossManyFunctions() {
        // more distinct names than the name cache holds, alternating, with equal hash slots
        Mediator m = mediator(null);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                String module = i % 2 == 0 ? "wasi_snapshot_preview1" : "tools";
                String function = i % 2 == 0 ? "fd_" + i : "search";
                m.call(module, new String(function), Map.of(), () -> 0);
                expected.add(module + "." + function);
            }
        }
        assertThat(calls()).extracting(HostCallEvent::call).containsExactlyElementsOf(expected);
    }
}
