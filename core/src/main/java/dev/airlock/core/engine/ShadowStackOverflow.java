package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.WasmRuntimeException;

/** The guest touched a guard page below its moved shadow stack: its C stack overflowed. */
final class ShadowStackOverflow extends WasmRuntimeException {
    private static final long serialVersionUID = 1L;

    ShadowStackOverflow(String message, int address) {
        super(message + " (guard page touched at " + Integer.toUnsignedString(address) + ")");
    }
}
