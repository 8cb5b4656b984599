package dev.airlock.nn;

import dev.airlock.core.GuestMemory;
import dev.airlock.core.GuestMemoryException;
import dev.airlock.core.HostCall;
import dev.airlock.core.HostImport;
import dev.airlock.core.HostImport.Refusal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The policy side of {@code wasi_ephemeral_nn}: what each call's {@link
 * HostImport.GuestHandler#check} refuses (capability, granted models, quotas), and the guest
 * arguments that the checks read. The calls themselves are in {@link Calls}.
 */
final class Abi {
    /** Longest model name {@code load_by_name} reads. */
    static final int MAX_NAME = 256;

    final NnGrant grant;

    Abi(NnGrant grant) {
        this.grant = grant;
    }

    static long u32(long v) {
        return v & 0xFFFFFFFFL;
    }

    NnRun run(HostCall call) {
        return call.runLocal(this, NnRun::new);
    }

    Refusal none() {
        return grant.granted()
                ? null
                : new Refusal(
                        "nn.none",
                        NnErrno.UNSUPPORTED_OPERATION,
                        "wasi-nn not granted (capability nn)");
    }

    Refusal graphQuota(HostCall call) {
        int n = run(call).graphCount();
        return n >= grant.maxGraphs()
                ? new Refusal(
                        "nn.quota.graphs",
                        NnErrno.BUSY,
                        "graph quota spent (" + grant.maxGraphs() + " per run)")
                : null;
    }

    Refusal checkLoadByName(long[] a, HostCall call) {
        Refusal r = none();
        if (r != null) {
            return r;
        }
        String name = name(call.memory(), a[0], a[1]);
        if (name != null) {
            call.summary("model", name);
            if (!grant.models().containsKey(name)) {
                return new Refusal(
                        "nn.model", NnErrno.NOT_FOUND, "model '" + name + "' not granted");
            }
        }
        return graphQuota(call);
    }

    Refusal checkLoad(long[] a, HostCall call) {
        Refusal r = none();
        if (r != null) {
            return r;
        }
        if (grant.maxModelBytes() == 0) {
            return new Refusal(
                    "nn.load-bytes",
                    NnErrno.UNSUPPORTED_OPERATION,
                    "loading a model from guest bytes not granted");
        }
        long size = builderSize(call.memory(), a[0], a[1]);
        if (size >= 0) {
            call.summary("bytes", size);
            if (size > grant.maxModelBytes()) {
                return new Refusal(
                        "nn.load-bytes.size",
                        NnErrno.TOO_LARGE,
                        "model of " + size + " bytes exceeds " + grant.maxModelBytes());
            }
        }
        return graphQuota(call);
    }

    Refusal checkInit(long[] a, HostCall call) {
        Refusal r = none();
        if (r != null) {
            return r;
        }
        int n = run(call).contextCount();
        return n >= grant.maxContexts()
                ? new Refusal(
                        "nn.quota.contexts",
                        NnErrno.BUSY,
                        "execution context quota spent (" + grant.maxContexts() + " per run)")
                : null;
    }

    Refusal checkSetInput(long[] a, HostCall call) {
        Refusal r = none();
        if (r != null) {
            return r;
        }
        try {
            TensorArg t = TensorArg.read(call.memory(), u32(a[2]));
            if (t.type() != null && t.bytes() > grant.maxTensorBytes()) {
                call.summary("type", t.type().id());
                call.summary("shape", TensorArg.shape(t.dims()));
                return tensorTooLarge(t.bytes());
            }
        } catch (TensorArg.Invalid e) {
            // the call itself reports it
        }
        return null;
    }

    Refusal tensorTooLarge(long bytes) {
        return new Refusal(
                "nn.quota.tensor",
                NnErrno.TOO_LARGE,
                "tensor of "
                        + (bytes == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(bytes))
                        + " bytes exceeds "
                        + grant.maxTensorBytes());
    }

    Refusal checkCompute(long[] a, HostCall call) {
        Refusal r = none();
        if (r != null) {
            return r;
        }
        long n = run(call).computations();
        return n >= grant.maxComputations()
                ? new Refusal(
                        "nn.quota.computations",
                        NnErrno.BUSY,
                        "computation quota spent (" + grant.maxComputations() + " per run)")
                : null;
    }

    /** The model name at {@code ptr}, or {@code null} if it is unreadable or not UTF-8. */
    static String name(GuestMemory m, long ptr, long len) {
        long p = u32(ptr);
        long n = u32(len);
        if (n > MAX_NAME || !m.contains(p, n)) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(m.readBytes(p, n)))
                    .toString();
        } catch (CharacterCodingException | GuestMemoryException e) {
            return null;
        }
    }

    /**
     * The length of the single graph builder at {@code ptr} (an array of {@code len} (pointer,
     * length) pairs), or -1 if there is not exactly one or it cannot be read.
     */
    static long builderSize(GuestMemory m, long ptr, long len) {
        if (u32(len) != 1 || !m.contains(u32(ptr), 8)) {
            return -1;
        }
        return u32(m.readInt(u32(ptr) + 4));
    }
}
