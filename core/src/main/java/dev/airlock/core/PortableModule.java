package dev.airlock.core;

/**
 * A module as another engine (a browser's, Node's) runs it to account for fuel as {@link
 * Airlock#run} does ({@link Airlock#portable}). With a fuel budget it is the metered module Airlock
 * runs, its fuel global starting at the budget and exported as {@link #fuelExport()}; the host then
 * charges {@link #hostCallFuel()} before each host call (allowed or denied) and {@link
 * #hostFuelPerKiB()} per KiB the call copied (after it, rounded down), stopping the run when the
 * global would go below zero. The fuel used is the budget minus the global's final value (the whole
 * budget when it is negative).
 *
 * @param bytes the module to instantiate
 * @param fuelExport the export name of the fuel global, or {@code null} without a fuel budget
 * @param fuelBudget the budget, or -1 without one
 * @param hostCallFuel fuel per host call (0 without a budget)
 * @param hostFuelPerKiB fuel per KiB copied by a host call (0 without a budget)
 */
public record PortableModule(
        byte[] bytes, String fuelExport, long fuelBudget, long hostCallFuel, long hostFuelPerKiB) {

    /** Whether the module counts fuel. */
    public boolean metered() {
        return fuelExport != null;
    }
}
