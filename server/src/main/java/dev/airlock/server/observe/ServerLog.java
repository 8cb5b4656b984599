package dev.airlock.server.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.airlock.server.http.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The server's log: one line per HTTP request and per warning or error of the server itself, as
 * text ({@code time LEVEL event key=value ...}) or as JSON lines ({@code {"time":...,"level":...,
 * "event":...}}). It never writes request bodies, headers, API keys or exceptions' classes and
 * stacks: callers hand it the fields to write, and values are cut to one line of bounded length.
 *
 * <pre>{@code
 * ServerLog log = ServerLog.builder().format("json").output(System.err).build();
 * }</pre>
 */
public final class ServerLog {
    /** How lines are written. */
    public enum Format {
        /** {@code 2026-01-01T00:00:00Z INFO request method=GET path=/v1/sessions status=200} */
        TEXT,
        /** one JSON object per line */
        JSON
    }

    /** The longest value written, in characters; longer ones are cut and end with "...". */
    static final int MAX_VALUE = 512;

    private static final ServerLog DISCARD = new ServerLog(Format.TEXT, null, Clock.systemUTC());

    private final Format format;
    private final PrintStream out;
    private final Clock clock;

    private ServerLog(Format format, PrintStream out, Clock clock) {
        this.format = format;
        this.out = out;
        this.clock = clock;
    }

    /** A log that writes nothing (embedded servers and tests, unless they ask for one). */
    public static ServerLog discard() {
        return DISCARD;
    }

    /** A new builder: text to standard error with the UTC system clock unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The format of its lines. */
    public Format format() {
        return format;
    }

    /** Whether it writes anything. */
    public boolean enabled() {
        return out != null;
    }

    /** Writes a request line: {@code event} "request" with these fields (null values left out). */
    public void request(Map<String, Object> fields) {
        write("INFO", "request", fields);
    }

    /** Writes a warning of the server, with an optional cause (only its message is written). */
    public void warn(String message, Throwable cause, Map<String, Object> fields) {
        note("WARN", message, cause, fields);
    }

    /** Writes an error of the server, with an optional cause (only its message is written). */
    public void error(String message, Throwable cause, Map<String, Object> fields) {
        note("ERROR", message, cause, fields);
    }

    private void note(String level, String message, Throwable cause, Map<String, Object> extra) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("message", message);
        if (cause != null && cause.getMessage() != null) {
            f.put("error", cause.getMessage());
        }
        if (extra != null) {
            f.putAll(extra);
        }
        write(level, "server", f);
    }

    /** Writes one line (synchronised: lines of concurrent requests never interleave). */
    void write(String level, String event, Map<String, Object> fields) {
        if (out == null) {
            return;
        }
        String line =
                format == Format.JSON ? json(level, event, fields) : text(level, event, fields);
        synchronized (out) {
            out.print(line);
            out.print('\n');
            out.flush();
        }
    }

    private String text(String level, String event, Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder();
        sb.append(clock.instant()).append(' ').append(level).append(' ').append(event);
        fields.forEach(
                (k, v) -> {
                    if (v != null) {
                        sb.append(' ').append(k).append('=').append(quoted(clean(v)));
                    }
                });
        return sb.toString();
    }

    private String json(String level, String event, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", clock.instant().toString());
        m.put("level", level);
        m.put("event", event);
        fields.forEach(
                (k, v) -> {
                    if (v != null) {
                        m.put(k, v instanceof Number || v instanceof Boolean ? v : clean(v));
                    }
                });
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return "{\"level\":\"ERROR\",\"event\":\"server\",\"message\":\"log line not written\"}";
        }
    }

    /** One line, control characters replaced, at most {@link #MAX_VALUE} characters. */
    static String clean(Object value) {
        String s = String.valueOf(value);
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_VALUE + 3));
        for (int i = 0; i < s.length() && sb.length() < MAX_VALUE; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (s.length() > MAX_VALUE) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** A text value, in double quotes when it holds a space, a quote or an equals sign. */
    private static String quoted(String v) {
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=')) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Builds a {@link ServerLog}. */
    public static final class Builder {
        private Format format = Format.TEXT;
        private OutputStream output = System.err;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * {@code text} or {@code json}.
         *
         * @throws IllegalArgumentException for another name
         */
        public Builder format(String name) {
            Objects.requireNonNull(name, "format");
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "text" -> format(Format.TEXT);
                case "json" -> format(Format.JSON);
                default ->
                        throw new IllegalArgumentException(
                                "log format must be text or json: " + name);
            };
        }

        /** The format of the lines. */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Where lines go (standard error by default); the log never closes it. */
        public Builder output(OutputStream output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** The clock of the lines' times (UTC system clock by default). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The log. */
        public ServerLog build() {
            PrintStream ps =
                    output instanceof PrintStream p
                            ? p
                            : new PrintStream(output, false, StandardCharsets.UTF_8);
            return new ServerLog(format, ps, clock);
        }
    }
}
