package dev.airlock.core.engine.wasi;

import com.dylibso.chicory.log.Logger;

/**
 * Chicory's WASI logs nothing through this: Airlock reports through events. (Without an explicit
 * logger, Chicory probes for Android with a failing class lookup on every instance.)
 */
public final class SilentLogger implements Logger {
    public static final SilentLogger INSTANCE = new SilentLogger();

    @Override
    public void log(Level level, String msg, Throwable throwable) {}

    @Override
    public boolean isLoggable(Level level) {
        return false;
    }
}
