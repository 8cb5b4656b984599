package dev.airlock.audit.store;

import dev.airlock.core.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A session's state in the store: a manifest (module hash, the SHA-256 of each {@value
 * Snapshot#CHUNK_BYTES}-byte chunk of linear memory, globals, tables and the files, deflated) and
 * the chunks themselves, kept once per distinct content. An all-zero chunk is not stored: its hash
 * is written as 32 zero bytes.
 */
final class StateCodec {
    private static final byte[] MAGIC = "AIRLOCK-STATE-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = Snapshot.CHUNK_BYTES;
    static final String ZERO = "0".repeat(64);

    /** Every all-zero chunk of a decoded state is this one array (never written). */
    private static final byte[] ZERO_CHUNK = new byte[CHUNK];

    private static final int MAX_CHUNKS = (int) (Integer.MAX_VALUE / CHUNK);
    private static final int MAX_ENTRIES = 10_000_000;
    private static final long MAX_MANIFEST = 1L << 31;

    private StateCodec() {}

    /** The hex SHA-256 of a chunk, or {@link #ZERO} for an all-zero one. */
    static String hash(byte[] chunk) {
        if (Arrays.mismatch(chunk, ZERO_CHUNK) < 0) {
            return ZERO;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The manifest of {@code s}, given each memory chunk's hash in order and, for each file (null
     * for a folder), the hashes of its {@value Snapshot#CHUNK_BYTES}-byte pieces (the last one
     * shorter).
     */
    static byte[] manifest(Snapshot s, String[] hashes, List<String[]> filePieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            bytes.write(MAGIC);
            DeflaterOutputStream z = new DeflaterOutputStream(bytes, deflater, 1 << 16);
            DataOutputStream d = new DataOutputStream(z);
            d.writeUTF(s.moduleSha256());
            d.writeInt(hashes.length);
            for (String h : hashes) {
                d.write(HexFormat.of().parseHex(h));
            }
            long[] globals = s.globals();
            d.writeInt(globals.length);
            for (long g : globals) {
                d.writeLong(g);
            }
            int[][] tables = s.tables();
            d.writeInt(tables.length);
            for (int[] t : tables) {
                d.writeInt(t.length);
                for (int r : t) {
                    d.writeInt(r);
                }
            }
            d.writeInt(s.files().size());
            for (int i = 0; i < s.files().size(); i++) {
                Snapshot.Entry e = s.files().get(i);
                d.writeUTF(e.path());
                if (e.isDirectory()) {
                    d.writeInt(-1);
                } else {
                    d.writeInt(e.content().length);
                    for (String h : filePieces.get(i)) {
                        d.write(HexFormat.of().parseHex(h));
                    }
                }
            }
            d.flush();
            z.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    /** A file's content cut into pieces of at most {@value Snapshot#CHUNK_BYTES} bytes. */
    static List<byte[]> pieces(byte[] content) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < content.length; from += CHUNK) {
            out.add(Arrays.copyOfRange(content, from, Math.min(content.length, from + CHUNK)));
        }
        return out;
    }

    private static int pieceCount(int length) {
        return (int) ((length + (long) CHUNK - 1) / CHUNK);
    }

    /** The distinct stored chunk hashes a manifest names (never {@link #ZERO}). */
    static Set<String> chunkHashes(byte[] manifest) throws IOException {
        try (DataInputStream d = open(manifest)) {
            d.readUTF();
            int n = count(d.readInt(), MAX_CHUNKS, "chunks");
            Set<String> out = new LinkedHashSet<>();
            byte[] h = new byte[32];
            for (int i = 0; i < n; i++) {
                d.readFully(h);
                String hex = HexFormat.of().formatHex(h);
                if (!hex.equals(ZERO)) {
                    out.add(hex);
                }
            }
            skipGlobalsAndTables(d);
            int files = count(d.readInt(), MAX_ENTRIES, "files");
            for (int i = 0; i < files; i++) {
                d.readUTF();
                int length = d.readInt();
                if (length == -1) {
                    continue;
                }
                for (int j =
                                count(
                                        pieceCount(count(length, Integer.MAX_VALUE, "file")),
                                        MAX_CHUNKS,
                                        "pieces");
                        j > 0;
                        j--) {
                    d.readFully(h);
                    String hex = HexFormat.of().formatHex(h);
                    if (!hex.equals(ZERO)) {
                        out.add(hex);
                    }
                }
            }
            return out;
        } catch (EOFException e) {
            throw new IOException("truncated session state", e);
        }
    }

    private static void skipGlobalsAndTables(DataInputStream d) throws IOException {
        d.skipNBytes(8L * count(d.readInt(), MAX_ENTRIES, "globals"));
        for (int t = count(d.readInt(), MAX_ENTRIES, "tables"); t > 0; t--) {
            d.skipNBytes(4L * count(d.readInt(), MAX_ENTRIES, "table elements"));
        }
    }

    /** Where decoding looks up chunks by hash; answers {@code null} for a missing one. */
    interface Chunks {
        byte[] get(String hash) throws IOException;
    }

    /**
     * The snapshot a manifest describes, its chunks taken from {@code chunks}; {@code hashes}
     * receives each chunk array and its hash (so that saving it again hashes only what changed).
     *
     * @throws IOException for a damaged manifest or a missing or damaged chunk
     */
    static Snapshot decode(byte[] manifest, Chunks chunks, Map<byte[], String> hashes)
            throws IOException {
        try (DataInputStream d = open(manifest)) {
            String sha = d.readUTF();
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IOException("damaged session state: bad module hash");
            }
            int n = count(d.readInt(), MAX_CHUNKS, "chunks");
            byte[][] mem = new byte[n][];
            byte[] h = new byte[32];
            for (int i = 0; i < n; i++) {
                d.readFully(h);
                String hex = HexFormat.of().formatHex(h);
                if (hex.equals(ZERO)) {
                    mem[i] = ZERO_CHUNK;
                    continue;
                }
                byte[] c = chunks.get(hex);
                if (c == null) {
                    throw new IOException("session state lost its memory chunk " + hex);
                }
                if (c.length != CHUNK) {
                    throw new IOException("damaged session state: chunk " + hex + " is a piece");
                }
                mem[i] = c;
                hashes.put(c, hex);
            }
            long[] globals = new long[count(d.readInt(), MAX_ENTRIES, "globals")];
            for (int i = 0; i < globals.length; i++) {
                globals[i] = d.readLong();
            }
            int[][] tables = new int[count(d.readInt(), MAX_ENTRIES, "tables")][];
            for (int i = 0; i < tables.length; i++) {
                int size = count(d.readInt(), MAX_ENTRIES, "table elements");
                int[] t = new int[size];
                for (int j = 0; j < size; j++) {
                    t[j] = d.readInt();
                }
                tables[i] = t;
            }
            int files = count(d.readInt(), MAX_ENTRIES, "files");
            List<Snapshot.Entry> entries = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String path = d.readUTF();
                int length = d.readInt();
                if (length == -1) {
                    entries.add(new Snapshot.Entry(path, null));
                    continue;
                }
                int pieces =
                        count(
                                pieceCount(count(length, Integer.MAX_VALUE, "file")),
                                MAX_CHUNKS,
                                "pieces");
                ByteArrayOutputStream content =
                        new ByteArrayOutputStream(Math.min(length, 1 << 24));
                for (int j = 0; j < pieces; j++) {
                    d.readFully(h);
                    String hex = HexFormat.of().formatHex(h);
                    byte[] piece = hex.equals(ZERO) ? ZERO_CHUNK : chunks.get(hex);
                    int want = Math.min(CHUNK, length - j * CHUNK);
                    if (piece == null) {
                        throw new IOException("session state lost its file piece " + hex);
                    }
                    if (piece.length != want) {
                        throw new IOException(
                                "damaged session state: piece " + hex + " of " + path);
                    }
                    content.write(piece);
                }
                entries.add(new Snapshot.Entry(path, content.toByteArray()));
            }
            return new Snapshot(sha, mem, globals, tables, entries);
        } catch (EOFException e) {
            throw new IOException("truncated session state", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged session state: " + e.getMessage(), e);
        }
    }

    /** A chunk as stored: deflated. */
    static byte[] pack(byte[] chunk) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(chunk);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK / 4);
            byte[] buf = new byte[CHUNK + 64];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** A stored chunk (or file piece) back, checked against its hash. */
    static byte[] unpack(byte[] packed, String hash) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(packed);
            byte[] chunk = new byte[CHUNK];
            int n = 0;
            while (n < CHUNK && !inflater.finished()) {
                int r = inflater.inflate(chunk, n, CHUNK - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += r;
            }
            byte[] out = n == CHUNK ? chunk : Arrays.copyOf(chunk, n);
            if (!inflater.finished() || inflater.getRemaining() != 0 || !hash(out).equals(hash)) {
                throw new IOException("session state chunk " + hash + " is damaged");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("session state chunk " + hash + " is damaged", e);
        } finally {
            inflater.end();
        }
    }

    private static DataInputStream open(byte[] manifest) throws IOException {
        if (manifest.length > MAX_MANIFEST
                || manifest.length < MAGIC.length
                || !Arrays.equals(manifest, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not an Airlock session state");
        }
        ByteArrayInputStream in =
                new ByteArrayInputStream(manifest, MAGIC.length, manifest.length - MAGIC.length);
        return new DataInputStream(new InflaterInputStream(in));
    }

    private static int count(int n, int max, String what) throws IOException {
        if (n < 0 || n > max) {
            throw new IOException("damaged session state: " + what + " count " + n);
        }
        return n;
    }
}
