package dev.airlock.components.wasi;

import dev.airlock.components.wasi.HttpObjects.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code wasi:http/types} {@code fields} resource (request and response headers): its
 * constructors, lookups and edits, and the {@code header-error} each edit answers.
 */
final class HttpFields {
    private HttpFields() {}

    /** header-error: invalid-syntax 0, forbidden 1, immutable 2. */
    private static final int INVALID = 0;

    private static final int IMMUTABLE = 2;

    static void register(Map<String, Wasi2.Impl> f, String t) {
        f.put(t + "[constructor]fields", (c, a) -> Io.one(c.own(new Fields(false))));
        f.put(
                t + "[static]fields.from-list",
                (c, a) -> {
                    Fields x = new Fields(false);
                    for (int i = 0; i < a[1]; i++) {
                        long e = a[0] + 16L * i;
                        String name = HttpObjects.string(c, e);
                        byte[] value = HttpObjects.bytes(c, e + 8);
                        if (!HttpObjects.validName(name) || !HttpObjects.validValue(value)) {
                            c.u8(a[2], 1);
                            c.u8(a[2] + 4, INVALID);
                            return null;
                        }
                        x.names.add(name);
                        x.values.add(value);
                    }
                    c.u8(a[2], 0);
                    c.u32(a[2] + 4, c.own(x));
                    return null;
                });
        f.put(
                t + "[method]fields.get",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    String name = c.string(a[1], a[2]).toLowerCase(Locale.ROOT);
                    List<byte[]> found = new ArrayList<>();
                    for (int i = 0; i < x.names.size(); i++) {
                        if (x.names.get(i).toLowerCase(Locale.ROOT).equals(name)) {
                            found.add(x.values.get(i));
                        }
                    }
                    int list = c.alloc(8L * found.size(), 4);
                    for (int i = 0; i < found.size(); i++) {
                        c.u32(list + 8L * i, c.bytes(found.get(i)));
                        c.u32(list + 8L * i + 4, found.get(i).length);
                    }
                    c.u32(a[3], list);
                    c.u32(a[3] + 4, found.size());
                    return null;
                });
        f.put(
                t + "[method]fields.has",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    String name = c.string(a[1], a[2]);
                    return Io.one(x.names.stream().anyMatch(n -> n.equalsIgnoreCase(name)) ? 1 : 0);
                });
        f.put(
                t + "[method]fields.set",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    String name = c.string(a[1], a[2]);
                    List<byte[]> values = new ArrayList<>();
                    for (int i = 0; i < a[4]; i++) {
                        values.add(HttpObjects.bytes(c, a[3] + 8L * i));
                    }
                    if (headerError(c, a[5], x, name, values)) {
                        return null;
                    }
                    HttpObjects.remove(x, name);
                    for (byte[] v : values) {
                        x.names.add(name);
                        x.values.add(v);
                    }
                    c.u8(a[5], 0);
                    return null;
                });
        f.put(
                t + "[method]fields.delete",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    String name = c.string(a[1], a[2]);
                    if (headerError(c, a[3], x, name, List.of())) {
                        return null;
                    }
                    HttpObjects.remove(x, name);
                    c.u8(a[3], 0);
                    return null;
                });
        f.put(
                t + "[method]fields.append",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    String name = c.string(a[1], a[2]);
                    byte[] value = c.read(a[3], a[4]);
                    if (headerError(c, a[5], x, name, List.of(value))) {
                        return null;
                    }
                    x.names.add(name);
                    x.values.add(value);
                    c.u8(a[5], 0);
                    return null;
                });
        f.put(
                t + "[method]fields.entries",
                (c, a) -> {
                    Fields x = c.self(a[0], 0, Fields.class);
                    int list = c.alloc(16L * x.names.size(), 4);
                    for (int i = 0; i < x.names.size(); i++) {
                        c.string(list + 16L * i, x.names.get(i));
                        c.u32(list + 16L * i + 8, c.bytes(x.values.get(i)));
                        c.u32(list + 16L * i + 12, x.values.get(i).length);
                    }
                    c.u32(a[1], list);
                    c.u32(a[1] + 4, x.names.size());
                    return null;
                });
        f.put(
                t + "[method]fields.clone",
                (c, a) -> Io.one(c.own(c.self(a[0], 0, Fields.class).copy(false))));
    }

    private static boolean headerError(
            Call c, long ret, Fields x, String name, List<byte[]> values) {
        int code = -1;
        if (x.immutable) {
            code = IMMUTABLE;
        } else if (!HttpObjects.validName(name)
                || !values.stream().allMatch(HttpObjects::validValue)) {
            code = INVALID;
        }
        if (code < 0) {
            return false;
        }
        c.u8(ret, 1);
        c.u8(ret + 1, code);
        return true;
    }
}
