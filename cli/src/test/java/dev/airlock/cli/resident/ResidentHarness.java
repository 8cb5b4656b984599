package dev.airlock.cli.resident;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ResidentServer} on a socket in a private folder of a test's temporary folder, served on
 * a thread of its own, with a clock the test advances, and a client that speaks {@link Wire} from
 * Java.
 */
final class ResidentHarness implements AutoCloseable {
    final Path socket;
    final AtomicLong nanos = new AtomicLong();
    final ResidentServer server;
    private final Thread serving;

    ResidentHarness(Path tmp, int maxRuns) throws IOException {
        socket = privateFolder(tmp.resolve("run")).resolve("r.sock");
        server = ResidentServer.bind(socket, maxRuns, Duration.ofMinutes(15), nanos::get);
        serving = new Thread(server::serve, "test-resident");
        serving.setDaemon(true);
        serving.start();
    }

    /** Makes {@code dir}, mode 700: a folder the resident process and the client accept. */
    static Path privateFolder(Path dir) throws IOException {
        return Files.createDirectory(
                dir,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** What the resident process answered: the output frames, the status, or a fallback. */
    record Answer(boolean fallback, String out, String err, Integer code) {}

    Answer ask(Path cwd, Map<String, String> env, String... args) throws IOException {
        return ask(cwd, ResidentServer.ownUmask(), env, args);
    }

    Answer ask(Path cwd, int umask, Map<String, String> env, String... args) throws IOException {
        try (SocketChannel ch = connect()) {
            send(ch, cwd.toString(), umask, env, args);
            return answer(ch);
        }
    }

    SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    static void send(SocketChannel ch, String cwd, Map<String, String> env, String... args)
            throws IOException {
        send(ch, cwd, ResidentServer.ownUmask(), env, args);
    }

    static void send(
            SocketChannel ch, String cwd, int umask, Map<String, String> env, String... args)
            throws IOException {
        Channels.newOutputStream(ch).write(Wire.encode(cwd, umask, List.of(args), env));
    }

    /** One frame read: its type and bytes. */
    record Frame(int type, byte[] data) {}

    /** The next frame, or null at the end of the stream. */
    static Frame next(DataInputStream in) throws IOException {
        int type;
        int len;
        try {
            type = in.readUnsignedByte();
            len = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        return new Frame(type, in.readNBytes(len));
    }

    /** Reads frames up to the exit frame; an end before it is an answer without a code. */
    static Answer answer(SocketChannel ch) throws IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean first = true;
        for (Frame f = next(in); f != null; f = next(in)) {
            if (f.type() == Wire.FALLBACK && first) {
                return new Answer(true, "", "", null);
            }
            first = false;
            if (f.type() == Wire.EXIT) {
                return new Answer(false, text(out), text(err), status(f));
            }
            (f.type() == Wire.STDOUT ? out : err).write(f.data());
        }
        return new Answer(false, text(out), text(err), null);
    }

    /** Reads frames, keeping none, up to the exit frame; returns the status, or null. */
    static Integer drain(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        for (Frame f = next(in); f != null; f = next(in)) {
            if (f.type() == Wire.EXIT) {
                return status(f);
            }
        }
        return null;
    }

    private static int status(Frame exit) {
        return java.nio.ByteBuffer.wrap(exit.data()).getInt();
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.close();
        serving.join(10_000);
    }
}
