package dev.airlock.core.testing;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Helpers for tests: assemble WAT, run it, capture output. */
public final class Guests {
    /** One Airlock shared by tests (its caches are what real embedders share too). */
    public static final Airlock AIRLOCK = Airlock.create();

    private Guests() {}

    public static byte[] wat(String wat) {
        return Wat2Wasm.parse(wat);
    }

    /**
     * The test corpora, unzipped by the build from the repository's {@code testdata/} into this
     * module's {@code target/testdata} ({@code wasm-spec/core-v2}, {@code wasi-testsuite/tests},
     * {@code sightglass/noop}).
     */
    public static Path testdata() {
        String p = System.getProperty("airlock.testdata");
        return p != null ? Path.of(p) : Path.of("target/testdata");
    }

    /** The result of a captured run. */
    public record Run(Outcome outcome, String stdout, String stderr) {}

    public static Run run(byte[] wasm, Policy policy) {
        return run(AIRLOCK, wasm, policy);
    }

    public static Run run(Airlock airlock, byte[] wasm, Policy policy) {
        GuestModule m;
        try {
            m = airlock.load(wasm);
        } catch (ModuleRejectedException e) {
            return new Run(e.toOutcome(), "", "");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Outcome o = airlock.run(m, policy, Stdio.of(out, err));
        return new Run(
                o, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A WASI command whose _start writes {@code text} to stdout and returns. */
    public static String helloWat(String text) {
        StringBuilder data = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            data.append(String.format("\\%02x", b));
        }
        return "(module\n"
                + "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
                + "  (memory (export \"memory\") 1)\n"
                + "  (data (i32.const 16) \""
                + data
                + "\")\n"
                + "  (func (export \"_start\")\n"
                + "    (i32.store (i32.const 0) (i32.const 16))\n"
                + "    (i32.store (i32.const 4) (i32.const "
                + text.getBytes(StandardCharsets.UTF_8).length
                + "))\n"
                + "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))\n";
    }
}
