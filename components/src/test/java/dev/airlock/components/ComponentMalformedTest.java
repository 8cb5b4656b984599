package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile component bytes: every failure is a typed, one-line error, quickly, without OOM. */
class ComponentMalformedTest {
    static final byte[] PREAMBLE = {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};

    /** Loads, and prints the world when it loads: only ComponentException may escape. */
    static void loadOrRefuse(byte[] bytes) {
        try {
            Component c = Component.load(bytes);
            assertThat(c.wit()).isNotNull();
        } catch (ComponentException e) {
            assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\n");
        }
    }

    @Test
    void everyTruncationIsRefusedOrLoads() throws Exception {
        byte[] good = ComponentWorldTest.resource("types.wasm");
        for (int n = 0; n < good.length; n++) {
            loadOrRefuse(Arrays.copyOf(good, n));
        }
        assertThatThrownBy(() -> Component.load(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void mutatedBytesAreRefusedOrLoad() throws Exception {
        byte[] good = ComponentWorldTest.resource("types.wasm");
        Random random = new Random(22);
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bad.length);
                bad[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) 0xFF;
            }
            loadOrRefuse(bad);
        }
    }

    @Test
    void hugeCountsFailAtOnce() {
        // a type section claiming 2^31-1 types in five bytes
        byte[] b = component(section(7, bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07)));
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("exceeds the bytes left")
                .extracting(e -> ((ComponentException) e).kind())
                .isEqualTo(ComponentException.Kind.MALFORMED);
    }

    @Test
    void overlongLeb128IsMalformed() {
        byte[] b = component(section(7, bytes(0x81, 0x80, 0x80, 0x80, 0x80, 0x00)));
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void sectionSizeBeyondTheEndIsMalformed() {
        byte[] b = concat(PREAMBLE, bytes(0x07, 0xFF, 0xFF, 0xFF, 0x07, 0x01));
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("exceeds the bytes left");
    }

    @Test
    void outOfRangeIndicesAreInvalid() {
        // (type (list 5)) with no type 5
        byte[] b = component(section(7, bytes(0x01, 0x70, 0x05)));
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("type index 5 out of range")
                .extracting(e -> ((ComponentException) e).kind())
                .isEqualTo(ComponentException.Kind.INVALID);
    }

    @Test
    void deepNestingIsRefused() {
        byte[] inner = component();
        for (int i = 0; i < 80; i++) {
            inner = component(section(4, inner));
        }
        byte[] b = inner;
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("nested deeper than 64");
    }

    @Test
    void typesThatDoubleEachLevelAreRefusedAndPrintedWithinBounds() throws Exception {
        // t0 = tuple<u8, u8>; t(i+1) = tuple<t(i), t(i)>; export the last
        ByteArrayOutputStream types = new ByteArrayOutputStream();
        int n = 40;
        types.write(n);
        types.writeBytes(bytes(0x6f, 0x02, 0x7d, 0x7d));
        for (int i = 0; i < n - 1; i++) {
            types.writeBytes(bytes(0x6f, 0x02, i, i));
        }
        byte[] tooLarge = component(section(7, types.toByteArray()));
        assertThatThrownBy(() -> Component.load(tooLarge))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("larger than 2 GiB");

        ByteArrayOutputStream small = new ByteArrayOutputStream();
        small.write(25);
        small.writeBytes(bytes(0x6f, 0x02, 0x7d, 0x7d));
        for (int i = 0; i < 24; i++) {
            small.writeBytes(bytes(0x6f, 0x02, i, i));
        }
        // (export "big" (type 24))
        byte[] export = concat(bytes(0x01, 0x00, 0x03), "big".getBytes(), bytes(0x03, 24, 0x00));
        Component c =
                Component.load(
                        concat(component(section(7, small.toByteArray())), section(11, export)));
        assertThat(c.wit()).hasSizeLessThan(WitPrinter.LIMIT + 100).contains("cut at");
    }

    @Test
    void anArgumentOfTheWrongKindIsInvalid() {
        // (component (component $c (import "f" (func))) (type $t u8)
        //   (instance (instantiate $c (with "f" (type $t)))))
        byte[] b =
                java.util.HexFormat.of()
                        .parseHex(
                                "0061736d0d000100042c0061736d0d000100070501400001000a06010001660100"
                                        + "00130e636f6d706f6e656e742d6e616d65000201630702017d050801"
                                        + "00000101660300001d0e636f6d706f6e656e742d6e616d6501050301"
                                        + "00017401050401000163");
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessage("a func index names another kind of item");
    }

    @Test
    void notAComponent() {
        assertThatThrownBy(
                        () -> Component.load(bytes(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining("not a component");
        assertThat(Component.isComponent(PREAMBLE)).isTrue();
        assertThat(Component.isComponent(bytes(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00)))
                .isFalse();
    }

    @Test
    void startFunctionsAreUnsupported() {
        byte[] b = component(section(9, bytes(0x00, 0x00, 0x00)));
        assertThatThrownBy(() -> Component.load(b))
                .isInstanceOf(ComponentException.class)
                .hasMessage("unsupported: component start functions")
                .extracting(e -> ((ComponentException) e).kind())
                .isEqualTo(ComponentException.Kind.UNSUPPORTED);
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] component(byte[]... sections) {
        return concat(PREAMBLE, concat(sections));
    }

    static byte[] section(int id, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id);
        int n = content.length;
        do {
            int b = n & 0x7F;
            n >>>= 7;
            out.write(n != 0 ? b | 0x80 : b);
        } while (n != 0);
        out.writeBytes(content);
        return out.toByteArray();
    }
}
