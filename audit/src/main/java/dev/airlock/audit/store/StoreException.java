package dev.airlock.audit.store;

import java.io.IOException;

/**
 * A failure of the {@link Store}: it cannot be opened (unreadable, corrupted or foreign file,
 * unreachable server, schema newer than this version), a migration failed, or a read or write
 * failed. The message names the store (its file, or its JDBC URL without the password) and says
 * what went wrong in one line; the cause, if any, holds the driver's exception.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
