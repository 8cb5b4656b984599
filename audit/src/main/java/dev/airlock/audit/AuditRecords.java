package dev.airlock.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of audit records, written by hand for speed (one is written per host call). Field
 * order is fixed: {@code seq}, {@code type}, {@code time}, {@code run}, {@code module}, {@code
 * runSeq}, then the type's own fields; {@link HashChain} adds {@code prev} and {@code hash}. Types:
 * {@code call} (one host call: {@code call}, {@code args}, {@code decision}, {@code rule}, {@code
 * result}, {@code nanos}), {@code lifecycle} ({@code step}, {@code details}) and {@code checkpoint}
 * ({@code keyId}, {@code signed}, {@code sig}). Argument and detail values that look like secrets
 * are replaced by {@link Redactor#REDACTED}.
 */
public final class AuditRecords {
    static final ObjectMapper JSON = new ObjectMapper();

    private AuditRecords() {}

    /** An event as an unsealed record (no closing brace) at chain position {@code seq}. */
    public static String open(Event e, long seq) {
        return open(new StringBuilder(320), e, seq).toString();
    }

    /** Appends the unsealed record to {@code b} and returns it. */
    public static StringBuilder open(StringBuilder b, Event e, long seq) {
        b.append("{\"seq\":").append(seq);
        if (e instanceof HostCallEvent) {
            HostCallEvent c = (HostCallEvent) e;
            b.append(",\"type\":\"call\"");
            common(b, e);
            b.append(",\"call\":");
            string(b, c.call());
            b.append(",\"args\":");
            object(b, c.args());
            b.append(",\"decision\":\"")
                    .append(c.decision() == Decision.ALLOW ? "allow" : "deny")
                    .append("\",\"rule\":");
            string(b, c.rule());
            b.append(",\"result\":")
                    .append(c.result())
                    .append(",\"nanos\":")
                    .append(c.durationNanos());
        } else {
            LifecycleEvent l = (LifecycleEvent) e;
            b.append(",\"type\":\"lifecycle\"");
            common(b, e);
            b.append(",\"step\":\"").append(l.type().name().toLowerCase(Locale.ROOT)).append('"');
            b.append(",\"details\":");
            object(b, l.details());
        }
        return b;
    }

    /** A checkpoint record at {@code seq}, signing the chain up to the line before it. */
    public static String checkpoint(long seq, long time, String signedHash, AuditKeys keys) {
        StringBuilder b = new StringBuilder(200);
        b.append("{\"seq\":").append(seq).append(",\"type\":\"checkpoint\",\"time\":").append(time);
        b.append(",\"keyId\":\"").append(keys.keyId()).append("\",\"signed\":").append(seq - 1);
        b.append(",\"sig\":\"")
                .append(keys.sign(HashChain.checkpointMessage(seq - 1, signedHash)))
                .append('"');
        return b.toString();
    }

    private static void common(StringBuilder b, Event e) {
        b.append(",\"time\":").append(e.timeMillis()).append(",\"run\":");
        string(b, e.runId());
        b.append(",\"module\":");
        string(b, e.moduleSha256());
        b.append(",\"runSeq\":").append(e.seq());
    }

    private static void object(StringBuilder b, Map<String, Object> values) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> v : values.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, v.getKey());
            b.append(':');
            value(b, v.getKey(), v.getValue());
        }
        b.append('}');
    }

    private static void value(StringBuilder b, String key, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte) {
            b.append(((Number) v).longValue());
        } else if (v instanceof Boolean) {
            b.append((boolean) (Boolean) v);
        } else if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                b.append(d);
            } else {
                string(b, String.valueOf(d));
            }
        } else {
            string(b, (String) Redactor.redact(key, String.valueOf(v)));
        }
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029;
    }

    private static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int n = s.length();
        int clean = 0;
        while (clean < n && plain(s.charAt(clean))) {
            clean++;
        }
        if (clean == n) {
            b.append(s);
        } else {
            b.append(s, 0, clean);
            for (int i = clean; i < n; i++) {
                char c = s.charAt(i);
                if (plain(c)) {
                    b.append(c);
                } else if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        b.append('"');
    }
}
