package dev.airlock.cli.resident;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resident process's protocol, spoken over a Unix domain socket with {@code airlock-client}
 * (cli/src/main/c). One request per connection: the bytes {@code ALR2}, a big-endian 32-bit length,
 * then that many bytes of NUL-terminated strings: the client's working folder, its file mode
 * creation mask (umask) in octal, the number of arguments in decimal, the arguments, and the
 * client's environment ({@code NAME=VALUE} each). A request of another version ({@code ALR}
 * followed by anything else) is answered {@code f}, so a client and a resident process of different
 * builds still work. The answer is a sequence of frames, a type byte, a big-endian 32-bit length
 * and that many bytes: {@code o} and {@code e} carry the command's standard output and error,
 * {@code x} its exit status (4 bytes) and ends the answer; {@code f}, sent alone before anything
 * else, tells the client to run the command line itself (in a process of its own).
 */
final class Wire {
    static final byte[] MAGIC = {'A', 'L', 'R', '2'};

    /** The largest request taken: the environment and the arguments, together. */
    static final int MAX_REQUEST = 8 << 20;

    static final byte STDOUT = 'o';
    static final byte STDERR = 'e';
    static final byte EXIT = 'x';
    static final byte FALLBACK = 'f';

    private Wire() {}

    /** A request that does not follow the protocol. */
    static class BadRequestException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequestException(String message) {
            super(message);
        }
    }

    /** A request of another version of the protocol (from a client of another build). */
    static final class OtherVersionException extends BadRequestException {
        private static final long serialVersionUID = 1L;

        OtherVersionException() {
            super("a request of another protocol version");
        }
    }

    /** One client's command line; {@code umask} is its file mode creation mask (0 to 0777). */
    record Request(String cwd, int umask, List<String> args, Map<String, String> env) {}

    /** Reads one request, rejecting one that breaks the protocol or passes the size limit. */
    static Request read(InputStream in) throws IOException, BadRequestException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            d.readFully(magic);
        } catch (EOFException e) {
            throw new BadRequestException("the request ended early");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            if (Arrays.equals(magic, 0, 3, MAGIC, 0, 3)) {
                throw new OtherVersionException();
            }
            throw new BadRequestException("not an airlock-client request");
        }
        int length;
        byte[] body;
        try {
            length = d.readInt();
            if (length < 0 || length > MAX_REQUEST) {
                throw new BadRequestException("the request is larger than " + MAX_REQUEST);
            }
            body = new byte[length];
            d.readFully(body);
        } catch (EOFException e) {
            throw new BadRequestException("the request ended early");
        }
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                strings.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != body.length || strings.size() < 3) {
            throw new BadRequestException("the request is not a list of strings");
        }
        int umask;
        int argc;
        try {
            umask = Integer.parseInt(strings.get(1), 8);
            argc = Integer.parseInt(strings.get(2));
        } catch (NumberFormatException e) {
            throw new BadRequestException("the request's umask or argument count is not a number");
        }
        if (umask < 0 || umask > 0777) {
            throw new BadRequestException("the request's umask is out of range");
        }
        if (argc < 0 || argc > strings.size() - 3) {
            throw new BadRequestException("the request's argument count is out of range");
        }
        List<String> args = List.copyOf(strings.subList(3, 3 + argc));
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : strings.subList(3 + argc, strings.size())) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        return new Request(strings.get(0), umask, args, env);
    }

    /** Encodes a request as the client does (for tests and tools speaking the protocol). */
    static byte[] encode(String cwd, int umask, List<String> args, Map<String, String> env) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>();
        all.add(cwd);
        all.add(Integer.toOctalString(umask));
        all.add(Integer.toString(args.size()));
        all.addAll(args);
        env.forEach((k, v) -> all.add(k + "=" + v));
        for (String s : all) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        int n = body.size();
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** Writes one frame. */
    static void frame(OutputStream out, byte type, byte[] data, int off, int len)
            throws IOException {
        byte[] head = {
            type, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len
        };
        out.write(head);
        out.write(data, off, len);
        out.flush();
    }

    /** The exit frame's 4 bytes. */
    static byte[] status(int code) {
        return new byte[] {
            (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code
        };
    }
}
