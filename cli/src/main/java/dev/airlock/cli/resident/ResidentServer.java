package dev.airlock.cli.resident;

import dev.airlock.cli.Engines;
import dev.airlock.cli.Invocation;
import dev.airlock.cli.Main;
import dev.airlock.cli.RunCommand;
import dev.airlock.core.Stdio;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Serves {@code run}, {@code py} and {@code js} command lines from clients of the same user on a
 * Unix domain socket, each in its client's folder and environment, with engines and interpreters
 * kept warm between them ({@link Engines#shared()}). Anything else, a command line asking for help
 * or the version, and any command line past {@code maxRuns} at once is answered {@link
 * Wire#FALLBACK}: the client then runs it in a process of its own. So is a client whose umask is
 * not this process's (files a run creates, such as reports, audit files and mounts copied back, get
 * the mode the client's umask gives them; a JVM cannot take another umask for one thread), and a
 * client of another protocol version. A client that goes away stops its run (as an interrupt of the
 * caller). Thread-safe.
 */
public final class ResidentServer implements Closeable {
    /** The commands served. */
    static final Set<String> SERVED = Set.of("run", "py", "js");

    /** Arguments that make a command line print help or the version: left to a process. */
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    /** How long a client has to send its request once connected. */
    private static final long REQUEST_SECONDS = 10;

    private final ServerSocketChannel server;
    private final Path socket;
    private final String owner;
    private final int umask = ownUmask();
    private final Engines engines = Engines.shared();
    private final int maxRuns;
    private final Semaphore runs; // a permit per command line running
    private final LongSupplier nanos;
    private final long idleNanos;
    private final ScheduledExecutorService timer;
    private volatile long lastActive;

    private ResidentServer(
            ServerSocketChannel server, Path socket, int maxRuns, Duration idle, LongSupplier nanos)
            throws IOException {
        this.server = server;
        this.socket = socket;
        this.owner = Files.getOwner(socket).getName();
        this.maxRuns = maxRuns;
        this.runs = new Semaphore(maxRuns);
        this.nanos = nanos;
        this.idleNanos = idle.toNanos();
        this.lastActive = nanos.getAsLong();
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> daemon("airlock-resident-timer", r));
    }

    /**
     * Binds {@code socket} (which must not exist).
     *
     * @param maxRuns command lines served at once, at least 1
     * @param idle how long without a command line before {@link #idle()} says so
     * @param nanos the clock {@link #idle()} reads ({@code System::nanoTime} outside tests)
     * @throws IllegalArgumentException for {@code maxRuns} below 1 or a negative {@code idle}
     * @throws IOException when the socket cannot be bound
     */
    public static ResidentServer bind(Path socket, int maxRuns, Duration idle, LongSupplier nanos)
            throws IOException {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1: " + maxRuns);
        }
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle must not be negative: " + idle);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
            return new ResidentServer(ch, socket, maxRuns, idle, nanos);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The engines the served command lines use (the warm-up uses them too). */
    public Engines engines() {
        return engines;
    }

    /** Accepts clients until {@link #close()}, each on a thread of its own; returns once closed. */
    public void serve() {
        int n = 0;
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            daemon("airlock-resident-" + (++n), () -> handle(ch)).start();
        }
    }

    /** Whether no command line has run for the idle time and none runs now. */
    public boolean idle() {
        return active() == 0 && nanos.getAsLong() - lastActive >= idleNanos;
    }

    /** Command lines running now. */
    int active() {
        return maxRuns - runs.availablePermits();
    }

    /** Stops accepting and removes the socket; runs already going on finish. */
    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        server.close();
        Files.deleteIfExists(socket);
    }

    private void handle(SocketChannel ch) {
        try (ch) {
            if (!fromOwner(ch)) {
                return;
            }
            InputStream in = ChannelStreams.in(ch);
            FrameWriter out =
                    new FrameWriter(
                            ChannelStreams.out(ch), Thread.currentThread().getName() + "-out");
            try {
                serve(ch, in, out);
            } finally {
                out.close();
            }
        } catch (IOException e) {
            // the client went away: nothing to tell it
        }
    }

    private void serve(SocketChannel ch, InputStream in, FrameWriter out) throws IOException {
        Wire.Request request;
        ScheduledFuture<?> deadline =
                timer.schedule(() -> closeQuietly(ch), REQUEST_SECONDS, TimeUnit.SECONDS);
        try {
            request = Wire.read(in);
        } catch (Wire.OtherVersionException e) {
            out.fallback();
            return;
        } catch (Wire.BadRequestException e) {
            refuse(out, e.getMessage());
            return;
        } finally {
            deadline.cancel(false);
        }
        Path cwd = Path.of(request.cwd());
        if (!cwd.isAbsolute()) {
            refuse(out, "the working folder is not absolute");
            return;
        }
        if (!served(request.args()) || request.umask() != umask || !runs.tryAcquire()) {
            out.fallback();
            return;
        }
        try {
            run(in, out, Invocation.of(cwd, request.env(), engines), request.args());
        } finally {
            lastActive = nanos.getAsLong();
            runs.release();
        }
    }

    /**
     * This process's umask, from {@code /proc/self/status} (Linux 4.7 and later), or -1 where it
     * cannot be read (then every client runs its command lines itself).
     */
    static int ownUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such line
        }
        return -1;
    }

    /** Whether this process serves the command line (else the client runs it itself). */
    static boolean served(List<String> args) {
        if (args.isEmpty() || !SERVED.contains(args.get(0))) {
            return false;
        }
        for (String a : args) {
            if (HELP.contains(a)) {
                return false;
            }
        }
        return true;
    }

    private void run(InputStream in, FrameWriter out, Invocation invocation, List<String> args)
            throws IOException {
        FrameStream stdout = new FrameStream(out, Wire.STDOUT);
        FrameStream stderr = new FrameStream(out, Wire.STDERR);
        PrintWriter outWriter =
                new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter errWriter =
                new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        AtomicBoolean done = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        // the client sends nothing more: any byte, the end or an error means it is gone
        Thread watcher =
                daemon(
                        worker.getName() + "-watch",
                        () -> {
                            try {
                                in.read();
                            } catch (IOException e) {
                                // gone
                            }
                            // again and again: code on the way to the run (opening the store,
                            // compiling) may clear an interrupt before the engine waits for it
                            while (true) {
                                synchronized (done) {
                                    if (done.get()) {
                                        return;
                                    }
                                    worker.interrupt();
                                }
                                try {
                                    Thread.sleep(50);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        watcher.start();
        int code;
        try {
            code =
                    Main.execute(
                            invocation,
                            outWriter,
                            errWriter,
                            Stdio.of(stdout, stderr),
                            args.toArray(new String[0]));
        } catch (RuntimeException | Error e) {
            errWriter.println("airlock: internal error: the resident process failed to run it");
            code = RunCommand.INTERNAL;
        }
        synchronized (done) {
            done.set(true);
        }
        Thread.interrupted();
        out.exit(code);
    }

    /** A daemon thread named {@code name} that runs {@code work}, not started. */
    static Thread daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        return t;
    }

    private boolean fromOwner(SocketChannel ch) {
        try {
            UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer != null && peer.user().getName().equals(owner);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void refuse(FrameWriter out, String why) throws IOException {
        byte[] m =
                ("airlock: resident: bad request: " + why + "\n").getBytes(StandardCharsets.UTF_8);
        out.send(Wire.STDERR, m, 0, m.length);
        out.exit(Main.USAGE);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
