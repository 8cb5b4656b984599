package dev.airlock.core.mediation;

/**
 * The remaining fuel of a metered run, the very counter the guest's code decrements. Read and
 * written only on the guest's thread while it runs.
 */
public interface FuelCounter {
    long remaining();

    void remaining(long fuel);
}
