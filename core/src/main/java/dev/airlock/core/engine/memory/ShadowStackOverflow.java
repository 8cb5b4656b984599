package dev.airlock.core.engine.memory;

import com.dylibso.chicory.runtime.WasmRuntimeException;

/** The guest touched a guard page below its moved shadow stack: its C stack overflowed. */
public final class ShadowStackOverflow extends WasmRuntimeException {
    private static final long serialVersionUID = 1L;

    public ShadowStackOverflow(String message, int address) {
        super(message + " (guard page touched at " + Integer.toUnsignedString(address) + ")");
    }
}
