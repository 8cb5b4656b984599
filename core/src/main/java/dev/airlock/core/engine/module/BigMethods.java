package dev.airlock.core.engine.module;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Finds the compiled guest functions whose JVM bytecode is at least a given size, by reading the
 * generated class files (their constant pool and each method's {@code Code} attribute): those are
 * the functions {@link JitTuning#excludeFromC1} keeps away from HotSpot's C1. A class it cannot
 * read is skipped; the search never throws.
 */
final class BigMethods {
    private static final String PREFIX = "func_";

    private BigMethods() {}

    /**
     * The methods named {@code func_N} of {@code classes} (class name to class file) with at least
     * {@code minBytes} bytes of bytecode, as {@code package/Class.method}, with their sizes in
     * bytes, sorted by name.
     */
    static Map<String, Integer> find(Map<String, byte[]> classes, int minBytes) {
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            try {
                String owner = e.getKey().replace('.', '/');
                methods(e.getValue(), minBytes, (m, size) -> out.put(owner + "." + m, size));
            } catch (RuntimeException ignored) {
                // not a class file this reader understands: nothing to tune in it
            }
        }
        return out;
    }

    /**
     * Gives the methods of one class file with at least {@code minBytes} of bytecode to {@code to}.
     */
    private static void methods(byte[] classFile, int minBytes, BiConsumer<String, Integer> to) {
        ByteBuffer b = ByteBuffer.wrap(classFile);
        if (b.getInt() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        b.getInt(); // minor and major version
        int count = b.getShort() & 0xFFFF;
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = b.get() & 0xFF;
            switch (tag) {
                case 1:
                    byte[] s = new byte[b.getShort() & 0xFFFF];
                    b.get(s);
                    utf8[i] = new String(s, StandardCharsets.UTF_8); // names here are ASCII
                    break;
                case 5:
                case 6:
                    b.position(b.position() + 8);
                    i++; // a long or double takes two entries
                    break;
                case 3:
                case 4:
                case 9:
                case 10:
                case 11:
                case 12:
                case 17:
                case 18:
                    b.position(b.position() + 4);
                    break;
                case 15:
                    b.position(b.position() + 3);
                    break;
                case 7:
                case 8:
                case 16:
                case 19:
                case 20:
                    b.position(b.position() + 2);
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        b.position(b.position() + 6); // access flags, this class, super class
        int interfaces = b.getShort() & 0xFFFF;
        b.position(b.position() + 2 * interfaces);
        skipMembers(b); // fields
        int methods = b.getShort() & 0xFFFF;
        for (int m = 0; m < methods; m++) {
            b.getShort(); // access flags
            String name = utf8[b.getShort() & 0xFFFF];
            b.getShort(); // descriptor
            int attributes = b.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[b.getShort() & 0xFFFF];
                int length = b.getInt();
                int end = b.position() + length;
                if ("Code".equals(attribute) && name != null && name.startsWith(PREFIX)) {
                    b.getInt(); // max stack, max locals
                    long code = b.getInt() & 0xFFFFFFFFL;
                    if (code >= minBytes) {
                        to.accept(name, (int) code);
                    }
                }
                b.position(end);
            }
        }
    }

    private static void skipMembers(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        for (int i = 0; i < n; i++) {
            b.position(b.position() + 6);
            int attributes = b.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                b.getShort();
                int length = b.getInt();
                b.position(b.position() + length);
            }
        }
    }
}
