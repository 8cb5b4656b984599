package dev.airlock.core.engine.run;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.airlock.core.LimitKind;
import dev.airlock.core.Limits;
import dev.airlock.core.Size;
import dev.airlock.core.Status;
import dev.airlock.core.TrapKind;
import dev.airlock.core.engine.memory.ShadowStackOverflow;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.RunStoppedException;
import java.util.Locale;

/** Turns whatever ended a guest's execution into a status, kind and message. */
public final class Traps {
    private Traps() {}

    /** The classified end of a run. */
    public record End(Status status, Integer exitCode, String kind, String message) {
        public static End ok() {
            return new End(Status.OK, 0, null, "ok");
        }

        public static End limit(LimitKind kind, String message) {
            return new End(Status.LIMIT, null, kind.id(), message);
        }
    }

    public static End classify(Throwable t, Mediator mediator, Limits limits, long memoryBytes) {
        if (mediator.stopKind() != null) {
            return End.limit(mediator.stopKind(), mediator.stopMessage());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RunStoppedException) {
                RunStoppedException r = (RunStoppedException) c;
                return End.limit(r.kind(), r.getMessage());
            }
            if (c instanceof WasiExitException) {
                int code = ((WasiExitException) c).exitCode();
                return code == 0
                        ? End.ok()
                        : new End(Status.EXIT, code, null, "exited with code " + code);
            }
            if (c instanceof StackOverflowError) {
                return stack(limits);
            }
            if (c instanceof ShadowStackOverflow) {
                return End.limit(LimitKind.STACK, c.getMessage());
            }
        }
        if (t instanceof ChicoryInterruptedException) {
            return new End(Status.ERROR, null, null, "guest interrupted without a stop reason");
        }
        if (t instanceof OutOfMemoryError) {
            return End.limit(LimitKind.MEMORY, "limit exceeded: memory (host memory exhausted)");
        }
        String msg = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof ChicoryException && msg.startsWith("call stack exhausted")) {
            return stack(limits);
        }
        if (t instanceof RuntimeException) {
            TrapKind kind = trapKind(msg);
            if (memoryBytes + Limits.PAGE > limits.memoryBytes()) {
                return End.limit(
                        LimitKind.MEMORY,
                        "limit exceeded: memory ("
                                + Size.format(limits.memoryBytes())
                                + "; the guest trapped with its memory at the cap: "
                                + kind.id()
                                + ")");
            }
            return new End(Status.TRAP, null, kind.id(), "trap: " + kind.id() + detail(kind, msg));
        }
        return internal(t);
    }

    /**
     * An internal error: the throwable's message only, so that no host class name reaches the
     * caller or the user.
     */
    public static End internal(Throwable t) {
        String msg = t == null || t.getMessage() == null ? "" : t.getMessage();
        return new End(
                Status.ERROR,
                null,
                null,
                "internal error: " + (msg.isBlank() ? "the host failed unexpectedly" : msg));
    }

    private static End stack(Limits limits) {
        return End.limit(
                LimitKind.STACK,
                "limit exceeded: stack (call depth exhausted a "
                        + Size.format(limits.stackBytes())
                        + " stack)");
    }

    private static String detail(TrapKind kind, String msg) {
        return kind == TrapKind.HOST || kind == TrapKind.OTHER ? " (" + msg + ")" : "";
    }

    public static TrapKind trapKind(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("unreachable")) {
            return TrapKind.UNREACHABLE;
        }
        if (m.contains("out of bounds memory")) {
            return TrapKind.OUT_OF_BOUNDS_MEMORY;
        }
        if (m.contains("out of bounds table") || m.contains("undefined element")) {
            return TrapKind.OUT_OF_BOUNDS_TABLE;
        }
        if (m.contains("divide by zero")) {
            return TrapKind.INTEGER_DIVIDE_BY_ZERO;
        }
        if (m.contains("integer overflow")) {
            return TrapKind.INTEGER_OVERFLOW;
        }
        if (m.contains("invalid conversion")) {
            return TrapKind.INVALID_CONVERSION;
        }
        if (m.contains("indirect call type mismatch")) {
            return TrapKind.INDIRECT_CALL_TYPE_MISMATCH;
        }
        if (m.contains("uninitialized element")) {
            return TrapKind.UNINITIALIZED_ELEMENT;
        }
        if (m.contains("null")) {
            return TrapKind.NULL_REFERENCE;
        }
        if (m.contains("wasi call") || m.contains("not supported")) {
            return TrapKind.HOST;
        }
        return TrapKind.OTHER;
    }
}
