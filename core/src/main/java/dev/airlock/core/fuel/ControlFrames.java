package dev.airlock.core.fuel;

import java.util.Arrays;

/**
 * The control frames open at one point of a body, as pass one of {@link FunctionMeter} walks it:
 * for each its kind, whether code ran into it (its start was reachable), whether a branch targets
 * it and, for an {@code if}, whether its {@code else} was seen. Frame 0 is the function's own.
 */
final class ControlFrames {
    /** The function's body. */
    static final int FUNC = 0;

    /** {@code block}: branches to it go to its end. */
    static final int BLOCK = 1;

    /** {@code loop}: branches to it go to its start. */
    static final int LOOP = 2;

    /** {@code if}, with or without {@code else}. */
    static final int IF = 3;

    private int[] kind = new int[64];
    private boolean[] entered = new boolean[64];
    private boolean[] targeted = new boolean[64];
    private boolean[] hasElse = new boolean[64];
    private int depth;

    /** No frame open. */
    void clear() {
        depth = 0;
    }

    /** The number of open frames. */
    int depth() {
        return depth;
    }

    /** Opens a frame of {@code kind}; {@code entered}: whether code reaches its start. */
    void push(int kind, boolean entered) {
        if (depth == this.kind.length) {
            int n = depth * 2;
            this.kind = Arrays.copyOf(this.kind, n);
            this.entered = Arrays.copyOf(this.entered, n);
            targeted = Arrays.copyOf(targeted, n);
            hasElse = Arrays.copyOf(hasElse, n);
        }
        this.kind[depth] = kind;
        this.entered[depth] = entered;
        targeted[depth] = false;
        hasElse[depth] = false;
        depth++;
    }

    /** Closes the innermost frame; returns its index, which its accessors still answer for. */
    int pop() {
        return --depth;
    }

    int kind(int frame) {
        return kind[frame];
    }

    boolean entered(int frame) {
        return entered[frame];
    }

    boolean targeted(int frame) {
        return targeted[frame];
    }

    /** A branch to {@code label} (0: the innermost frame); the caller checked it is open. */
    void target(int label) {
        targeted[depth - 1 - label] = true;
    }

    /**
     * Records an {@code else} for the innermost frame; false when that frame is not an {@code if}
     * or already had its {@code else} (a malformed body).
     */
    boolean enterElse() {
        int top = depth - 1;
        if (top < 0 || kind[top] != IF || hasElse[top]) {
            return false;
        }
        hasElse[top] = true;
        return true;
    }
}
