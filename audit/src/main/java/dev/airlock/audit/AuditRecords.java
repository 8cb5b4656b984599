package dev.airlock.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.event.LifecycleEvent;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of audit records. Field order is fixed: {@code seq}, {@code type}, {@code time},
 * {@code run}, {@code module}, {@code runSeq}, then the type's own fields; {@link HashChain} adds
 * {@code prev} and {@code hash}. Types: {@code call} (one host call: {@code call}, {@code args},
 * {@code decision}, {@code rule}, {@code result}, {@code nanos}), {@code lifecycle} ({@code step},
 * {@code details}) and {@code checkpoint} ({@code keyId}, {@code signed}, {@code sig}).
 */
public final class AuditRecords {
    static final ObjectMapper JSON = new ObjectMapper();

    private AuditRecords() {}

    /** An event as an unsealed record at chain position {@code seq}. */
    public static String open(Event e, long seq) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", seq);
        if (e instanceof HostCallEvent) {
            HostCallEvent c = (HostCallEvent) e;
            n.put("type", "call");
            common(n, e);
            n.put("call", c.call());
            ObjectNode args = n.putObject("args");
            put(args, c.args());
            n.put("decision", c.decision().name().toLowerCase(Locale.ROOT));
            if (c.rule() == null) {
                n.putNull("rule");
            } else {
                n.put("rule", c.rule());
            }
            if (c.result() == null) {
                n.putNull("result");
            } else {
                n.put("result", c.result());
            }
            n.put("nanos", c.durationNanos());
        } else {
            LifecycleEvent l = (LifecycleEvent) e;
            n.put("type", "lifecycle");
            common(n, e);
            n.put("step", l.type().name().toLowerCase(Locale.ROOT));
            put(n.putObject("details"), l.details());
        }
        return unclosed(n);
    }

    /** A checkpoint record at {@code seq}, signing the chain up to the line before it. */
    public static String checkpoint(long seq, long time, String signedHash, AuditKeys keys) {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", seq);
        n.put("type", "checkpoint");
        n.put("time", time);
        n.put("keyId", keys.keyId());
        n.put("signed", seq - 1);
        n.put("sig", keys.sign(HashChain.checkpointMessage(seq - 1, signedHash)));
        return unclosed(n);
    }

    private static void common(ObjectNode n, Event e) {
        n.put("time", e.timeMillis());
        n.put("run", e.runId());
        n.put("module", e.moduleSha256());
        n.put("runSeq", e.seq());
    }

    private static void put(ObjectNode target, Map<String, Object> values) {
        for (Map.Entry<String, Object> v : values.entrySet()) {
            Object value = Redactor.redact(v.getKey(), v.getValue());
            target.set(v.getKey(), JSON.valueToTree(value));
        }
    }

    private static String unclosed(ObjectNode n) {
        try {
            String s = JSON.writeValueAsString(n);
            return s.substring(0, s.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
