package dev.airlock.nn;

import com.dylibso.chicory.wabt.Wat2Wasm;
import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.nn.onnx.Models;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test guests that use {@code wasi_ephemeral_nn}, written in WAT, and a way to run them. */
final class NnGuests {
    static final Airlock AIRLOCK = Airlock.create();

    private NnGuests() {}

    /** The imports and helpers every guest gets. */
    static final String PRELUDE =
            """
            (import "wasi_ephemeral_nn" "load" (func $load (param i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
            (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
            (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
            (import "wasi_ephemeral_nn" "get_output" (func $get_output (param i32 i32 i32 i32 i32) (result i32)))
            (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            ;; exits with 10 * step + errno unless errno is 0
            (func $ok (param $step i32) (param $errno i32)
              (if (local.get $errno)
                (then (call $exit (i32.add (i32.mul (local.get $step) (i32.const 10))
                                           (local.get $errno))))))
            ;; writes len bytes at ptr to stdout (iovec at 16)
            (func $out (param $ptr i32) (param $len i32)
              (i32.store (i32.const 16) (local.get $ptr))
              (i32.store (i32.const 20) (local.get $len))
              (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))
            """;

    /**
     * A module with one page (or {@code pages}) of exported memory, the prelude and {@code body}.
     */
    static byte[] module(String body) {
        return module(1, body);
    }

    static byte[] module(int pages, String body) {
        return Wat2Wasm.parse(
                "(module\n"
                        + PRELUDE
                        + "(memory (export \"memory\") "
                        + pages
                        + ")\n"
                        + body
                        + "\n)");
    }

    /** A WAT string literal of {@code bytes}. */
    static String data(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : bytes) {
            s.append(String.format("\\%02x", b));
        }
        return s.append('"').toString();
    }

    /** The little-endian bytes of u32 values. */
    static byte[] u32s(long... values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < 4; j++) {
                b[i * 4 + j] = (byte) (values[i] >>> (8 * j));
            }
        }
        return b;
    }

    /** The classifier model, written once to a temporary file. */
    static Path classifier() {
        return model("classifier", Models.classifier());
    }

    static Path model(String name, byte[] bytes) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "nn-models"));
            Path f = dir.resolve(name + ".onnx");
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A grant of the classifier under the name {@code m}. */
    static NnGrant.Builder classifierGrant() {
        return NnGrant.builder().model("m", classifier());
    }

    record Run(Outcome outcome, byte[] stdout, List<HostCallEvent> calls) {
        int exit() {
            return outcome.exitCode() == null ? -1 : outcome.exitCode();
        }

        /** The events of calls to a {@code wasi_ephemeral_nn} function. */
        List<HostCallEvent> nn(String function) {
            return calls.stream()
                    .filter(e -> e.call().equals(WasiNn.MODULE + "." + function))
                    .toList();
        }
    }

    static Run run(byte[] wasm, NnGrant grant) {
        return run(wasm, WasiNn.grant(Policy.builder(), grant).build());
    }

    static Run run(byte[] wasm, Policy policy) {
        GuestModule m;
        try {
            m = AIRLOCK.load(wasm);
        } catch (ModuleRejectedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Event> events = new ArrayList<>();
        Outcome o = AIRLOCK.run(m, policy, Stdio.of(out, new ByteArrayOutputStream()), events::add);
        List<HostCallEvent> calls = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof HostCallEvent) {
                calls.add((HostCallEvent) e);
            }
        }
        return new Run(o, out.toByteArray(), calls);
    }
}
