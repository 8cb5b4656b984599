package dev.airlock.cli.resident;

import dev.airlock.cli.CdsTrainingCommand;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The resident process: {@code java -cp airlock.jar dev.airlock.cli.resident.ResidentMain SOCKET},
 * started in the background by the {@code ./airlock} launcher on the first {@code run}, {@code py}
 * or {@code js} after a build, and reached from then on through {@code airlock-client}. It serves
 * on SOCKET ({@link ResidentServer}), warms its engines and both interpreters up once, and exits
 * after {@value #DEFAULT_IDLE_MINUTES} minutes without a command line ({@code
 * -Dairlock.resident.idleMinutes=N}). It refuses to start (exit 1) unless SOCKET's folder is a
 * folder of this user that no one else may enter (mode 700), and leaves at once (exit 0) when
 * another resident process serves SOCKET already.
 */
public final class ResidentMain {
    static final int DEFAULT_IDLE_MINUTES = 15;

    private ResidentMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResidentMain SOCKET");
            System.exit(2);
        }
        Path socket = Path.of(args[0]).toAbsolutePath();
        Path dir = socket.getParent();
        if (!isPrivate(dir)) {
            System.err.println("airlock: resident: " + dir + " must be this user's, mode 700");
            System.exit(1);
        }
        try (FileChannel lockFile =
                        FileChannel.open(
                                dir.resolve(socket.getFileName() + ".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null || answers(socket)) {
                return; // another one is starting or serving
            }
            Files.deleteIfExists(socket); // left by one that died
            int idleMinutes =
                    Integer.getInteger("airlock.resident.idleMinutes", DEFAULT_IDLE_MINUTES);
            // short command lines mostly: a few more at once than cores, before clients fall back
            int maxRuns = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
            ResidentServer server =
                    ResidentServer.bind(
                            socket, maxRuns, Duration.ofMinutes(idleMinutes), System::nanoTime);
            ScheduledExecutorService idle =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> ResidentServer.daemon("airlock-resident-idle", r));
            idle.scheduleWithFixedDelay(
                    () -> {
                        // idle, or the launcher removed the socket (a newer build serves)
                        if (server.idle() || !Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                            closeQuietly(server);
                        }
                    },
                    10,
                    10,
                    TimeUnit.SECONDS);
            Thread warm = ResidentServer.daemon("airlock-resident-warmup", () -> warmUp(server));
            warm.setPriority(Thread.MIN_PRIORITY);
            warm.start();
            server.serve();
            closeQuietly(server);
            // no new clients; the command lines already running finish (a newer build took the
            // socket while they ran, say)
            while (server.active() > 0) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        System.exit(0);
    }

    /** Whether {@code dir} is a folder (not a link) of this user that only this user may enter. */
    static boolean isPrivate(Path dir) {
        try {
            PosixFileAttributes a =
                    Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory()
                    && a.owner().getName().equals(me())
                    && a.permissions()
                            .equals(
                                    EnumSet.of(
                                            PosixFilePermission.OWNER_READ,
                                            PosixFilePermission.OWNER_WRITE,
                                            PosixFilePermission.OWNER_EXECUTE));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * This process's user as the file system names owners: the owner of {@code /proc/self} where
     * there is one (a user without a name in the password database is then its number on both
     * sides), else {@code user.name}.
     */
    private static String me() {
        try {
            return Files.getOwner(Path.of("/proc/self")).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return System.getProperty("user.name");
        }
    }

    private static boolean answers(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs a small module, a Python snippet and a JavaScript snippet a few times each, as the
     * class-data archives' training does, so that the first client finds the engines compiled, the
     * interpreters started and the JVM's code for them compiled.
     */
    static void warmUp(ResidentServer server) {
        try {
            CdsTrainingCommand.rehearseAll(server.engines(), 5);
        } catch (IOException | RuntimeException e) {
            // a cold first client then: nothing is wrong with serving
        }
    }

    private static void closeQuietly(ResidentServer server) {
        try {
            server.close();
        } catch (IOException ignored) {
            // stopping
        }
    }
}
