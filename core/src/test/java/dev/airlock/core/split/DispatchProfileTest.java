package dev.airlock.core.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.engine.SplitSwitchTest;
import dev.airlock.core.fuel.ByteReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dispatch profiles: how they are read (leniently: a bad line is skipped, never an error), and
 * which cases of a switch a profile keeps in the function (the hottest that fit, never one that was
 * not taken).
 */
class DispatchProfileTest {

    private static DispatchProfile parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return DispatchProfile.parse(b, 0, b.length);
    }

    @Test
    void linesOfOneSwitchAddUpAndTheDefaultComesLast() {
        DispatchProfile p =
                parse(
                        "func 7 values 3 default 4 counts 1 2 3\n"
                                + "func 7 values 3 default 1 counts 10 0 5\n"
                                + "func 8 values 2 default 0 counts 9 9\n");
        assertThat(p.counts(7, 3)).containsExactly(11, 2, 8, 5);
        assertThat(p.counts(8, 2)).containsExactly(9, 9, 0);
        assertThat(p.counts(7, 4)).isNull();
        assertThat(p.counts(9, 3)).isNull();
    }

    @Test
    void badLinesAreSkipped() {
        DispatchProfile p =
                parse(
                        "func 1 values 3 default 0 counts 1 2\n" // too few counts
                                + "func 2 values 2 default 0 counts 1 -2\n" // negative
                                + "func 3 values 2 default x counts 1 2\n" // not a number
                                + "fun 4 values 2 default 0 counts 1 2\n" // another word
                                + "func -5 values 2 default 0 counts 1 2\n" // no such function
                                + "func 6 values 99999999999 default 0 counts 1\n"
                                + "\u0000\u00ff garbage\n"
                                + "func 7 values 2 default 0 counts 99999999999999999999 1\n"
                                + "func 8 values 2 default 0 counts 3 4");
        for (int f = 1; f <= 7; f++) {
            assertThat(p.counts(f, 2)).isNull();
        }
        assertThat(p.counts(8, 2)).containsExactly(3, 4, 0);
        assertThat(parse("nothing here").isEmpty()).isTrue();
        byte[] big = new byte[DispatchProfile.MAX_BYTES + 1];
        assertThat(DispatchProfile.parse(big, 0, big.length).isEmpty()).isTrue();
        assertThat(DispatchProfile.parse(big, 10, 5).isEmpty()).isTrue();
    }

    /** The chain of the 128-case dispatch loop of {@link SplitSwitchTest#module}. */
    private static SwitchChain chain() {
        byte[] m = SplitSwitchTest.module(Splitter.DISPATCH_CASES);
        ByteReader r = new ByteReader(m, 8, m.length);
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count();
            int start = r.pos();
            r.skip(size);
            if (id == 10) {
                ByteReader c = new ByteReader(m, start, start + size);
                c.count();
                int len = c.count();
                Body b = new Body(m, c.pos(), c.pos() + len);
                return SwitchChain.find(b.code());
            }
        }
        throw new AssertionError("no code");
    }

    private static List<Integer> kept(boolean[] k) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < k.length; i++) {
            if (k[i]) {
                l.add(i);
            }
        }
        return l;
    }

    private static int len(SwitchChain c, int i) {
        return c.ends()[i + 1] - c.ends()[i];
    }

    @Test
    void theHottestCasesThatFitStayAndUntakenOnesNever() {
        SwitchChain c = chain();
        int n = c.n();
        int cases = n - 1;
        assertThat(c.table()).hasSize(n + 4); // n cases, $top, $c3, $c20, the default
        long[] counts = new long[c.table().length];
        counts[5] = 1000;
        counts[17] = 500;
        counts[n + 1] = 800; // the table's second way to case 3
        counts[60] = 10;
        assertThat(kept(KeptCases.hottest(c, cases, 1 << 20, counts)))
                .containsExactly(3, 5, 17, 60);
        // room for the two hottest only
        int two = len(c, 5) + len(c, 3);
        assertThat(kept(KeptCases.hottest(c, cases, two, counts))).containsExactly(3, 5);
        // a case that does not fit is passed over for cooler ones that do
        assertThat(len(c, 3)).isGreaterThan(len(c, 17));
        int room = len(c, 5) + len(c, 17);
        assertThat(kept(KeptCases.hottest(c, cases, room, counts))).containsExactly(5, 17);
        // counts only on $top and the default (the last case, which stays after the chain)
        long[] outside = new long[c.table().length];
        outside[n] = 99;
        outside[n + 3] = 7;
        assertThat(kept(KeptCases.hottest(c, cases, 1 << 20, outside))).isEmpty();
    }
}
