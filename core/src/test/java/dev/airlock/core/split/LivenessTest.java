package dev.airlock.core.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Liveness} against a plain solver: random structured bodies (nested blocks, loops, ifs with
 * and without else, br, br_if, br_table, return, reads and writes of up to 70 locals, so that sets
 * span two words), whose live sets are also found by iterating over an explicit control-flow graph
 * until nothing changes. Loop nests are where the analysis reuses a loop's set from one round of an
 * enclosing loop to the next, so the generator makes them deep.
 */
class LivenessTest {
    private static final int LOCALS = 70;

    /** One instruction of a generated body: what it is and where it starts. */
    private record Insn(int kind, int pos, int local, int[] labels) {}

    private static final int PLAIN = 0;
    private static final int GET = 1;
    private static final int SET = 2;
    private static final int BLOCK = 3;
    private static final int LOOP = 4;
    private static final int IF = 5;
    private static final int ELSE = 6;
    private static final int END = 7;
    private static final int BR = 8;
    private static final int BR_IF = 9;
    private static final int BR_TABLE = 10;
    private static final int RETURN = 11;

    private final List<Insn> insns = new ArrayList<>();
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private Random random;

    private void emit(int kind, int local, int[] labels, int... bytes) {
        insns.add(new Insn(kind, code.size(), local, labels));
        for (int b : bytes) {
            code.write(b);
        }
    }

    private void leb(int v) {
        while (v >= 0x80) {
            code.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        code.write(v);
    }

    /** Appends a random sequence of instructions inside {@code depth} enclosing constructs. */
    private void sequence(int depth, int budget) {
        int n = 1 + random.nextInt(6);
        for (int k = 0; k < n && insns.size() < budget; k++) {
            int r = random.nextInt(100);
            int x = random.nextInt(LOCALS);
            if (r < 25) {
                emit(GET, x, null, 0x20);
                leb(x);
            } else if (r < 42) {
                emit(SET, x, null, 0x21);
                leb(x);
            } else if (r < 47) {
                emit(PLAIN, -1, null, 0x1A); // drop
            } else if (r < 62 && depth < 12) {
                emit(LOOP, -1, null, 0x03, 0x40);
                sequence(depth + 1, budget);
                emit(END, -1, null, 0x0B);
            } else if (r < 72 && depth < 12) {
                emit(BLOCK, -1, null, 0x02, 0x40);
                sequence(depth + 1, budget);
                emit(END, -1, null, 0x0B);
            } else if (r < 80 && depth < 12) {
                emit(IF, -1, null, 0x04, 0x40);
                sequence(depth + 1, budget);
                if (random.nextBoolean()) {
                    emit(ELSE, -1, null, 0x05);
                    sequence(depth + 1, budget);
                }
                emit(END, -1, null, 0x0B);
            } else if (r < 86) {
                int l = random.nextInt(depth + 1);
                emit(BR_IF, -1, new int[] {l}, 0x0D);
                leb(l);
            } else if (r < 90) {
                int[] ls = new int[1 + random.nextInt(3)];
                for (int i = 0; i < ls.length; i++) {
                    ls[i] = random.nextInt(depth + 1);
                }
                emit(BR_TABLE, -1, ls, 0x0E);
                leb(ls.length - 1);
                for (int l : ls) {
                    leb(l);
                }
            } else if (r < 95) {
                int l = random.nextInt(depth + 1);
                emit(BR, -1, new int[] {l}, 0x0C);
                leb(l);
            } else if (r < 97) {
                emit(RETURN, -1, null, 0x0F);
            } else {
                emit(PLAIN, -1, null, 0x41, 0x07); // i32.const 7
            }
        }
    }

    /** Live sets before each instruction, by iterating over the control-flow graph. */
    private List<BitSet> solve() {
        int n = insns.size();
        int[] match = new int[n];
        int[] elseOf = new int[n];
        java.util.Arrays.fill(elseOf, -1);
        List<List<Integer>> succ = new ArrayList<>();
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
            int k = insns.get(i).kind();
            if (k == BLOCK || k == LOOP || k == IF) {
                open.add(i);
            } else if (k == ELSE) {
                elseOf[open.get(open.size() - 1)] = i;
            } else if (k == END && !open.isEmpty()) {
                int s = open.remove(open.size() - 1);
                match[s] = i;
                match[i] = s;
            }
        }
        // the enclosing constructs of each instruction, innermost last
        List<Integer> stack = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Insn in = insns.get(i);
            switch (in.kind()) {
                case IF -> {
                    succ.get(i).add(i + 1);
                    succ.get(i).add(elseOf[i] >= 0 ? elseOf[i] + 1 : match[i]);
                    stack.add(i);
                }
                case BLOCK, LOOP -> {
                    succ.get(i).add(i + 1);
                    stack.add(i);
                }
                case ELSE -> succ.get(i).add(match[stack.get(stack.size() - 1)]);
                case END -> {
                    if (i < n - 1) {
                        succ.get(i).add(i + 1);
                        stack.remove(stack.size() - 1);
                    }
                }
                case BR -> succ.get(i).add(target(stack, in.labels()[0], match, n));
                case BR_IF -> {
                    succ.get(i).add(i + 1);
                    succ.get(i).add(target(stack, in.labels()[0], match, n));
                }
                case BR_TABLE -> {
                    for (int l : in.labels()) {
                        succ.get(i).add(target(stack, l, match, n));
                    }
                }
                case RETURN -> {}
                default -> succ.get(i).add(i + 1);
            }
        }
        List<BitSet> live = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            live.add(new BitSet());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet s = new BitSet();
                for (int j : succ.get(i)) {
                    s.or(live.get(j));
                }
                Insn in = insns.get(i);
                if (in.kind() == SET) {
                    s.clear(in.local());
                } else if (in.kind() == GET) {
                    s.set(in.local());
                }
                if (!s.equals(live.get(i))) {
                    live.set(i, s);
                    changed = true;
                }
            }
        }
        return live;
    }

    /** Where a branch to label {@code depth} goes: a loop's start, a block's or if's end. */
    private int target(List<Integer> stack, int depth, int[] match, int n) {
        int k = stack.size() - 1 - depth;
        if (k < 0) {
            return n - 1; // the function's own end: nothing is live there
        }
        int s = stack.get(k);
        return insns.get(s).kind() == LOOP ? s : match[s];
    }

    @Test
    void agreesWithAPlainSolverOnRandomBodies() {
        int checked = 0;
        int withLoopNests = 0;
        for (long seed = 1; seed <= 300; seed++) {
            insns.clear();
            code.reset();
            random = new Random(seed);
            sequence(0, 400);
            emit(END, -1, null, 0x0B);
            byte[] body = code.toByteArray();

            Liveness lv = Liveness.of(body, LOCALS);
            assertThat(lv).as("seed %d", seed).isNotNull();
            List<BitSet> expected = solve();
            int depth = 0;
            int deepest = 0;
            for (int i = 0; i < insns.size(); i++) {
                Insn in = insns.get(i);
                depth += in.kind() == LOOP ? 1 : 0;
                deepest = Math.max(deepest, depth);
                if (in.kind() == END && depth > 0 && isLoopEnd(i)) {
                    depth--;
                }
                for (int x = 0; x < LOCALS; x++) {
                    assertThat(lv.liveAt(in.pos(), x))
                            .as("seed %d, local %d before instruction %d", seed, x, i)
                            .isEqualTo(expected.get(i).get(x));
                }
                checked++;
            }
            if (deepest >= 3) {
                withLoopNests++;
            }
        }
        // the generator did make what the analysis is for
        assertThat(checked).isGreaterThan(10_000);
        assertThat(withLoopNests).isGreaterThan(50);
    }

    private boolean isLoopEnd(int end) {
        int open = 0;
        for (int i = end - 1; i >= 0; i--) {
            int k = insns.get(i).kind();
            if (k == END) {
                open++;
            } else if (k == BLOCK || k == LOOP || k == IF) {
                if (open == 0) {
                    return k == LOOP;
                }
                open--;
            }
        }
        return false;
    }
}
