package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guests that probe their environment and arguments. Without a grant they see no variables (and the
 * probe is recorded as a denial of rule {@code env.none}); with one they see exactly the granted
 * variables, never the host's; their arguments are exactly the program name and the policy's
 * arguments.
 */
class EnvironmentTest {
    /**
     * Prints, for the environment and then the arguments: the sizes call's errno, the count, the
     * buffer size, the get call's errno, then every string (found through its pointer) on its own
     * line.
     */
    private static final byte[] PROBE =
            Hostile.guest(
                    """
                    ;; prints the NUL-terminated string at $p and a newline
                    (func $puts (param $p i32) (local $e i32)
                      (local.set $e (local.get $p))
                      (block $end
                        (loop $scan
                          (br_if $end (i32.eqz (i32.load8_u (local.get $e))))
                          (local.set $e (i32.add (local.get $e) (i32.const 1)))
                          (br $scan)))
                      (call $print (local.get $p) (i32.sub (local.get $e) (local.get $p)))
                      (call $nl))
                    (func $dump (param $count i32) (local $i i32)
                      (block $end
                        (loop $each
                          (br_if $end (i32.ge_u (local.get $i) (local.get $count)))
                          (call $puts (i32.load (i32.add (i32.const 8192)
                                                         (i32.shl (local.get $i) (i32.const 2)))))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (br $each))))
                    (func (export "_start")
                      (call $say (call $environ_sizes_get (i32.const 256) (i32.const 260)))
                      (call $say (i32.load (i32.const 256)))
                      (call $say (i32.load (i32.const 260)))
                      (call $say (call $environ_get (i32.const 8192) (i32.const 16384)))
                      (call $dump (i32.load (i32.const 256)))
                      (call $say (call $args_sizes_get (i32.const 256) (i32.const 260)))
                      (call $say (i32.load (i32.const 256)))
                      (call $say (i32.load (i32.const 260)))
                      (call $say (call $args_get (i32.const 8192) (i32.const 16384)))
                      (call $dump (i32.load (i32.const 256))))
                    """);

    @Test
    void noEnvironmentIsGrantedByDefault() {
        Hostile.Result r = Hostile.run(PROBE, Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                0,
                                0,
                                0, // no variables at all
                                0,
                                1,
                                10,
                                0,
                                "main.wasm"));
        assertThat(r.outcome().denials())
                .containsExactly(
                        new Denial(
                                "wasi_snapshot_preview1.environ_sizes_get",
                                "env.none",
                                "no environment variables are granted"),
                        new Denial(
                                "wasi_snapshot_preview1.environ_get",
                                "env.none",
                                "no environment variables are granted"));
        List<HostCallEvent> env =
                r.hostCalls().stream().filter(e -> e.call().contains("environ_")).toList();
        assertThat(env).hasSize(2);
        assertThat(env)
                .allMatch(
                        e ->
                                e.decision() == Decision.DENY
                                        && "env.none".equals(e.rule())
                                        && e.result() == 0L);
    }

    @Test
    void exactlyTheGrantedVariables() {
        Hostile.Result r =
                Hostile.run(
                        PROBE,
                        Policy.builder()
                                .env("GREETING", "hello world")
                                .env("EMPTY", "")
                                .env("EQUALS", "a=b=c")
                                .env("UNICODE", "héllo ✓")
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        int size =
                ("GREETING=hello world\0EMPTY=\0EQUALS=a=b=c\0UNICODE=héllo ✓\0")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        .length;
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0,
                                4,
                                size,
                                0,
                                "GREETING=hello world",
                                "EMPTY=",
                                "EQUALS=a=b=c",
                                "UNICODE=héllo ✓",
                                0,
                                1,
                                10,
                                0,
                                "main.wasm"));
        assertThat(r.outcome().denials()).isEmpty();
    }

    @Test
    void theHostEnvironmentNeverLeaks() {
        // the JVM running the tests has a PATH (and usually HOME): none of it reaches the guest
        assertThat(System.getenv()).isNotEmpty();
        for (Policy p : List.of(Policy.defaults(), Policy.builder().env("ONLY", "this").build())) {
            Hostile.Result r = Hostile.run(PROBE, p);
            for (var e : System.getenv().entrySet()) {
                if (!e.getKey().equals("ONLY")) {
                    assertThat(r.stdout()).doesNotContain(e.getKey() + "=");
                }
            }
            assertThat(r.stdout()).doesNotContain("PATH=").doesNotContain("HOME=");
        }
    }

    @Test
    void aGrantedPathIsTheGrantedValueNotTheHosts() {
        Hostile.Result r = Hostile.run(PROBE, Policy.builder().env("PATH", "/sandbox/bin").build());
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(0, 1, 18, 0, "PATH=/sandbox/bin", 0, 1, 10, 0, "main.wasm"));
    }

    @Test
    void argumentsAfterTheProgramNameExactly() {
        Hostile.Result r =
                Hostile.run(
                        PROBE,
                        Policy.builder()
                                .programName("prog")
                                .args("a b", "", "--x=y", "ünï", "$HOME", "*")
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        int size =
                "prog\0a b\0\0--x=y\0ünï\0$HOME\0*\0"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        .length;
        assertThat(r.stdout())
                .isEqualTo(
                        Script.lines(
                                0, 0, 0, 0, 0, 7, size, 0, "prog", "a b", "", "--x=y", "ünï",
                                "$HOME", "*"));
    }
}
