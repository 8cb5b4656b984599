package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.fuel.ByteWriter;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.split.Splitter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A module that carries a dispatch profile (custom section {@code airlock.dispatch-profile}, as the
 * interpreter images do) has its profiled switch regrouped by it without being asked, and computes
 * the same results with the same fuel; a profile of nothing in the module, or one that cannot be
 * read, changes nothing.
 */
class SplitProfileTest {

    private static final int CASES = Splitter.DISPATCH_CASES;

    /** {@code module} with a custom section named {@code name} holding {@code payload}. */
    static byte[] withSection(byte[] module, String name, byte[] payload) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteWriter content = new ByteWriter(payload.length + n.length + 8);
        content.u32(n.length).bytes(n, 0, n.length).bytes(payload, 0, payload.length);
        byte[] c = content.toByteArray();
        ByteWriter w = new ByteWriter(module.length + c.length + 8);
        w.bytes(module, 0, module.length).u8(0).u32(c.length).bytes(c, 0, c.length);
        return w.toByteArray();
    }

    static byte[] withProfile(byte[] module, String profile) {
        return withSection(
                module, "airlock.dispatch-profile", profile.getBytes(StandardCharsets.UTF_8));
    }

    /** A profile of the loop's switch (function 0, 131 values) with a few hot cases. */
    private static String profile(int func, int values) {
        StringBuilder s = new StringBuilder("func " + func + " values " + values + " default 3");
        s.append(" counts");
        for (int v = 0; v < values; v++) {
            s.append(' ').append(v == 5 ? 9000 : v % 9 == 2 ? 100 + v : 0);
        }
        return s.append('\n').toString();
    }

    @Test
    void aModuleWithAProfileIsRegroupedByItAndComputesTheSame() {
        byte[] plain = SplitSwitchTest.module(CASES);
        byte[] profiled = withProfile(plain, profile(0, CASES + 3));
        byte[] split = Splitter.split(profiled, 600);
        byte[] unprofiled = Splitter.split(plain, 600);
        // not asked to regroup, yet regrouped: the dispatch function is smaller
        assertThat(SplitSwitchTest.largest(unprofiled)).isGreaterThan(1600);
        assertThat(SplitSwitchTest.largest(split)).isLessThan(1400);
        // asked or not, the profile chooses the cases kept, not their sizes alone
        String text = profile(0, CASES + 3);
        assertThat(Splitter.split(profiled, 600, 600, true)).isEqualTo(split);
        assertThat(split).isNotEqualTo(withProfile(Splitter.split(plain, 600, 600, true), text));
        Metered metered = Metering.instrument(profiled, CostTable.defaults());
        byte[] meteredSplit = Splitter.split(metered.bytes(), 600);
        Set<Long> results = new HashSet<>();
        for (int seed = 0; seed < 16; seed++) {
            for (int n : new int[] {0, 1, 2, 5000}) {
                results.add(
                        SplitterTest.sameResultsAndFuel(
                                profiled, split, metered, meteredSplit, n, seed));
            }
        }
        assertThat(results).hasSizeGreaterThan(40);
    }

    @Test
    void aProfileOfNothingInTheModuleChangesNothing() {
        byte[] plain = SplitSwitchTest.module(CASES);
        byte[] unprofiled = Splitter.split(plain, 600);
        for (String p :
                new String[] {
                    profile(1, CASES + 3), // another function
                    profile(0, CASES + 2), // another switch
                    "func 0 values 131 default 0 counts 1 2 3\n", // too few counts
                    "not a profile"
                }) {
            assertThat(Splitter.split(withProfile(plain, p), 600))
                    .isEqualTo(withProfile(unprofiled, p));
        }
        byte[] garbage = new byte[300];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37);
        }
        byte[] odd = withSection(plain, "airlock.dispatch-profile", garbage);
        assertThat(Splitter.split(odd, 600))
                .isEqualTo(withSection(unprofiled, "airlock.dispatch-profile", garbage));
    }
}
