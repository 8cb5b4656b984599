package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.nn.onnx.Models;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    void aComputationUnderWayIsStoppedByTheRunsTimeout() throws Exception {
        // 120 layers of [8192, 1024] x [1024, 1024] (rows are dynamic; the input is 32 MiB of
        // zeros in guest memory): about 2 TFLOP in one compute call, tens of seconds on one thread
        // even for the fastest CPU kernels, from a small model (4 MiB, 240 nodes) that loads well
        // within the 6 s timeout even on a loaded machine
        var model = NnGuests.model("slow", Models.chain(-1, 1024, 120, 9));
        String body =
                """
                (i32.store (i32.const 0x300) (i32.const 8192))
                (i32.store (i32.const 0x304) (i32.const 1024))
                %s
                (call $ok (i32.const 3) %s)
                """
                        .formatted(
                                Misuse.tensor(0x300, 2, 1, 0x10000, 8192 * 1024 * 4), Misuse.SET);
        Policy p =
                WasiNn.grant(
                                Policy.builder(),
                                NnGrant.builder().model("m", model).threads(1).build())
                        .limits(Limits.builder().timeout(Duration.ofSeconds(6)).build())
                        .build();
        byte[] wasm =
                NnGuests.module(
                        520,
                        Misuse.DATA
                                + "(func (export \"_start\")\n"
                                + Misuse.SETUP
                                + body
                                + "(call $exit "
                                + Misuse.COMPUTE
                                + "))");
        // the compute call's event may come after the outcome (which does not wait for a host
        // call that is slow to return): wait for it
        List<HostCallEvent> calls = new CopyOnWriteArrayList<>();
        CountDownLatch computed = new CountDownLatch(1);
        Outcome o =
                NnGuests.AIRLOCK.run(
                        NnGuests.AIRLOCK.load(wasm),
                        p,
                        Stdio.discard(),
                        e -> {
                            if (e instanceof HostCallEvent h) {
                                calls.add(h);
                                if (h.call().equals("wasi_ephemeral_nn.compute")) {
                                    computed.countDown();
                                }
                            }
                        });
        assertThat(o.status()).as(o + " " + calls).isEqualTo(Status.LIMIT);
        assertThat(o.kind()).isEqualTo(LimitKind.TIME.id());
        assertThat(computed.await(120, TimeUnit.SECONDS)).as("compute returned: " + calls).isTrue();
        // the computation itself was cut short by ONNX Runtime's terminate flag
        HostCallEvent compute =
                calls.stream()
                        .filter(e -> e.call().equals("wasi_ephemeral_nn.compute"))
                        .findFirst()
                        .orElseThrow();
        assertThat(compute.result()).isEqualTo((long) NnErrno.RUNTIME_ERROR);
        assertThat(compute.args().get("detail")).asString().containsIgnoringCase("terminat");
    }
}
