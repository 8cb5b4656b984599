package dev.airlock.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * An immutable capture of an instance: linear memory, globals, tables and the virtual filesystem.
 * {@link Airlock#restore} makes a fresh instance that behaves exactly as the captured one did at
 * capture time; restoring the same snapshot N times forks N independent instances. {@link #writeTo}
 * saves it compressed; {@link #readFrom} loads it back, checking every size first.
 */
public final class Snapshot {
    private static final byte[] MAGIC = "AIRLOCK-SNAPSHOT-1\n".getBytes(StandardCharsets.US_ASCII);

    /** The same layout, not compressed (same length as {@link #MAGIC}); read, no longer written. */
    private static final byte[] MAGIC_PLAIN =
            "AIRLOCK-SNAPSHOT-P\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Not compressed, and each chunk of memory preceded by a flag byte: 0 for an all-zero chunk,
     * whose bytes are left out, 1 for one whose bytes follow (same length as {@link #MAGIC}).
     */
    private static final byte[] MAGIC_SPARSE =
            "AIRLOCK-SNAPSHOT-S\n".getBytes(StandardCharsets.US_ASCII);

    /** The largest memory a snapshot may hold: 4 GiB less one page is not addressable here. */
    private static final long MAX_MEMORY = Integer.MAX_VALUE;

    private static final long MAX_FILE_BYTES = 1L << 32;
    private static final int MAX_ENTRIES = 1_000_000;

    /**
     * The unit a snapshot holds memory in, and the unit instances copy on write: 16 KiB, a quarter
     * of a WebAssembly page.
     */
    public static final int CHUNK_BYTES = 16 * 1024;

    private static final int CHUNK = CHUNK_BYTES;
    private static final int PER_PAGE = (int) (Limits.PAGE / CHUNK);

    /** Every all-zero chunk of a loaded snapshot is this one array (never written). */
    private static final byte[] ZERO_CHUNK = new byte[CHUNK];

    /**
     * A file or folder of the virtual filesystem.
     *
     * @param path the guest path
     * @param content the file's bytes, or {@code null} for a folder
     */
    public record Entry(String path, byte[] content) {
        public Entry {
            Objects.requireNonNull(path, "path");
        }

        public boolean isDirectory() {
            return content == null;
        }
    }

    private final String moduleSha256;
    private final byte[][] chunks;
    private final long[] globals;
    private final int[][] tables;
    private final List<Entry> files;

    /**
     * For the engine; embedders get snapshots from {@link GuestInstance#snapshot()} or {@link
     * #readFrom}. The arrays are taken over, not copied: {@code chunks} holds one {@value
     * #CHUNK_BYTES}-byte array per chunk of linear memory (a whole number of 64 KiB pages), and
     * neither it nor any chunk may be written afterwards (instances restored from the snapshot read
     * the same chunks until they write them).
     *
     * @throws IllegalArgumentException if a chunk is not {@value #CHUNK_BYTES} bytes, or they are
     *     not a whole number of pages, or more than 2 GiB
     */
    public Snapshot(
            String moduleSha256,
            byte[][] chunks,
            long[] globals,
            int[][] tables,
            List<Entry> files) {
        this.moduleSha256 = Objects.requireNonNull(moduleSha256, "moduleSha256");
        this.chunks = Objects.requireNonNull(chunks, "chunks");
        this.globals = Objects.requireNonNull(globals, "globals");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.files = List.copyOf(files);
        if ((long) chunks.length * CHUNK > MAX_MEMORY) {
            throw new IllegalArgumentException("memory above " + MAX_MEMORY + " bytes");
        }
        if (chunks.length % PER_PAGE != 0) {
            throw new IllegalArgumentException("memory is not a whole number of pages");
        }
        for (byte[] chunk : chunks) {
            if (chunk == null || chunk.length != CHUNK) {
                throw new IllegalArgumentException("memory chunks must be " + CHUNK + " bytes");
            }
        }
    }

    /** The SHA-256 of the module it was captured from; it restores only into that module. */
    public String moduleSha256() {
        return moduleSha256;
    }

    /** Bytes of linear memory captured. */
    public long memoryBytes() {
        return (long) chunks.length * CHUNK;
    }

    /**
     * The captured memory's chunks themselves, shared (see the constructor); the engine must not
     * modify them.
     */
    public byte[][] chunksShared() {
        return chunks;
    }

    /** Global values, two raw words per global (low, high). */
    public long[] globals() {
        return globals.clone();
    }

    /** Table contents as function indices ({@code -1} for null). */
    public int[][] tables() {
        int[][] copy = new int[tables.length][];
        for (int i = 0; i < tables.length; i++) {
            copy[i] = tables[i].clone();
        }
        return copy;
    }

    /** The virtual filesystem's folders and files. */
    public List<Entry> files() {
        return files;
    }

    /**
     * Writes the snapshot, compressed (fast deflate).
     *
     * @throws IOException from the stream
     */
    public void writeTo(OutputStream out) throws IOException {
        writeTo(out, true);
    }

    /**
     * Writes the snapshot, compressed (fast deflate) or not. An uncompressed snapshot is larger
     * (every chunk of linear memory that is not all zeros, as it is) but loads several times
     * faster, since inflating is most of {@link #readFrom}'s work: for caches on local disk.
     *
     * @throws IOException from the stream
     */
    public void writeTo(OutputStream out, boolean compressed) throws IOException {
        if (!compressed) {
            out.write(MAGIC_SPARSE);
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
            writeBody(d, true);
            d.flush();
            return;
        }
        out.write(MAGIC);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16);
            DataOutputStream d = new DataOutputStream(z);
            writeBody(d, false);
            d.flush();
            z.finish();
        } finally {
            deflater.end();
        }
    }

    private void writeBody(DataOutputStream d, boolean sparse) throws IOException {
        d.writeUTF(moduleSha256);
        d.writeInt(Math.toIntExact(memoryBytes()));
        for (byte[] chunk : chunks) {
            if (!sparse) {
                d.write(chunk);
            } else if (chunk == ZERO_CHUNK || isZero(chunk)) {
                d.writeByte(0);
            } else {
                d.writeByte(1);
                d.write(chunk);
            }
        }
        d.writeInt(globals.length);
        for (long g : globals) {
            d.writeLong(g);
        }
        d.writeInt(tables.length);
        for (int[] t : tables) {
            d.writeInt(t.length);
            for (int r : t) {
                d.writeInt(r);
            }
        }
        d.writeInt(files.size());
        for (Entry e : files) {
            d.writeUTF(e.path());
            if (e.isDirectory()) {
                d.writeLong(-1);
            } else {
                d.writeLong(e.content().length);
                d.write(e.content());
            }
        }
    }

    /**
     * Reads a snapshot written by {@link #writeTo}, compressed or not. Sizes are checked against
     * the data actually present, so a hostile file cannot make it allocate more than the file holds
     * (each chunk of memory takes a byte of the file at least). All-zero chunks of memory are one
     * shared array. Closes {@code in}.
     *
     * @throws IOException if the stream is not a valid snapshot
     */
    public static Snapshot readFrom(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        boolean sparse = Arrays.equals(magic, MAGIC_SPARSE);
        boolean plain = sparse || Arrays.equals(magic, MAGIC_PLAIN);
        if (!plain && !Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an Airlock snapshot");
        }
        try (InputStream z =
                plain
                        ? new BufferedInputStream(in, 1 << 16)
                        : new InflaterInputStream(in, new java.util.zip.Inflater())) {
            DataInputStream d = new DataInputStream(z);
            String sha = d.readUTF();
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IOException("corrupt snapshot: bad module hash");
            }
            int memLength = d.readInt();
            if (memLength < 0 || memLength > MAX_MEMORY || memLength % Limits.PAGE != 0) {
                throw new IOException("corrupt snapshot: memory size " + memLength);
            }
            byte[][] chunks = new byte[memLength / CHUNK][];
            for (int i = 0; i < chunks.length; i++) {
                int flag = sparse ? d.readUnsignedByte() : 1;
                if (flag == 0) {
                    chunks[i] = ZERO_CHUNK;
                    continue;
                } else if (flag != 1) {
                    throw new IOException("corrupt snapshot: chunk flag " + flag);
                }
                byte[] chunk = new byte[CHUNK];
                d.readFully(chunk);
                chunks[i] = isZero(chunk) ? ZERO_CHUNK : chunk;
            }
            int globalCount = count(d.readInt(), "globals");
            long[] globals = new long[globalCount];
            for (int i = 0; i < globalCount; i++) {
                globals[i] = d.readLong();
            }
            int tableCount = count(d.readInt(), "tables");
            int[][] tables = new int[tableCount][];
            for (int i = 0; i < tableCount; i++) {
                int size = count(d.readInt(), "table elements");
                int[] t = new int[Math.min(size, 1 << 16)];
                for (int j = 0; j < size; j++) {
                    if (j == t.length) {
                        t = Arrays.copyOf(t, Math.min(size, t.length * 2));
                    }
                    t[j] = d.readInt();
                }
                tables[i] = t;
            }
            int fileCount = count(d.readInt(), "files");
            List<Entry> files = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < fileCount; i++) {
                String path = d.readUTF();
                if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
                    throw new IOException("corrupt snapshot: bad path " + path);
                }
                long length = d.readLong();
                if (length == -1) {
                    files.add(new Entry(path, null));
                    continue;
                }
                total += length;
                if (length < 0 || length > Integer.MAX_VALUE - 8 || total > MAX_FILE_BYTES) {
                    throw new IOException("corrupt snapshot: file size " + length);
                }
                files.add(new Entry(path, readExactly(d, (int) length)));
            }
            return new Snapshot(sha, chunks, globals, tables, files);
        } catch (EOFException e) {
            throw new IOException("truncated snapshot", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt snapshot: " + e.getMessage(), e);
        }
    }

    private static boolean isZero(byte[] chunk) {
        return Arrays.mismatch(chunk, ZERO_CHUNK) < 0;
    }

    private static int count(int n, String what) throws IOException {
        if (n < 0 || n > MAX_ENTRIES * 100) {
            throw new IOException("corrupt snapshot: " + what + " count " + n);
        }
        return n;
    }

    /** Reads {@code n} bytes, growing the buffer only as data actually arrives. */
    private static byte[] readExactly(DataInputStream d, int n) throws IOException {
        if (n <= (1 << 20)) {
            byte[] b = new byte[n];
            d.readFully(b);
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        byte[] buf = new byte[1 << 16];
        int left = n;
        while (left > 0) {
            int r = d.read(buf, 0, Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, r);
            left -= r;
        }
        return out.toByteArray();
    }
}
