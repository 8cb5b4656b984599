package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.engine.SplitSwitchTest;
import dev.airlock.core.split.Splitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which modules the loader regroups ({@code airlock.split.regroup}): none by default, those with a
 * dispatch loop with {@code dispatch}, all with {@code true}; each mode its own cache key.
 */
class SplitSettingsTest {
    private static final String REGROUP = "airlock.split.regroup";

    @AfterEach
    void clear() {
        System.clearProperty(REGROUP);
    }

    @Test
    void regroupingIsOffUnlessAskedFor() {
        byte[] loop = SplitSwitchTest.module(Splitter.DISPATCH_CASES);
        byte[] small = SplitSwitchTest.module(40);
        String none = SplitSettings.describe(600);
        assertThat(SplitSettings.regroup(loop, 600)).isFalse();
        assertThat(SplitSettings.regroup(small, 600)).isFalse();

        System.setProperty(REGROUP, " Dispatch ");
        assertThat(SplitSettings.regroup(loop, 600)).isTrue();
        assertThat(SplitSettings.regroup(small, 600)).isFalse();
        String dispatch = SplitSettings.describe(600);

        System.setProperty(REGROUP, "true");
        assertThat(SplitSettings.regroup(loop, 600)).isTrue();
        assertThat(SplitSettings.regroup(small, 600)).isTrue();
        String all = SplitSettings.describe(600);

        System.setProperty(REGROUP, "false");
        assertThat(SplitSettings.regroup(loop, 600)).isFalse();
        assertThat(SplitSettings.describe(600)).isEqualTo(none);
        assertThat(new String[] {none, dispatch, all}).doesNotHaveDuplicates();
    }
}
