package dev.airlock.core.net;

import dev.airlock.core.GuestMemoryException;
import dev.airlock.core.HostCall;
import dev.airlock.core.HostImport;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.Policy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Network requests for plain WebAssembly modules: host module {@code airlock_http}, two functions.
 *
 * <pre>
 * (import "airlock_http" "request" (func (param i32 i32) (result i32)))  ;; req_ptr, req_len
 * (import "airlock_http" "answer"  (func (param i32 i32) (result i32)))  ;; buf_ptr, buf_len
 * </pre>
 *
 * {@code request} takes the request in the wire format of {@link Wire} (UTF-8: {@code METHOD URL},
 * header lines {@code Name: value}, an empty line, the body in base64; at most {@link
 * EgressGate#maxWireBytes}), makes it through {@link EgressGate} (rules, limits, DNS checks,
 * secrets, audit) and returns the byte length of its answer, a JSON envelope: {@code
 * {"ok":true,"result":{"status":200,"reason":"OK", "headers":[["Name","value"]],"body":"BASE64"}}}
 * or {@code {"ok":false,"error":"...","rule": "net.no-rule"}}. {@code answer} copies that answer
 * (up to {@code buf_len} bytes) to {@code buf_ptr} and returns how many bytes it copied: 0 when no
 * answer is waiting or the buffer lies outside memory. The answer waits until the next {@code
 * request}. A refused request is a denial in the audit trail and the outcome; it still returns the
 * length of its error answer.
 */
public final class HttpImport {
    private HttpImport() {}

    /** The two functions of {@code airlock_http} for requests under {@code egress}. */
    public static List<HostImport> imports(Egress egress) {
        Object key = new Object();
        return List.of(
                HostImport.withMemory(
                        EgressGate.MODULE,
                        "request",
                        List.of(ValueType.I32, ValueType.I32),
                        List.of(ValueType.I32),
                        new Request(egress, key)),
                HostImport.withMemory(
                        EgressGate.MODULE,
                        "answer",
                        List.of(ValueType.I32, ValueType.I32),
                        List.of(ValueType.I32),
                        (args, call) -> new long[] {answer(state(call, egress, key), args, call)}));
    }

    /** Sets {@code egress} on the policy and grants its two functions. */
    public static Policy.Builder grant(Policy.Builder policy, Egress egress) {
        policy.egress(egress);
        imports(egress).forEach(policy::grant);
        return policy;
    }

    /** One run's requests: its gate (counters) and the waiting answer. */
    private static final class State {
        final EgressGate gate;
        byte[] answer = new byte[0];
        EgressGate.Checked admitted;

        State(Egress egress) {
            this.gate = new EgressGate(egress);
        }
    }

    private static State state(HostCall call, Egress egress, Object key) {
        return call.runLocal(key, () -> new State(egress));
    }

    private static long answer(State st, long[] args, HostCall call) {
        int n = (int) Math.min(st.answer.length, Math.max(0, (int) args[1]));
        try {
            call.memory().writeBytes(args[0] & 0xFFFFFFFFL, st.answer, 0, n);
        } catch (GuestMemoryException e) {
            return 0;
        }
        call.summary("bytes", n);
        return n;
    }

    private static final class Request implements HostImport.GuestHandler {
        private final Egress egress;
        private final Object key;

        Request(Egress egress, Object key) {
            this.egress = egress;
            this.key = key;
        }

        @Override
        public HostImport.Refusal check(long[] args, HostCall call) {
            State st = state(call, egress, key);
            st.admitted = null;
            long len = args[1] & 0xFFFFFFFFL;
            String wire = null;
            try {
                if (len <= EgressGate.maxWireBytes(egress)) {
                    wire =
                            new String(
                                    call.memory().readBytes(args[0] & 0xFFFFFFFFL, len),
                                    StandardCharsets.UTF_8);
                }
            } catch (GuestMemoryException e) {
                wire = null;
            }
            if (wire == null) {
                return refuse(
                        st,
                        EgressGate.Checked.refused(
                                "net.bad-request",
                                "request outside guest memory or longer than "
                                        + EgressGate.maxWireBytes(egress)
                                        + " bytes (the request byte limit in base64, and"
                                        + " headers)"));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            EgressGate.Checked c = st.gate.check(st, wire, summary);
            summary.forEach(call::summary);
            if (c.refusedBy() != null) {
                return refuse(st, c);
            }
            st.admitted = c;
            return null;
        }

        private static HostImport.Refusal refuse(State st, EgressGate.Checked c) {
            st.answer = c.answer().getBytes(StandardCharsets.UTF_8);
            return new HostImport.Refusal(c.refusedBy(), st.answer.length, c.detail());
        }

        @Override
        public long[] call(long[] args, HostCall call) {
            State st = state(call, egress, key);
            EgressGate.Checked c = st.admitted;
            st.admitted = null;
            Map<String, Object> summary = new LinkedHashMap<>();
            try {
                st.answer = st.gate.send(c, summary).getBytes(StandardCharsets.UTF_8);
            } finally {
                st.gate.done();
            }
            summary.forEach(call::summary);
            return new long[] {st.answer.length};
        }
    }
}
