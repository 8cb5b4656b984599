package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.GlobalFactory;
import com.dylibso.chicory.runtime.GlobalInstance;
import dev.airlock.core.mediation.FuelCounter;

/** A metered module's fuel global, as the mediator and the instance's builder see it. */
final class FuelGlobals {
    private FuelGlobals() {}

    /** The fuel counter as the mediator sees it: the metered module's own global. */
    static FuelCounter counter(GlobalInstance g) {
        return new FuelCounter() {
            @Override
            public long remaining() {
                return g.getValue();
            }

            @Override
            public void remaining(long fuel) {
                g.setValue(fuel);
            }
        };
    }

    /**
     * Creates the instance's own globals, the fuel counter of a metered module being {@code fuel}
     * (already holding the budget, so that even a start function is metered).
     */
    static GlobalFactory factory(int definedIndex, GlobalInstance fuel) {
        int[] next = {0};
        return (value, high, type, mutability) ->
                next[0]++ == definedIndex
                        ? fuel
                        : new GlobalInstance(value, high, type, mutability);
    }
}
