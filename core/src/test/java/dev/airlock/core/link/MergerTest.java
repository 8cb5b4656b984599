package dev.airlock.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.CallResult;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.core.link.Merger.Export;
import dev.airlock.core.link.Merger.Host;
import dev.airlock.core.link.Merger.LinkException;
import dev.airlock.core.link.Merger.Part;
import dev.airlock.core.testing.Guests;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Linking core modules into one: each kind of shared item (function, table, memory, global), the
 * wit-component shim and fixup pattern (a table filled after the module that calls through it),
 * start functions in order, and what is refused.
 */
class MergerTest {
    /** Defines memory, a mutable global, a table and functions; its start sets the global to 5. */
    static final String A =
            """
            (module
              (type $t (func (result i32)))
              (memory (export "memory") 1)
              (global $g (export "g") (mut i32) (i32.const 0))
              (table (export "table") 2 funcref)
              (func $seven (export "seven") (result i32) (i32.const 7))
              (func $start (global.set $g (i32.const 5)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "indirect") (param i32) (result i32)
                (call_indirect (type $t) (local.get 0)))
              (elem (i32.const 0) $seven)
              (start $start))
            """;

    /**
     * Imports all of A's, fills A's table slot 1, writes A's memory from a data segment, and adds
     * 10 to A's global in its start (so it must run after A's).
     */
    static final String B =
            """
            (module
              (type $t (func (result i32)))
              (import "a" "seven" (func $seven (result i32)))
              (import "a" "memory" (memory 1))
              (import "a" "g" (global $g (mut i32)))
              (import "a" "table" (table 2 funcref))
              (import "host" "double" (func $double (param i32) (result i32)))
              (func $nine (result i32) (i32.const 9))
              (func $start (global.set $g (i32.add (global.get $g) (i32.const 10))))
              (func (export "sum") (result i32)
                (i32.add (call $seven) (call $double (global.get $g))))
              (func (export "via-table") (result i32)
                (i32.add (call_indirect (type $t) (i32.const 0))
                         (call_indirect (type $t) (i32.const 1))))
              (elem (i32.const 1) $nine)
              (data (i32.const 16) "\\2a\\00\\00\\00")
              (start $start))
            """;

    static List<Part> parts(String a, String b) {
        return List.of(
                new Part(Guests.wat(a), (m, n) -> null),
                new Part(
                        Guests.wat(b),
                        (m, n) -> m.equals("a") ? new Export(0, n) : new Host("env", n)));
    }

    static long call(byte[] merged, String export, long... args) {
        dev.airlock.core.InstanceSetup setup =
                dev.airlock.core.InstanceSetup.builder()
                        .link(
                                new dev.airlock.core.LinkedImport(
                                        "env",
                                        "double",
                                        List.of(dev.airlock.core.HostImport.ValueType.I32),
                                        List.of(dev.airlock.core.HostImport.ValueType.I32),
                                        (g, a) -> new long[] {a[0] * 2}))
                        .build();
        try (GuestInstance gi =
                Guests.AIRLOCK.instantiate(Guests.AIRLOCK.load(merged), Policy.defaults(), setup)) {
            CallResult r = gi.call(export, Stdio.discard(), args);
            assertThat(r.outcome().status()).as(r.outcome().message()).isEqualTo(Status.OK);
            return r.results()[0];
        } catch (dev.airlock.core.ModuleRejectedException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    @Test
    void sharedFunctionsGlobalsAndHostImports() throws Exception {
        byte[] m = Merger.merge(parts(A, B));
        // 7 + double(5 + 10): both starts ran, A's first
        assertThat(call(m, Merger.exportName(1, "sum"))).isEqualTo(7 + 30);
    }

    @Test
    void sharedTableFilledByALaterModule() throws Exception {
        byte[] m = Merger.merge(parts(A, B));
        assertThat(call(m, Merger.exportName(1, "via-table"))).isEqualTo(16);
        assertThat(call(m, Merger.exportName(0, "indirect"), 1)).isEqualTo(9);
    }

    @Test
    void sharedMemoryHoldsTheLaterModulesData() throws Exception {
        byte[] m = Merger.merge(parts(A, B));
        assertThat(call(m, Merger.exportName(0, "load"), 16)).isEqualTo(42);
    }

    @Test
    void twoMemoriesAreRefused() {
        String other = "(module (memory 1) (func (export \"f\")))";
        assertThatThrownBy(
                        () ->
                                Merger.merge(
                                        List.of(
                                                new Part(Guests.wat(A), (m, n) -> null),
                                                new Part(Guests.wat(other), (m, n) -> null))))
                .isInstanceOf(LinkException.class)
                .hasMessage("unsupported: linked core modules with several memories");
    }

    @Test
    void importsMustNameAnEarlierModuleAndTheRightKind() {
        assertThatThrownBy(
                        () ->
                                Merger.merge(
                                        List.of(
                                                new Part(Guests.wat(B), (m, n) -> new Export(1, n)),
                                                new Part(Guests.wat(A), (m, n) -> null))))
                .isInstanceOf(LinkException.class)
                .hasMessageContaining("not instantiated before it");
        String wrongKind = "(module (import \"a\" \"g\" (func)) (func (export \"f\")))";
        assertThatThrownBy(
                        () ->
                                Merger.merge(
                                        List.of(
                                                new Part(Guests.wat(A), (m, n) -> null),
                                                new Part(
                                                        Guests.wat(wrongKind),
                                                        (m, n) -> new Export(0, n)))))
                .hasMessage("core import a.g is not an export of that kind");
        String wrongType =
                "(module (import \"a\" \"seven\" (func (param i32))) (func (export \"f\")))";
        assertThatThrownBy(
                        () ->
                                Merger.merge(
                                        List.of(
                                                new Part(Guests.wat(A), (m, n) -> null),
                                                new Part(
                                                        Guests.wat(wrongType),
                                                        (m, n) -> new Export(0, n)))))
                .hasMessage("core import a.seven has another function type than the export");
        assertThatThrownBy(() -> Merger.merge(List.of(new Part(Guests.wat(B), (m, n) -> null))))
                .hasMessage("core import a.seven not supplied");
    }

    @Test
    void damagedModulesFailWithOneLine() {
        byte[] a = Guests.wat(A);
        byte[] b = Guests.wat(B);
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            byte[] cut = b.clone();
            if (i < b.length) {
                cut = java.util.Arrays.copyOf(b, i);
            } else {
                cut[random.nextInt(cut.length)] = (byte) random.nextInt(256);
            }
            byte[] bad = cut;
            try {
                byte[] merged =
                        Merger.merge(
                                List.of(
                                        new Part(a, (m, n) -> null),
                                        new Part(
                                                bad,
                                                (m, n) ->
                                                        m.equals("a")
                                                                ? new Export(0, n)
                                                                : new Host("env", n))));
                assertThat(merged).isNotEmpty();
            } catch (LinkException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
        }
    }
}
