package dev.airlock.core.link;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.MeteringException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One core module as the merger reads it: its sections located, its imports and exports named, and
 * the byte ranges of what is copied (with its indices rewritten) into the merged module.
 */
final class Parsed {
    static final int FUNC = 0;
    static final int TABLE = 1;
    static final int MEMORY = 2;
    static final int GLOBAL = 3;

    /** An import: module, name, kind and the bytes of its description after the kind. */
    record Import(String module, String name, int kind, int typeIndex, byte[] desc) {}

    /** An export's kind and index. */
    record Export(int kind, int index) {}

    /** A byte range of the module. */
    record Range(int from, int to) {}

    final byte[] bytes;

    /** Each function type's bytes (the form 0x60 and both vectors). */
    final List<byte[]> types = new ArrayList<>();

    final List<Import> imports = new ArrayList<>();
    final int[] imported = new int[4];

    /** The type of each function the module defines. */
    final List<Integer> funcTypes = new ArrayList<>();

    /** Each defined table's and memory's type bytes. */
    final List<byte[]> tables = new ArrayList<>();

    final List<byte[]> memories = new ArrayList<>();

    /** Each defined global: its type bytes and its initialiser's range (up to its end). */
    final List<byte[]> globalTypes = new ArrayList<>();

    final List<Range> globalInits = new ArrayList<>();
    final Map<String, Export> exports = new LinkedHashMap<>();
    int start = -1;

    /** The element and data sections' contents (after their counts) and counts. */
    Range elements;

    int elementCount;
    Range data;
    int dataCount;
    boolean hasDataCount;

    /** Each function body's range (its locals and code, without its size). */
    final List<Range> bodies = new ArrayList<>();

    Parsed(byte[] bytes) {
        this.bytes = bytes;
        ByteReader r = new ByteReader(bytes, 0, bytes.length);
        if (bytes.length < 8
                || r.u8() != 0
                || r.u8() != 'a'
                || r.u8() != 's'
                || r.u8() != 'm'
                || r.u8() != 1
                || r.u8() != 0
                || r.u8() != 0
                || r.u8() != 0) {
            throw new MeteringException("malformed: not a WebAssembly core module");
        }
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count();
            int at = r.pos();
            r.skip(size);
            ByteReader s = new ByteReader(bytes, at, at + size);
            switch (id) {
                case 0 -> {}
                case 1 -> types(s);
                case 2 -> imports(s);
                case 3 -> {
                    int n = s.count();
                    for (int i = 0; i < n; i++) {
                        funcTypes.add(s.count());
                    }
                }
                case 4 -> {
                    int n = s.count();
                    for (int i = 0; i < n; i++) {
                        tables.add(copy(s, Parsed::tableType));
                    }
                }
                case 5 -> {
                    int n = s.count();
                    for (int i = 0; i < n; i++) {
                        memories.add(copy(s, Parsed::limits));
                    }
                }
                case 6 -> globals(s);
                case 7 -> exports(s);
                case 8 -> start = s.count();
                case 9 -> {
                    elementCount = s.count();
                    elements = new Range(s.pos(), s.end());
                }
                case 10 -> {
                    int n = s.count();
                    for (int i = 0; i < n; i++) {
                        int len = s.count();
                        bodies.add(new Range(s.pos(), s.pos() + len));
                        s.skip(len);
                    }
                }
                case 11 -> {
                    dataCount = s.count();
                    data = new Range(s.pos(), s.end());
                }
                case 12 -> hasDataCount = true;
                case 13 -> throw new MeteringException("unsupported: exception tags");
                default -> throw new MeteringException("malformed: unknown section " + id);
            }
        }
        if (bodies.size() != funcTypes.size()) {
            throw new MeteringException("malformed: function and code sections differ");
        }
    }

    /** How many items of a kind the module has, imported and defined. */
    int count(int kind) {
        return imported[kind]
                + switch (kind) {
                    case FUNC -> funcTypes.size();
                    case TABLE -> tables.size();
                    case MEMORY -> memories.size();
                    default -> globalTypes.size();
                };
    }

    private interface Reading {
        void read(ByteReader r);
    }

    private byte[] copy(ByteReader r, Reading what) {
        int from = r.pos();
        what.read(r);
        byte[] out = new byte[r.pos() - from];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }

    private void types(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            types.add(
                    copy(
                            r,
                            s -> {
                                int form = s.u8();
                                if (form != 0x60) {
                                    throw new MeteringException(
                                            "unsupported: type form " + Integer.toHexString(form));
                                }
                                for (int v = 0; v < 2; v++) {
                                    int c = s.count();
                                    for (int j = 0; j < c; j++) {
                                        valType(s);
                                    }
                                }
                            }));
        }
    }

    private void imports(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            String module = name(r);
            String name = name(r);
            int kind = r.u8();
            int type = -1;
            byte[] desc;
            switch (kind) {
                case FUNC -> {
                    type = r.count();
                    desc = new byte[0];
                }
                case TABLE -> desc = copy(r, Parsed::tableType);
                case MEMORY -> desc = copy(r, Parsed::limits);
                case GLOBAL -> desc = copy(r, Parsed::globalType);
                default -> throw new MeteringException("unsupported: import of kind " + kind);
            }
            imported[kind]++;
            imports.add(new Import(module, name, kind, type, desc));
        }
    }

    private void globals(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            globalTypes.add(copy(r, Parsed::globalType));
            int from = r.pos();
            Code.skipExpression(r);
            globalInits.add(new Range(from, r.pos()));
        }
    }

    private void exports(ByteReader r) {
        int n = r.count();
        for (int i = 0; i < n; i++) {
            String name = name(r);
            int kind = r.u8();
            int index = r.count();
            if (kind > GLOBAL) {
                throw new MeteringException("unsupported: export of kind " + kind);
            }
            if (exports.put(name, new Export(kind, index)) != null) {
                throw new MeteringException("malformed: duplicate export " + name);
            }
        }
    }

    private String name(ByteReader r) {
        int len = r.count();
        int at = r.pos();
        r.skip(len);
        return new String(bytes, at, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void valType(ByteReader r) {
        int b = r.u8();
        switch (b) {
            case 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F -> {}
            default ->
                    throw new MeteringException(
                            "unsupported: value type 0x" + Integer.toHexString(b));
        }
    }

    static void tableType(ByteReader r) {
        int ref = r.u8();
        if (ref != 0x70 && ref != 0x6F) {
            throw new MeteringException("unsupported: table type 0x" + Integer.toHexString(ref));
        }
        limits(r);
    }

    static void limits(ByteReader r) {
        int flags = r.u8();
        if (flags > 1) {
            throw new MeteringException("unsupported: shared or 64-bit limits");
        }
        r.u32();
        if (flags == 1) {
            r.u32();
        }
    }

    static void globalType(ByteReader r) {
        valType(r);
        int mut = r.u8();
        if (mut > 1) {
            throw new MeteringException("malformed: global mutability " + mut);
        }
    }
}
