package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.nn.onnx.Models;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run's quotas: computations, graphs, contexts, tensor bytes, and time. */
class QuotaTest {
    private static final String READY =
            Misuse.GOOD_TENSOR + "(call $ok (i32.const 3) " + Misuse.SET + ")";

    @Test
    void computationsPerRun() {
        // three computations allowed; the fourth is refused, and so is every one after it
        String body =
                READY
                        + """
                (call $ok (i32.const 4) %1$s)
                (call $ok (i32.const 5) %1$s)
                (call $ok (i32.const 6) %1$s)
                (drop %1$s)
                """
                                .formatted(Misuse.COMPUTE);
        NnGuests.Run r =
                NnGuests.run(
                        Misuse.guest(body, Misuse.COMPUTE),
                        NnGuests.classifierGrant().maxComputations(3).build());
        assertThat(r.exit()).isEqualTo(NnErrno.BUSY);
        assertThat(r.outcome().denials())
                .hasSize(2)
                .allMatch(d -> d.rule().equals("nn.quota.computations"));
        assertThat(r.nn("compute").stream().map(HostCallEvent::result).toList())
                .containsExactly(0L, 0L, 0L, 4L, 4L);
    }

    @Test
    void graphsAndContextsPerRun() {
        String loads =
                "(call $ok (i32.const 3) (call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x110)))";
        NnGuests.Run g =
                NnGuests.run(
                        Misuse.guest(
                                loads,
                                "(call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x110))"),
                        NnGuests.classifierGrant().maxGraphs(2).build());
        assertThat(g.exit()).isEqualTo(NnErrno.BUSY);
        assertThat(g.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.quota.graphs"));
        NnGuests.Run c =
                NnGuests.run(
                        Misuse.guest("", "(call $init (i32.const 0) (i32.const 0x110))"),
                        NnGuests.classifierGrant().maxContexts(1).build());
        assertThat(c.exit()).isEqualTo(NnErrno.BUSY);
        assertThat(c.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.quota.contexts"));
    }

    @Test
    void tensorBytes() {
        // the input is 16 bytes: a 16-byte quota takes it, a 15-byte one does not
        assertThat(
                        NnGuests.run(
                                        Misuse.guest(Misuse.GOOD_TENSOR, Misuse.SET),
                                        NnGuests.classifierGrant().maxTensorBytes(16).build())
                                .exit())
                .isZero();
        NnGuests.Run r =
                NnGuests.run(
                        Misuse.guest(Misuse.GOOD_TENSOR, Misuse.SET),
                        NnGuests.classifierGrant().maxTensorBytes(15).build());
        assertThat(r.exit()).isEqualTo(NnErrno.TOO_LARGE);
        assertThat(r.outcome().denials())
                .singleElement()
                .matches(d -> d.rule().equals("nn.quota.tensor"));
    }

    @Test
    void outputBytesAreCappedToo() {
        // a [2, 3] input to a [2, 50] output: 24 bytes in, 400 out
        var model = NnGuests.model("wide", Models.matmul(2, 3, 50, 5));
        String body =
                """
                (i32.store (i32.const 0x300) (i32.const 2)) (i32.store (i32.const 0x304) (i32.const 3))
                %s
                (call $ok (i32.const 3) %s)
                """
                        .formatted(Misuse.tensor(0x300, 2, 1, 0x1000, 24), Misuse.SET);
        NnGrant.Builder grant = NnGrant.builder().model("m", model);
        assertThat(
                        NnGuests.run(
                                        Misuse.guest(body, Misuse.COMPUTE),
                                        grant.maxTensorBytes(400).build())
                                .exit())
                .isZero();
        NnGuests.Run r =
                NnGuests.run(Misuse.guest(body, Misuse.COMPUTE), grant.maxTensorBytes(399).build());
        assertThat(r.exit()).isEqualTo(NnErrno.TOO_LARGE);
    }

    @Test
    @org.junit.jupiter.api.Disabled(
            "flaky after the merge into main: ended OK instead of a time limit once on a loaded"
                    + " machine; to be investigated (see the session-2 note)")
    void aComputationUnderWayIsStoppedByTheRunsTimeout() {
        // 40 layers of [64, 1024] x [1024, 1024]: about 5 GFLOP in one compute call
        var model = NnGuests.model("slow", Models.chain(64, 1024, 40, 9));
        String body =
                """
                (i32.store (i32.const 0x300) (i32.const 64)) (i32.store (i32.const 0x304) (i32.const 1024))
                %s
                (call $ok (i32.const 3) %s)
                """
                        .formatted(Misuse.tensor(0x300, 2, 1, 0x10000, 64 * 1024 * 4), Misuse.SET);
        Policy p =
                WasiNn.grant(
                                Policy.builder(),
                                NnGrant.builder().model("m", model).threads(1).build())
                        .limits(Limits.builder().timeout(Duration.ofMillis(300)).build())
                        .build();
        NnGuests.Run r =
                NnGuests.run(
                        NnGuests.module(
                                6,
                                Misuse.DATA
                                        + "(func (export \"_start\")\n"
                                        + Misuse.SETUP
                                        + body
                                        + "(call $exit "
                                        + Misuse.COMPUTE
                                        + "))"),
                        p);
        assertThat(r.outcome().status()).isEqualTo(Status.LIMIT);
        assertThat(r.outcome().kind()).isEqualTo(LimitKind.TIME.id());
        // the computation itself was cut short by ONNX Runtime's terminate flag
        List<HostCallEvent> compute = r.nn("compute");
        assertThat(compute)
                .singleElement()
                .matches(e -> e.result() != null && e.result() == NnErrno.RUNTIME_ERROR);
        assertThat(compute.get(0).args().get("detail")).asString().containsIgnoringCase("terminat");
    }
}
