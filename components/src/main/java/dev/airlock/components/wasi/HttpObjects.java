package dev.airlock.components.wasi;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The host objects behind {@code wasi:http} resources, and the checks on header names and values.
 */
final class HttpObjects {
    private HttpObjects() {}

    /** Headers: entries in order, and whether they may change. */
    static final class Fields {
        final List<String> names = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final boolean immutable;

        Fields(boolean immutable) {
            this.immutable = immutable;
        }

        Fields copy(boolean immutable) {
            Fields f = new Fields(immutable);
            f.names.addAll(names);
            f.values.addAll(values);
            return f;
        }
    }

    static final class Request {
        Fields headers;
        String method = "GET";
        String scheme = "https";
        String authority;
        String path = "/";
        Body body;
    }

    static final class Body {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean streamTaken;
    }

    /** A response once it has arrived: status, headers and the whole body, or an error case. */
    static final class Future {
        Response response;
        String error;
        String detail;
        boolean taken;
    }

    record Response(int status, Fields headers, byte[] body) {}

    record IncomingBody(byte[] body) {}

    static void remove(Fields x, String name) {
        for (int i = x.names.size() - 1; i >= 0; i--) {
            if (x.names.get(i).equalsIgnoreCase(name)) {
                x.names.remove(i);
                x.values.remove(i);
            }
        }
    }

    static boolean validName(String n) {
        return n.matches("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,256}");
    }

    static boolean validValue(byte[] v) {
        for (byte b : v) {
            if (b == '\r' || b == '\n' || b == 0) {
                return false;
            }
        }
        return v.length <= 8192;
    }

    static String string(Call c, long at) {
        byte[] p = c.read(at, 8);
        return c.string(le(p, 0), le(p, 4));
    }

    static byte[] bytes(Call c, long at) {
        byte[] p = c.read(at, 8);
        return c.read(le(p, 0), le(p, 4));
    }

    static long le(byte[] b, int o) {
        return (b[o] & 0xFFL)
                | (b[o + 1] & 0xFFL) << 8
                | (b[o + 2] & 0xFFL) << 16
                | (b[o + 3] & 0xFFL) << 24;
    }
}
