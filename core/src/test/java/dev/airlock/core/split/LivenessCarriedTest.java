package dev.airlock.core.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.testing.Guests;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outliner carries a function's liveness analysis from one step to the next ({@link
 * Liveness#replaced}) instead of analysing the whole function again after each region it outlines.
 * Wherever it does, the carried analysis must say exactly what a fresh analysis of the new code
 * says, for every instruction and every label; a region that never reaches its end is not carried
 * (its call's dispatch can fall through, so what is live after it becomes live before it).
 */
class LivenessCarriedTest {
    /** Steps carried, and how many of them differed from a fresh analysis. */
    private int carried;

    private int differing;

    private final Outliner.Check check =
            (lv, code, locals) -> {
                carried++;
                if (!lv.sameAs(Liveness.of(code, locals))) {
                    differing++;
                }
            };

    private byte[] split(byte[] module, int threshold) {
        return Splitter.split(
                module,
                new Splitter.Options(threshold, threshold, false, false, Long.MAX_VALUE, check));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bz2/benchmark.wasm",
                "regex/benchmark.wasm",
                "pulldown-cmark/benchmark.wasm",
                "shootout/shootout-ed25519.wasm"
            })
    void carriedAnalysesAreWhatAFreshOneSays(String name) throws IOException {
        byte[] module = Files.readAllBytes(Guests.testdata().resolve("sightglass/" + name));
        byte[] split = split(module, Splitter.DEFAULT_THRESHOLD);
        assertThat(differing).isZero();
        assertThat(carried).isGreaterThan(40);
        assertThat(split).isEqualTo(Splitter.split(module, Splitter.DEFAULT_THRESHOLD));
    }

    @Test
    void regionsThatAlwaysBranchOutAreAnalysedAfresh() {
        byte[] module = escaping(20);
        byte[] split = split(module, 300);
        assertThat(Splitter.definedFunctions(split)).isGreaterThan(10);
        assertThat(differing).isZero();
        assertThat(carried).isPositive();
        assertThat(split).isEqualTo(Splitter.split(module, 300));
    }

    /**
     * One function (param i32) (result i32) of {@code units} times: {@code block; local.get 0; if;
     * block; (local 1 += 1) x30; br 2; end; local.get 2; (i32.const 1; i32.add) x30; local.set 3;
     * end; end}: the inner block (215 bytes) always branches out of the outer one, and the
     * unreachable statement after it (94 bytes) reads local 2, which nothing writes. At a threshold
     * of 300 the {@code if}, and a run of the block with that statement, are too big to outline, so
     * the block is outlined: after its call, local 2 is live (the dispatch can fall through), and
     * with it up to the function's start.
     */
    private static byte[] escaping(int units) {
        ByteWriter body = new ByteWriter(8192).u32(1).u32(4).u8(0x7F);
        for (int u = 0; u < units; u++) {
            body.u8(0x02).u8(0x40).u8(0x20).u32(0).u8(0x04).u8(0x40).u8(0x02).u8(0x40);
            for (int i = 0; i < 30; i++) {
                body.u8(0x20).u32(1).u8(0x41).u8(1).u8(0x6A).u8(0x21).u32(1);
            }
            body.u8(0x0C).u32(2).u8(0x0B);
            body.u8(0x20).u32(2);
            for (int i = 0; i < 30; i++) {
                body.u8(0x41).u8(1).u8(0x6A);
            }
            body.u8(0x21).u32(3);
            body.u8(0x0B).u8(0x0B);
        }
        body.u8(0x20).u32(1).u8(0x20).u32(3).u8(0x6A).u8(0x0B);
        ByteWriter code = new ByteWriter(body.size() + 8).u32(1).u32(body.size()).bytes(body);
        ByteWriter m = new ByteWriter(code.size() + 32);
        m.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 0, 8);
        section(m, 1, new ByteWriter(8).u32(1).u8(0x60).u32(1).u8(0x7F).u32(1).u8(0x7F));
        section(m, 3, new ByteWriter(4).u32(1).u32(0));
        section(m, 10, code);
        return m.toByteArray();
    }

    private static void section(ByteWriter m, int id, ByteWriter payload) {
        m.u8(id).u32(payload.size()).bytes(payload);
    }
}
