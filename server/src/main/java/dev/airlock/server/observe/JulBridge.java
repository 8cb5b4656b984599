package dev.airlock.server.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Passes the server's own warnings and errors ({@code System.getLogger("airlock.server")}, which
 * the JDK backs with {@code java.util.logging}) to the {@link ServerLog}, in its format and with
 * the id of the request being handled on the thread, instead of the JDK's two-line console format
 * with stack traces. Of a cause only the message is written, with qualified class names taken out.
 */
final class JulBridge extends Handler {
    static final String LOGGER = "airlock.server";

    /** A qualified Java class name, as exception messages quote them. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?::\\s*)?");

    private final ServerLog log;
    private final Supplier<String> requestId;
    private final Logger logger;

    private JulBridge(ServerLog log, Supplier<String> requestId, Logger logger) {
        this.log = log;
        this.requestId = requestId;
        this.logger = logger;
    }

    /** Adds a bridge to the server's logger; the JDK's console handler no longer prints it. */
    static JulBridge install(ServerLog log, Supplier<String> requestId) {
        return install(log, requestId, LOGGER);
    }

    /**
     * Adds a bridge to the named logger (and so its children, such as the OpenTelemetry exporter's
     * under {@code io.opentelemetry}); the JDK's console handler no longer prints them.
     */
    static JulBridge install(ServerLog log, Supplier<String> requestId, String name) {
        Logger logger = Logger.getLogger(name);
        JulBridge b = new JulBridge(log, requestId, logger);
        logger.addHandler(b);
        logger.setUseParentHandlers(false);
        return b;
    }

    /** Removes the bridge (the console handler prints again when no other bridge is left). */
    void uninstall() {
        logger.removeHandler(this);
        boolean others = false;
        for (Handler h : logger.getHandlers()) {
            others |= h instanceof JulBridge;
        }
        if (!others) {
            logger.setUseParentHandlers(true);
        }
    }

    @Override
    public void publish(LogRecord r) {
        if (r == null || r.getLevel().intValue() < Level.INFO.intValue()) {
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("request_id", requestId.get());
        String message = scrub(r.getMessage());
        Throwable cause = r.getThrown();
        Throwable shown =
                cause == null || cause.getMessage() == null
                        ? null
                        : new Scrubbed(scrub(cause.getMessage()));
        if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
            log.error(message, shown, f);
        } else if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            log.warn(message, shown, f);
        } else {
            f.put("message", message);
            log.write("INFO", "server", f);
        }
    }

    /** The text with qualified class names taken out. */
    static String scrub(String s) {
        return s == null ? "" : CLASS_NAME.matcher(s).replaceAll("").strip();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** A cause reduced to its scrubbed message. */
    private static final class Scrubbed extends Exception {
        private static final long serialVersionUID = 1L;

        Scrubbed(String message) {
            super(message, null, false, false);
        }
    }
}
