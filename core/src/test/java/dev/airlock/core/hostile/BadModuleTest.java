package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Usage;
import dev.airlock.core.testing.Guests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Modules that must be refused before any of their code runs: imports nothing provides, bytes that
 * are not WebAssembly, invalid code, and modules without an entry point. Each ends as {@link
 * Status#REJECTED} with its reason, a message that names the problem, no usage, and as events only
 * the refusal ({@code MODULE_REJECTED}, {@code OUTCOME}; none for bytes that do not even load).
 */
class BadModuleTest {
    /** A module whose _start would print "ran" if it ever ran. */
    private static String module(String imports) {
        return "(module\n"
                + imports
                + "\n"
                + """
                  (import "wasi_snapshot_preview1" "fd_write"
                    (func $fd_write (param i32 i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 16) "ran")
                  (func (export "_start")
                    (i32.store (i32.const 0) (i32.const 16))
                    (i32.store (i32.const 4) (i32.const 3))
                    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
                """;
    }

    private static void assertRejected(Hostile.Result r, String reason, String message) {
        Outcome o = r.outcome();
        assertThat(o.status()).isEqualTo(Status.REJECTED);
        assertThat(o.kind()).isEqualTo(reason);
        assertThat(o.message()).isEqualTo(message);
        assertThat(o.exitCode()).isNull();
        assertThat(o.usage()).isEqualTo(Usage.NONE);
        assertThat(o.denials()).isEmpty();
        assertThat(r.stdout()).isEmpty();
        onlyTheRefusal(r);
    }

    /**
     * Bytes that do not load (malformed, invalid) never reach a run: no events. A module refused
     * for what it asks (imports, entry point, memory) leaves exactly its refusal in the events.
     */
    static void onlyTheRefusal(Hostile.Result r) {
        String kind = r.outcome().kind();
        if (kind.equals("malformed") || kind.equals("invalid")) {
            assertThat(r.events()).isEmpty();
            return;
        }
        assertThat(r.events()).hasSize(2);
        assertThat(r.events().get(0))
                .isInstanceOfSatisfying(
                        dev.airlock.core.event.LifecycleEvent.class,
                        e -> {
                            assertThat(e.type())
                                    .isEqualTo(
                                            dev.airlock.core.event.LifecycleEvent.Type
                                                    .MODULE_REJECTED);
                            assertThat(e.details()).containsEntry("reason", kind);
                        });
        assertThat(r.events().get(1))
                .isInstanceOfSatisfying(
                        dev.airlock.core.event.LifecycleEvent.class,
                        e -> {
                            assertThat(e.type())
                                    .isEqualTo(dev.airlock.core.event.LifecycleEvent.Type.OUTCOME);
                            assertThat(e.details()).containsEntry("status", "rejected");
                        });
    }

    @Test
    void importFromAnUnknownModule() {
        byte[] wasm = Guests.wat(module("(import \"env\" \"foo\" (func (param i32)))"));
        Hostile.Result r = Hostile.run(wasm, Policy.defaults());
        assertRejected(
                r,
                "unknown-import",
                "module rejected: import env.foo (function): no such host module 'env' (Airlock"
                        + " provides wasi_snapshot_preview1)");
        // inspect says the same before anything runs
        ModuleInfo info = Guests.AIRLOCK.inspect(load(wasm), Policy.defaults());
        assertThat(info.runnable()).isFalse();
        assertThat(info.problems())
                .containsExactly(
                        "import env.foo (function): no such host module 'env' (Airlock provides"
                                + " wasi_snapshot_preview1)");
    }

    @Test
    void unknownWasiFunction() {
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                module(
                                        "(import \"wasi_snapshot_preview1\" \"fd_teleport\""
                                                + " (func (param i32) (result i32)))")),
                        Policy.defaults());
        assertRejected(
                r,
                "unknown-import",
                "module rejected: import wasi_snapshot_preview1.fd_teleport (function): not a WASI"
                        + " preview 1 function");
    }

    @Test
    void wasiFunctionWithTheWrongSignature() {
        // proc_exit takes an i32 and returns nothing; this one asks for an i64 and a result
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                module(
                                        "(import \"wasi_snapshot_preview1\" \"proc_exit\""
                                                + " (func (param i64) (result i32)))")),
                        Policy.defaults());
        assertRejected(
                r,
                "unknown-import",
                "module rejected: import wasi_snapshot_preview1.proc_exit (function): signature"
                        + " (I64) -> (I32) does not match WASI's (I32) -> nil");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "(import \"env\" \"memory\" (memory 1))",
                "(import \"wasi_snapshot_preview1\" \"memory\" (memory 1))",
                "(import \"env\" \"table\" (table 1 funcref))",
                "(import \"env\" \"g\" (global i32))",
                "(import \"wasi_snapshot_preview1\" \"g\" (global i32))"
            })
    void importsThatAreNotFunctions(String imp) {
        // the module's own memory is dropped when it imports one
        String wat = module(imp);
        if (imp.contains("(memory")) {
            wat = wat.replace("(memory (export \"memory\") 1)", "");
        }
        Hostile.Result r = Hostile.run(Guests.wat(wat), Policy.defaults());
        String module = imp.split("\"")[1];
        String name = imp.split("\"")[3];
        String type =
                imp.contains("(memory") ? "memory" : imp.contains("(table") ? "table" : "global";
        String why =
                module.equals("env")
                        ? "no such host module 'env' (Airlock provides wasi_snapshot_preview1)"
                        : "only functions are provided";
        assertRejected(
                r,
                "unknown-import",
                "module rejected: import " + module + "." + name + " (" + type + "): " + why);
    }

    @Test
    void garbageBytes() {
        Hostile.Result r =
                Hostile.run(
                        "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8),
                        Policy.defaults());
        assertRejected(
                r,
                "malformed",
                "module rejected: malformed module: magic header not detected, found: [35, 33, 47,"
                        + " 98] expected: [0, 97, 115, 109]");
        assertThat(r.outcome().moduleSha256()).hasSize(64);
    }

    @Test
    void wrongVersion() {
        byte[] wasm = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
        assertRejected(
                Hostile.run(wasm, Policy.defaults()),
                "malformed",
                "module rejected: malformed module: unknown binary version, found: [2, 0, 0, 0]"
                        + " expected: [1, 0, 0, 0]");
    }

    @Test
    void shorterThanTheHeader() {
        assertRejected(
                Hostile.run(new byte[] {0x00, 0x61, 0x73}, Policy.defaults()),
                "malformed",
                "module rejected: malformed module: length out of bounds");
    }

    @Test
    void truncatedModules() {
        byte[] whole = Guests.wat(Guests.helloWat("hello\n"));
        int malformed = 0;
        // every proper prefix: never an internal error or a trap; a prefix that ends between two
        // sections is a well-formed module that lacks what was cut off (without its data section
        // the hello module runs and prints zero bytes instead of its text)
        for (int len = 9; len < whole.length; len++) {
            Hostile.Result r = Hostile.run(Arrays.copyOf(whole, len), Policy.defaults());
            String at = "prefix of " + len + " bytes: " + r.outcome();
            assertThat(r.outcome().status()).as(at).isIn(Status.REJECTED, Status.OK);
            if (r.outcome().status() == Status.OK) {
                assertThat(r.stdout()).as(at).isEqualTo("\0".repeat(6));
                continue;
            }
            assertThat(r.outcome().kind()).as(at).isIn("malformed", "no-entry-point");
            if (r.outcome().kind().equals("malformed")) {
                malformed++;
                assertThat(r.outcome().message())
                        .as(at)
                        .startsWith("module rejected: malformed module: ");
            }
            assertThat(r.stdout()).isEmpty();
            onlyTheRefusal(r);
        }
        assertThat(malformed).isGreaterThan(whole.length - 20);
        // the 8-byte header alone is a valid empty module, which has no entry point
        Hostile.Result header = Hostile.run(Arrays.copyOf(whole, 8), Policy.defaults());
        assertRejected(
                header,
                "no-entry-point",
                "module rejected: no entry point: the module does not export a _start function");
    }

    @Test
    void truncatedInsideASection() {
        byte[] whole = Guests.wat(Guests.helloWat("hello\n"));
        // the data section is the last one: cut its last 3 bytes
        Hostile.Result r = Hostile.run(Arrays.copyOf(whole, whole.length - 3), Policy.defaults());
        assertRejected(
                r,
                "malformed",
                "module rejected: malformed module: length out of bounds for section11");
    }

    @Test
    void emptyFile(@TempDir Path dir) throws Exception {
        Hostile.Result r = Hostile.run(new byte[0], Policy.defaults());
        assertRejected(r, "malformed", "module rejected: empty file (no WebAssembly magic)");
        // the same through the file loader
        Path empty = Files.write(dir.resolve("empty.wasm"), new byte[0]);
        try {
            Guests.AIRLOCK.load(empty);
            throw new AssertionError("an empty file was accepted");
        } catch (ModuleRejectedException e) {
            assertThat(e.reason()).isEqualTo("malformed");
            assertThat(e.getMessage()).isEqualTo("empty file (no WebAssembly magic)");
        }
    }

    @Test
    void invalidCode() {
        // (func (result i32) (i64.const 0)): a type error the validator must catch
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
            0x05,
            0x01,
            0x60,
            0x00,
            0x01,
            0x7f, // type: () -> i32
            0x03,
            0x02,
            0x01,
            0x00, // function 0 of type 0
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
            0x06,
            0x01,
            0x04,
            0x00,
            0x42,
            0x00,
            0x0b // code: i64.const 0, end
        };
        assertRejected(
                Hostile.run(wasm, Policy.defaults()),
                "invalid",
                "module rejected: invalid module: type mismatch: instruction requires [i32] but"
                        + " stack has [i64]");
    }

    @Test
    void noEntryPoint() {
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                module("")
                                        .replace(
                                                "(func (export \"_start\")",
                                                "(func (export \"main\")")),
                        Policy.defaults());
        assertRejected(
                r,
                "no-entry-point",
                "module rejected: no entry point: the module does not export a _start function");
    }

    @Test
    void startThatIsNotAFunction() {
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                "(module (global (export \"_start\") i32 (i32.const 0))"
                                        + " (memory (export \"memory\") 1))"),
                        Policy.defaults());
        assertRejected(
                r,
                "no-entry-point",
                "module rejected: no entry point: the module does not export a _start function");
    }

    @Test
    void startWithParametersOrResults() {
        // _start must be () -> (); anything else is not a WASI command's entry point
        for (String sig : new String[] {"(result i32)", "(param i64 f64)", "(param i32)"}) {
            String body = sig.contains("result") ? "(i32.const 7)" : "";
            Hostile.Result r =
                    Hostile.run(
                            Guests.wat(
                                    "(module (memory (export \"memory\") 1) (func (export"
                                            + " \"_start\") "
                                            + sig
                                            + " "
                                            + body
                                            + "))"),
                            Policy.defaults());
            assertRejected(
                    r,
                    "no-entry-point",
                    "module rejected: no entry point: _start must take no parameters and return"
                            + " nothing");
        }
    }

    @Test
    void aReexportedHostFunctionAsStart() {
        // proc_exit(i32) exported as the entry point
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                "(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func"
                                        + " $exit (param i32))) (memory (export \"memory\") 1)"
                                        + " (export \"_start\" (func $exit)))"),
                        Policy.defaults());
        assertRejected(
                r,
                "no-entry-point",
                "module rejected: no entry point: _start must take no parameters and return"
                        + " nothing");
        // sched_yield: () -> i32
        r =
                Hostile.run(
                        Guests.wat(
                                "(module (import \"wasi_snapshot_preview1\" \"sched_yield\""
                                        + " (func $y (result i32))) (func $f) (memory (export"
                                        + " \"memory\") 1) (export \"_start\" (func $y)))"),
                        Policy.defaults());
        assertThat(r.outcome().kind()).isEqualTo("no-entry-point");
        // and a proper _start after an import is found by its index
        r =
                Hostile.run(
                        Guests.wat(
                                "(module (import \"wasi_snapshot_preview1\" \"sched_yield\""
                                        + " (func $y (result i32))) (func $f) (memory (export"
                                        + " \"memory\") 1) (export \"_start\" (func $f)))"),
                        Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
    }

    @Test
    void theFirstProblemDecidesTheReasonAndTheModuleNeverRuns() {
        // unknown import and too much memory at once
        Hostile.Result r =
                Hostile.run(
                        Guests.wat(
                                module("(import \"env\" \"a\" (func))")
                                        .replace(
                                                "(memory (export \"memory\") 1)",
                                                "(memory (export \"memory\") 5000)")),
                        Policy.builder()
                                .limits(
                                        dev.airlock.core.Limits.builder()
                                                .memoryBytes(1 << 20)
                                                .build())
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.REJECTED);
        assertThat(r.outcome().kind()).isEqualTo("unknown-import");
        assertThat(r.stdout()).isEmpty();
        onlyTheRefusal(r);
    }

    private static GuestModule load(byte[] wasm) {
        try {
            return Airlock.create().load(wasm);
        } catch (ModuleRejectedException e) {
            throw new AssertionError(e);
        }
    }
}
