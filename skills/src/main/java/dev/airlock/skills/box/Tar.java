package dev.airlock.skills.box;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A strict reader of tar archives (ustar, GNU long names, pax paths; gzip-compressed or not), for
 * {@code ADD} of a local archive. Only files and folders: links, devices and FIFOs are refused, and
 * so is any entry whose path is absolute or climbs out with {@code ..}.
 */
final class Tar {
    private Tar() {}

    /** Whether {@code name} is an archive ADD unpacks. */
    static boolean isArchive(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz");
    }

    /**
     * The entries of an archive: relative path to content ({@code null} for a folder).
     *
     * @throws IOException naming the problem (a bad entry, a truncated archive, a limit)
     */
    static Map<String, byte[]> read(byte[] archive, long maxBytes) throws IOException {
        InputStream in = new ByteArrayInputStream(archive);
        if (archive.length > 2 && (archive[0] & 0xff) == 0x1f && (archive[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        String longName = null;
        byte[] header = new byte[512];
        while (true) {
            if (in.readNBytes(header, 0, 512) < 512) {
                throw new IOException("truncated archive");
            }
            if (allZero(header)) {
                return out;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            if (size < 0 || size > maxBytes) {
                throw new IOException("an entry larger than the archive limit");
            }
            byte[] body = in.readNBytes((int) size);
            if (body.length < size) {
                throw new IOException("truncated archive");
            }
            long pad = (512 - size % 512) % 512;
            in.skipNBytes(pad);
            if (type == 'L') {
                longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (type == 'x') {
                String p = paxPath(body);
                if (p != null) {
                    longName = p;
                }
                continue;
            }
            if (type == 'g') {
                continue;
            }
            String path =
                    longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
            longName = null;
            String rel = relative(path);
            if (type == '5') {
                if (!rel.isEmpty()) {
                    out.put(rel, null);
                }
            } else if (type == '0' || type == '\0' || type == '7') {
                if (rel.isEmpty()) {
                    throw new IOException("an entry without a name");
                }
                total += size;
                if (total > maxBytes) {
                    throw new IOException("more than the archive limit once unpacked");
                }
                out.put(rel, body);
            } else if (type == '1' || type == '2') {
                throw new IOException("entry " + path + " is a link (not supported)");
            } else {
                throw new IOException("entry " + path + " is not a file or folder");
            }
        }
    }

    /** The entry's path without leading "./", refusing absolute paths and "..". */
    static String relative(String path) throws IOException {
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            throw new IOException("entry " + path + " has an absolute or odd path");
        }
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException("entry " + path + " climbs out with ..");
            }
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(part);
        }
        return b.toString();
    }

    private static String paxPath(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        for (String rec : s.split("\n")) {
            int sp = rec.indexOf(' ');
            if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                return rec.substring(sp + 6);
            }
        }
        return null;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        String s = text(b, off, len).strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException("a bad size field");
        }
    }
}
