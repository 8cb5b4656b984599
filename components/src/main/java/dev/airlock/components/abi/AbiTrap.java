package dev.airlock.components.abi;

/**
 * A guest broke a rule of the canonical ABI (an invalid string, char or case, a pointer out of
 * bounds or misaligned): the call traps. The message is one line meant for the caller.
 */
public final class AbiTrap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbiTrap(String message) {
        super(message, null, false, false);
    }
}
