package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.LifecycleEvent;
import dev.airlock.core.testing.Guests;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refusals that happen before a run can start also reach the events, so that an audit trail shows
 * them: bytes that do not load ({@link dev.airlock.core.Airlock#rejected}) and a module that cannot
 * be metered when a fuel budget is set ({@link dev.airlock.core.Airlock#run}).
 */
class RejectionEventsTest {
    private static void assertRefusal(List<Event> events, Outcome o, String reason) {
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isEqualTo(reason);
        assertThat(events).hasSize(2);
        LifecycleEvent rejected = (LifecycleEvent) events.get(0);
        LifecycleEvent outcome = (LifecycleEvent) events.get(1);
        assertThat(rejected.type()).isEqualTo(LifecycleEvent.Type.MODULE_REJECTED);
        assertThat(rejected.details()).containsEntry("reason", reason);
        assertThat(o.message()).isEqualTo("module rejected: " + rejected.details().get("problem"));
        assertThat(outcome.type()).isEqualTo(LifecycleEvent.Type.OUTCOME);
        assertThat(outcome.details()).containsEntry("status", "rejected");
        assertThat(outcome.details()).containsEntry("kind", reason);
        assertThat(rejected.runId()).isNotNull().isEqualTo(outcome.runId());
        assertThat(rejected.seq()).isEqualTo(1);
        assertThat(outcome.seq()).isEqualTo(2);
    }

    @Test
    void bytesThatDoNotLoadAreReportedAsARefusedRun() {
        byte[] junk = "not webassembly at all".getBytes(StandardCharsets.UTF_8);
        ModuleRejectedException e = null;
        try {
            Guests.AIRLOCK.load(junk);
        } catch (ModuleRejectedException x) {
            e = x;
        }
        assertThat(e).isNotNull();
        List<Event> events = new ArrayList<>();
        Outcome o = Guests.AIRLOCK.rejected(e, events::add);
        assertRefusal(events, o, e.reason());
        assertThat(o).isEqualTo(e.toOutcome());
        assertThat(events.get(0).moduleSha256()).isEqualTo(e.sha256());
        assertThat(((LifecycleEvent) events.get(0)).details().get("problem"))
                .isEqualTo(e.getMessage());
    }

    @Test
    void anUnreadableFileIsReportedWithoutAModuleHash() {
        ModuleRejectedException e = null;
        try {
            Guests.AIRLOCK.load(java.nio.file.Path.of("/nonexistent/airlock/none.wasm"));
        } catch (ModuleRejectedException x) {
            e = x;
        }
        assertThat(e).isNotNull();
        List<Event> events = new ArrayList<>();
        Outcome o = Guests.AIRLOCK.rejected(e, events::add);
        assertRefusal(events, o, "unreadable");
        assertThat(events.get(0).moduleSha256()).isNull();
    }

    @Test
    void anUnmeterableModuleRunWithFuelIsReported() throws Exception {
        // a tag section (exception handling): loads, but the metering pass refuses it
        byte[] wasm = {
            0x00,
            0x61,
            0x73,
            0x6d,
            0x01,
            0x00,
            0x00,
            0x00, // header
            0x01,
            0x04,
            0x01,
            0x60,
            0x00,
            0x00, // type 0: [] -> []
            0x03,
            0x02,
            0x01,
            0x00, // one function of type 0
            0x0d,
            0x03,
            0x01,
            0x00,
            0x00, // one tag of type 0
            0x07,
            0x0a,
            0x01,
            0x06,
            '_',
            's',
            't',
            'a',
            'r',
            't',
            0x00,
            0x00, // export _start
            0x0a,
            0x04,
            0x01,
            0x02,
            0x00,
            0x0b // code: empty body
        };
        var module = Guests.AIRLOCK.load(wasm);
        Policy metered = Policy.builder().limits(Limits.builder().fuel(1_000_000).build()).build();
        List<Event> events = new ArrayList<>();
        Outcome o =
                Guests.AIRLOCK.run(
                        module,
                        metered,
                        Stdio.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()),
                        events::add);
        assertRefusal(events, o, "unmeterable");
        assertThat(events.get(0).moduleSha256()).isEqualTo(module.sha256());
        // without fuel the same module runs
        assertThat(Guests.AIRLOCK.run(module, Policy.defaults(), Stdio.discard()).status())
                .isEqualTo(Status.OK);
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThatThrownBy(() -> Guests.AIRLOCK.rejected(null, e -> {}))
                .isInstanceOf(NullPointerException.class);
    }
}
