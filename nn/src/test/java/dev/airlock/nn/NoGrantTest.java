package dev.airlock.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without the capability a module importing {@code wasi_ephemeral_nn} still runs, and every call is
 * refused with {@code unsupported_operation} and recorded as an {@code nn.none} denial.
 */
class NoGrantTest {
    private static final List<String> CALLS =
            List.of(
                    "(call $load (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 0x100))",
                    "(call $load_by_name (i32.const 64) (i32.const 1) (i32.const 0x100))",
                    "(call $init (i32.const 0) (i32.const 0x104))",
                    "(call $set_input (i32.const 0) (i32.const 0) (i32.const 0x200))",
                    "(call $compute (i32.const 0))",
                    "(call $get_output (i32.const 0) (i32.const 0) (i32.const 0x400) (i32.const 64) (i32.const 0x108))");

    @Test
    void everyCallIsRefusedAsADenial() {
        StringBuilder body = new StringBuilder("(func (export \"_start\") (local $sum i32)\n");
        for (String c : CALLS) {
            // sums (errno == 6) over the six calls
            body.append("(local.set $sum (i32.add (local.get $sum) (i32.eq (i32.const 6) ")
                    .append(c)
                    .append(")))\n");
        }
        body.append("(call $exit (local.get $sum)))");
        byte[] wasm = NnGuests.module(Misuse.DATA + body);
        for (Policy p :
                List.of(
                        WasiNn.grant(Policy.builder(), NnGrant.none()).build(),
                        WasiNn.grant(Policy.builder(), NnGrant.none())
                                .args("with", "arguments")
                                .build())) {
            NnGuests.Run run = NnGuests.run(wasm, p);
            assertThat(run.outcome().status()).isEqualTo(Status.EXIT);
            assertThat(run.exit()).isEqualTo(6);
            assertThat(run.outcome().denials())
                    .hasSize(6)
                    .allMatch(d -> d.rule().equals("nn.none"))
                    .allMatch(d -> d.call().startsWith("wasi_ephemeral_nn."));
            List<HostCallEvent> nn =
                    run.calls().stream()
                            .filter(e -> e.call().startsWith("wasi_ephemeral_nn"))
                            .toList();
            assertThat(nn).hasSize(6).allMatch(e -> e.decision() == Decision.DENY);
            assertThat(nn).allMatch(e -> e.result() == NnErrno.UNSUPPORTED_OPERATION);
        }
    }

    @Test
    void theCapabilityIsOffByDefault() {
        assertThat(NnGrant.none().granted()).isFalse();
        assertThat(NnGrant.builder().build().granted()).isTrue();
        assertThat(NnGrant.builder().build().maxModelBytes()).isZero();
        assertThat(NnGrant.builder().build().models()).isEmpty();
    }
}
