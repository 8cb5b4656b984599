package dev.airlock.core.fuel;

/**
 * A module rewritten to count its own work.
 *
 * @param bytes the metered module
 * @param fuelGlobal index of the fuel global (a mutable i64) in the module's global index space
 * @param definedIndex its position among the globals the module defines (imported ones excluded):
 *     the engine creates it with the budget as its value
 * @param functions functions metered
 * @param charges fuel charges inserted, over all functions
 */
public record Metered(
        byte[] bytes, int fuelGlobal, int definedIndex, int functions, long charges) {}
