package dev.airlock.components.wasi;

import dev.airlock.components.abi.AbiTrap;
import dev.airlock.components.wasi.HostState.InStream;
import dev.airlock.components.wasi.HostState.OutStream;
import dev.airlock.components.wasi.HostState.Pollable;
import java.util.Map;

/**
 * {@code wasi:cli} (environment, exit, standard streams, terminals), {@code wasi:io} (streams,
 * poll, error), {@code wasi:clocks} and {@code wasi:random}, each over WASI preview 1. A stream
 * error is always reported as {@code closed} (no {@code error} resource is made).
 */
final class Io {
    /** What check-write permits at a time. */
    static final long WRITE_BUDGET = 1 << 20;

    private Io() {}

    static void register(Map<String, Wasi2.Impl> f) {
        f.put(
                "wasi:cli/environment#get-environment",
                (c, a) -> {
                    java.util.List<String> env = Sys.strings(c, "environ");
                    int list = c.alloc(16L * env.size(), 4);
                    for (int i = 0; i < env.size(); i++) {
                        String e = env.get(i);
                        int eq = e.indexOf('=');
                        c.string(list + 16L * i, eq < 0 ? e : e.substring(0, eq));
                        c.string(list + 16L * i + 8, eq < 0 ? "" : e.substring(eq + 1));
                    }
                    c.u32(a[0], list);
                    c.u32(a[0] + 4, env.size());
                    return null;
                });
        f.put(
                "wasi:cli/environment#get-arguments",
                (c, a) -> {
                    java.util.List<String> args = Sys.strings(c, "args");
                    int list = c.alloc(8L * args.size(), 4);
                    for (int i = 0; i < args.size(); i++) {
                        c.string(list + 8L * i, args.get(i));
                    }
                    c.u32(a[0], list);
                    c.u32(a[0] + 4, args.size());
                    return null;
                });
        f.put(
                "wasi:cli/environment#initial-cwd",
                (c, a) -> {
                    c.u8(a[0], 0);
                    return null;
                });
        f.put(
                "wasi:cli/exit#exit",
                (c, a) -> {
                    c.p1().call("proc_exit", a[0] == 0 ? 0 : 1);
                    throw new AbiTrap("exit returned");
                });
        f.put("wasi:cli/stdin#get-stdin", (c, a) -> one(c.own(new InStream(0, -1))));
        f.put("wasi:cli/stdout#get-stdout", (c, a) -> one(c.own(new OutStream(1, -1, false))));
        f.put("wasi:cli/stderr#get-stderr", (c, a) -> one(c.own(new OutStream(2, -1, false))));
        for (String t : new String[] {"stdin", "stdout", "stderr"}) {
            f.put(
                    "wasi:cli/terminal-" + t + "#get-terminal-" + t,
                    (c, a) -> {
                        c.u8(a[0], 0);
                        return null;
                    });
        }
        streams(f);
        f.put(
                "wasi:io/error#[method]error.to-debug-string",
                (c, a) -> {
                    HostState.IoError e = c.self(a[0], 0, HostState.IoError.class);
                    c.string(a[1], "WASI errno " + e.errno());
                    return null;
                });
        f.put(
                "wasi:io/poll#[method]pollable.ready",
                (c, a) -> {
                    Pollable p = c.self(a[0], 0, Pollable.class);
                    return one(p.deadline() <= now(c) ? 1 : 0);
                });
        f.put(
                "wasi:io/poll#[method]pollable.block",
                (c, a) -> {
                    sleepUntil(c, c.self(a[0], 0, Pollable.class).deadline());
                    return null;
                });
        f.put("wasi:io/poll#poll", Io::poll);
        clocksAndRandom(f);
    }

    static long[] one(long v) {
        return new long[] {v};
    }

    private static void streams(Map<String, Wasi2.Impl> f) {
        Wasi2.Impl read =
                (c, a) -> {
                    InStream s = c.self(a[0], 0, InStream.class);
                    long ret = a[2];
                    byte[] b;
                    try {
                        b = s.closed ? new byte[0] : fetch(c, s, a[1]);
                    } catch (Sys.Errno e) {
                        failed(c, ret, 4, e.errno);
                        return null;
                    }
                    if (b.length == 0 && a[1] > 0) {
                        s.closed = true;
                        c.u8(ret, 1);
                        c.u8(ret + 4, 1);
                        return null;
                    }
                    if (s.offset >= 0) {
                        s.offset += b.length;
                    }
                    c.u8(ret, 0);
                    c.u32(ret + 4, c.bytes(b));
                    c.u32(ret + 8, b.length);
                    return null;
                };
        f.put("wasi:io/streams#[method]input-stream.read", read);
        f.put("wasi:io/streams#[method]input-stream.blocking-read", read);
        Wasi2.Impl skip =
                (c, a) -> {
                    InStream s = c.self(a[0], 0, InStream.class);
                    byte[] b;
                    try {
                        b = fetch(c, s, a[1]);
                    } catch (Sys.Errno e) {
                        b = new byte[0];
                    }
                    if (s.offset >= 0) {
                        s.offset += b.length;
                    }
                    c.u8(a[2], 0);
                    c.u64(a[2] + 8, b.length);
                    return null;
                };
        f.put("wasi:io/streams#[method]input-stream.skip", skip);
        f.put("wasi:io/streams#[method]input-stream.blocking-skip", skip);
        Wasi2.Impl subscribe = (c, a) -> one(c.own(new Pollable(Long.MIN_VALUE)));
        f.put("wasi:io/streams#[method]input-stream.subscribe", subscribe);
        f.put("wasi:io/streams#[method]output-stream.subscribe", subscribe);
        f.put(
                "wasi:io/streams#[method]output-stream.check-write",
                (c, a) -> {
                    c.self(a[0], 0, OutStream.class);
                    c.u8(a[1], 0);
                    c.u64(a[1] + 8, WRITE_BUDGET);
                    return null;
                });
        Wasi2.Impl write =
                (c, a) -> {
                    OutStream s = c.self(a[0], 0, OutStream.class);
                    if (a[2] > WRITE_BUDGET) {
                        throw new AbiTrap("write of more than check-write permitted");
                    }
                    put(c, s, c.read(a[1], a[2]), a[3]);
                    return null;
                };
        f.put("wasi:io/streams#[method]output-stream.write", write);
        f.put("wasi:io/streams#[method]output-stream.blocking-write-and-flush", write);
        Wasi2.Impl zeroes =
                (c, a) -> {
                    OutStream s = c.self(a[0], 0, OutStream.class);
                    if (a[1] < 0 || a[1] > WRITE_BUDGET) {
                        throw new AbiTrap("write of more than check-write permitted");
                    }
                    put(c, s, new byte[(int) a[1]], a[2]);
                    return null;
                };
        f.put("wasi:io/streams#[method]output-stream.write-zeroes", zeroes);
        f.put("wasi:io/streams#[method]output-stream.blocking-write-zeroes-and-flush", zeroes);
        Wasi2.Impl flush =
                (c, a) -> {
                    c.self(a[0], 0, OutStream.class);
                    c.u8(a[1], 0);
                    return null;
                };
        f.put("wasi:io/streams#[method]output-stream.flush", flush);
        f.put("wasi:io/streams#[method]output-stream.blocking-flush", flush);
    }

    /**
     * Stores {@code error(last-operation-failed(error))} at {@code ret}, the stream-error at {@code
     * offset} after it: an {@code error} resource that {@code filesystem-error-code} maps back.
     */
    static void failed(Call c, long ret, int offset, int errno) {
        c.u8(ret, 1);
        c.u8(ret + offset, 0);
        c.u32(ret + offset + 4, c.own(new HostState.IoError(errno)));
    }

    /** Reads up to {@code len} bytes of a stream: its descriptor's, or its own bytes. */
    private static byte[] fetch(Call c, InStream s, long len) throws Sys.Errno {
        if (s.data == null) {
            return Sys.read(c, s.fd, len, s.offset);
        }
        long n = Math.min(Math.max(len, 0), Math.min(Sys.MAX_IO, s.data.length - s.offset));
        return java.util.Arrays.copyOfRange(s.data, (int) s.offset, (int) (s.offset + n));
    }

    /** Writes to a stream; stores result<_, stream-error> at {@code ret}. */
    private static void put(Call c, OutStream s, byte[] data, long ret) {
        if (s.sink != null) {
            if (s.sink.size() + (long) data.length > s.max) {
                c.u8(ret, 1);
                c.u8(ret + 4, 1);
                return;
            }
            s.sink.write(data, 0, data.length);
            c.u8(ret, 0);
            return;
        }
        try {
            long at = s.offset;
            if (s.append) {
                at = Sys.u64(Sys.stat(c, s.fd, 0, null), Sys.OUT + 32);
            }
            long n = Sys.write(c, s.fd, data, at);
            if (s.offset >= 0 && !s.append) {
                s.offset += n;
            }
            c.u8(ret, 0);
        } catch (Sys.Errno e) {
            failed(c, ret, 4, e.errno);
        }
    }

    private static long now(Call c) throws Sys.Errno {
        return Sys.clock(c, 1);
    }

    private static void sleepUntil(Call c, long deadline) throws Sys.Errno {
        long wait = deadline == Long.MIN_VALUE ? 0 : deadline - now(c);
        if (wait <= 0) {
            return;
        }
        // poll_oneoff with one relative monotonic clock subscription (48 bytes), one event out
        var m = c.scratch(Sys.DATA + 256);
        byte[] sub = new byte[48];
        sub[8] = 0; // eventtype clock
        java.nio.ByteBuffer bb =
                java.nio.ByteBuffer.wrap(sub).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putInt(16, 1); // clock id: monotonic
        bb.putLong(24, wait);
        bb.putLong(32, 0); // precision
        bb.putShort(40, (short) 0); // relative
        m.writeBytes(Sys.DATA, sub);
        c.p1().call("poll_oneoff", Sys.DATA, Sys.DATA + 64, 1, Sys.OUT);
    }

    private static long[] poll(Call c, long[] a) throws Sys.Errno {
        long n = a[1];
        if (n <= 0 || n > 4096) {
            throw new AbiTrap("poll of " + n + " pollables");
        }
        long[] deadlines = new long[(int) n];
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            deadlines[i] = c.element(readInt(c, a[0] + 4L * i), 0, Pollable.class).deadline();
            earliest = Math.min(earliest, deadlines[i]);
        }
        sleepUntil(c, earliest);
        long now = now(c);
        java.util.List<Integer> ready = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (deadlines[i] <= now) {
                ready.add(i);
            }
        }
        int list = c.alloc(4L * ready.size(), 4);
        for (int i = 0; i < ready.size(); i++) {
            c.u32(list + 4L * i, ready.get(i));
        }
        c.u32(a[2], list);
        c.u32(a[2] + 4, ready.size());
        return null;
    }

    private static int readInt(Call c, long at) {
        byte[] b = c.read(at, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    private static void clocksAndRandom(Map<String, Wasi2.Impl> f) {
        f.put(
                "wasi:clocks/wall-clock#now",
                (c, a) -> {
                    long ns = Sys.clock(c, 0);
                    c.u64(a[0], Math.floorDiv(ns, 1_000_000_000L));
                    c.u32(a[0] + 8, Math.floorMod(ns, 1_000_000_000L));
                    return null;
                });
        f.put(
                "wasi:clocks/wall-clock#resolution",
                (c, a) -> {
                    c.u64(a[0], 0);
                    c.u32(a[0] + 8, 1_000_000);
                    return null;
                });
        f.put("wasi:clocks/monotonic-clock#now", (c, a) -> one(now(c)));
        f.put("wasi:clocks/monotonic-clock#resolution", (c, a) -> one(1_000_000));
        f.put(
                "wasi:clocks/monotonic-clock#subscribe-instant",
                (c, a) -> one(c.own(new Pollable(a[0]))));
        f.put(
                "wasi:clocks/monotonic-clock#subscribe-duration",
                (c, a) -> {
                    long now = now(c);
                    long at = a[0] < 0 || now + a[0] < now ? Long.MAX_VALUE : now + a[0];
                    return one(c.own(new Pollable(at)));
                });
        Wasi2.Impl bytes =
                (c, a) -> {
                    byte[] b = Sys.random(c, a[0]);
                    c.u32(a[1], c.bytes(b));
                    c.u32(a[1] + 4, b.length);
                    return null;
                };
        Wasi2.Impl u64 = (c, a) -> one(java.nio.ByteBuffer.wrap(Sys.random(c, 8)).getLong());
        f.put("wasi:random/random#get-random-bytes", bytes);
        f.put("wasi:random/random#get-random-u64", u64);
        f.put("wasi:random/insecure#get-insecure-random-bytes", bytes);
        f.put("wasi:random/insecure#get-insecure-random-u64", u64);
        f.put(
                "wasi:random/insecure-seed#insecure-seed",
                (c, a) -> {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Sys.random(c, 16));
                    c.u64(a[0], b.getLong());
                    c.u64(a[0] + 8, b.getLong());
                    return null;
                });
    }
}
