package dev.airlock.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of audit records, encoded by hand straight to UTF-8 bytes (one is written per host
 * call). This is format {@value #FORMAT}. Field order is fixed: {@code seq}, {@code type}, {@code
 * time}, {@code run}, {@code session} (only when the run belongs to a session), {@code module}
 * (lifecycle records only), {@code runSeq}, then the type's own fields; {@link HashChain} adds
 * {@code hash} (and {@code prev} to checkpoints). Types: {@code call} (one host call: {@code call},
 * {@code args}, {@code decision}, {@code rule} (absent for a plain allow), {@code result}, {@code
 * nanos}), {@code lifecycle} ({@code step}, {@code details}) and {@code checkpoint} ({@code
 * format}, {@code keyId}, {@code signed}, {@code sig}). Argument and detail values that look like
 * secrets are replaced by {@link Redactor#REDACTED}.
 *
 * <p>Format 2 against format 1 (which {@link AuditVerifier} still reads): call records no longer
 * repeat the module's SHA-256 (a run's lifecycle records name it, and every call names its run),
 * drop {@code "rule":null}, and calls and lifecycle records are chained lines without {@code prev}
 * (see {@link HashChain}); checkpoints say {@code "format":2}. A call record is about 150 bytes
 * shorter, and its hashing about a third cheaper.
 *
 * <p>Format 3 against format 2: the records of a store's writer chains name their writer ({@code
 * "writer"} right after {@code seq}; a checkpoint signs it), a recorded run's outcome is a {@code
 * run} record ({@code status}, {@code kind}, {@code exitCode}, {@code message}), and the checkpoint
 * that seals the tail of a writer that stopped uncleanly says {@code "stop":"unclean"}. Trail files
 * (no writer) keep writing format 2 checkpoints.
 */
public final class AuditRecords {
    /** Jackson's mapper (for reading records), made at its first use: it costs tens of ms cold. */
    static ObjectMapper json() {
        return Json.MAPPER;
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** The record format this version writes. */
    public static final int FORMAT = 3;

    private AuditRecords() {}

    /** An event as an unsealed record (no closing brace) at chain position {@code seq}. */
    public static String open(Event e, long seq) {
        RecordBuffer b = new RecordBuffer(320);
        encode(b, e, seq);
        return b.text(0, b.length);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] SEQ = ascii("{\"seq\":");
    private static final byte[] CALL_TIME = ascii(",\"type\":\"call\",\"time\":");
    private static final byte[] LIFECYCLE_TIME = ascii(",\"type\":\"lifecycle\",\"time\":");
    private static final byte[] RUN = ascii(",\"run\":");
    private static final byte[] SESSION = ascii(",\"session\":");
    private static final byte[] MODULE = ascii(",\"module\":");
    private static final byte[] RUN_SEQ = ascii(",\"runSeq\":");
    private static final byte[] CALL = ascii(",\"call\":");
    private static final byte[] ARGS = ascii(",\"args\":");
    private static final byte[] ALLOW = ascii(",\"decision\":\"allow\"");
    private static final byte[] DENY = ascii(",\"decision\":\"deny\"");
    private static final byte[] RULE = ascii(",\"rule\":");
    private static final byte[] RESULT = ascii(",\"result\":");
    private static final byte[] NANOS = ascii(",\"nanos\":");
    private static final byte[] STEP = ascii(",\"step\":\"");
    private static final byte[] DETAILS = ascii("\",\"details\":");

    /** Appends the unsealed record's UTF-8 bytes to {@code b}. */
    static void encode(RecordBuffer b, Event e, long seq) {
        encode(b, e, seq, null);
    }

    /**
     * As {@link #encode(RecordBuffer, Event, long)}, naming the writer when {@code writerField}
     * (see {@link HashChain}) is not {@code null}.
     */
    static void encode(RecordBuffer b, Event e, long seq, byte[] writerField) {
        b.put(SEQ).number(seq);
        if (writerField != null) {
            b.put(writerField);
        }
        if (e instanceof HostCallEvent) {
            HostCallEvent c = (HostCallEvent) e;
            b.put(CALL_TIME);
            common(b, e, false);
            b.put(CALL).recurring(c.call());
            b.put(ARGS);
            object(b, c.args());
            b.put(c.decision() == Decision.ALLOW ? ALLOW : DENY);
            if (c.rule() != null) {
                b.put(RULE).recurring(c.rule());
            }
            b.put(RESULT);
            if (c.result() == null) {
                b.ascii("null");
            } else {
                b.number(c.result());
            }
            b.put(NANOS).number(c.durationNanos());
        } else {
            LifecycleEvent l = (LifecycleEvent) e;
            b.put(LIFECYCLE_TIME);
            common(b, e, true);
            b.put(STEP).ascii(l.type().name().toLowerCase(Locale.ROOT)).put(DETAILS);
            object(b, l.details());
        }
    }

    /** A checkpoint record at {@code seq}, signing the chain up to the line before it. */
    public static String checkpoint(long seq, long time, String signedHash, AuditKeys keys) {
        return checkpoint(null, seq, time, signedHash, keys, false);
    }

    /**
     * A checkpoint record of {@code writer}'s chain (or of no writer: {@code null}) at {@code seq},
     * signing the chain up to the line before it; {@code unclean} marks the checkpoint that seals
     * the tail of a writer that stopped without sealing it ({@code "stop":"unclean"}, signed too).
     */
    public static String checkpoint(
            String writer,
            long seq,
            long time,
            String signedHash,
            AuditKeys keys,
            boolean unclean) {
        StringBuilder b = new StringBuilder(220);
        b.append("{\"seq\":").append(seq);
        if (writer != null) {
            b.append(",\"writer\":\"").append(writer).append('"');
        }
        b.append(",\"type\":\"checkpoint\",\"time\":").append(time);
        b.append(",\"format\":").append(writer == null ? 2 : FORMAT);
        b.append(",\"keyId\":\"").append(keys.keyId()).append("\",\"signed\":").append(seq - 1);
        if (unclean) {
            b.append(",\"stop\":\"unclean\"");
        }
        String message = HashChain.checkpointMessage(writer, seq - 1, signedHash, unclean);
        b.append(",\"sig\":\"").append(keys.sign(message)).append('"');
        return b.toString();
    }

    private static final byte[] RUN_TIME = ascii(",\"type\":\"run\",\"time\":");
    private static final byte[] STATUS = ascii(",\"status\":");
    private static final byte[] KIND = ascii(",\"kind\":");
    private static final byte[] EXIT_CODE = ascii(",\"exitCode\":");
    private static final byte[] MESSAGE = ascii(",\"message\":");

    /**
     * Appends the unsealed {@code run} record of a recorded outcome: {@code status}, {@code kind},
     * {@code exitCode} and {@code message} exactly as the store keeps them in its runs table.
     */
    static void encode(RecordBuffer b, RunOutcome r, long seq, byte[] writerField) {
        b.put(SEQ).number(seq);
        if (writerField != null) {
            b.put(writerField);
        }
        b.put(RUN_TIME).time(r.timeMillis()).run(RUN, r.runId(), SESSION, r.sessionId());
        b.put(STATUS).string(r.status());
        b.put(KIND).string(r.kind());
        b.put(EXIT_CODE);
        if (r.exitCode() == null) {
            b.ascii("null");
        } else {
            b.number(r.exitCode());
        }
        b.put(MESSAGE).string(r.message());
    }

    private static void common(RecordBuffer b, Event e, boolean module) {
        b.time(e.timeMillis()).run(RUN, e.runId(), SESSION, e.sessionId());
        if (module) {
            b.put(MODULE).recurring(e.moduleSha256());
        }
        b.put(RUN_SEQ).number(e.seq());
    }

    private static void object(RecordBuffer b, Map<?, ?> values) {
        b.put('{');
        boolean first = true;
        for (Map.Entry<?, ?> v : values.entrySet()) {
            if (!first) {
                b.put(',');
            }
            first = false;
            String key = String.valueOf(v.getKey());
            b.recurring(key).put(':');
            value(b, key, v.getValue());
        }
        b.put('}');
    }

    /** A list as a JSON array; its elements are redacted under the list's key. */
    private static void array(RecordBuffer b, String key, java.util.List<?> values) {
        b.put('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.put(',');
            }
            value(b, key, values.get(i));
        }
        b.put(']');
    }

    private static void value(RecordBuffer b, String key, Object v) {
        if (v == null) {
            b.ascii("null");
        } else if (v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte) {
            b.number(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            b.ascii((Boolean) v ? "true" : "false");
        } else if (v instanceof Map) {
            object(b, (Map<?, ?>) v);
        } else if (v instanceof java.util.List) {
            array(b, key, (java.util.List<?>) v);
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                b.ascii(Double.toString(d));
            } else {
                b.string(String.valueOf(d));
            }
        } else {
            b.string((String) Redactor.redact(key, String.valueOf(v)));
        }
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029;
    }

    /**
     * {@code s} as a JSON string with its quotes: {@code "} and {@code \\} escaped with a
     * backslash, control characters, U+2028 and U+2029 as {@code \\uXXXX}.
     */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (plain(c)) {
                b.append(c);
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('"').toString();
    }
}
