package dev.airlock.core.engine.host;

import dev.airlock.core.Policy;
import dev.airlock.core.Tool;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import dev.airlock.core.net.EgressGate;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls the policy's host tools for guest code, through the mediation point: each call is one host
 * call named {@code airlock.tool/NAME}, allowed when the tool is granted and otherwise denied with
 * rule {@code tool.not-granted}. Answers are JSON envelopes, {@code {"ok":true,"result":...}} or
 * {@code {"ok":false,"error":"..."}}, so the guest can raise its own error type.
 */
public final class ToolBridge {
    public static final String MODULE = "airlock";
    static final Verdict NOT_GRANTED =
            Verdict.deny("tool.not-granted", Rules.ENOTCAPABLE, "tool not granted by the policy");

    private final Policy policy;
    private final Supplier<Mediator> mediator;
    private final EgressGate net;

    public ToolBridge(Policy policy, Supplier<Mediator> mediator) {
        this.policy = policy;
        this.mediator = mediator;
        this.net = new EgressGate(policy.egress());
    }

    /** The rules of the {@code airlock} host module: the policy's granted tools only. */
    public static Function<String, Verdict> rules(Policy policy) {
        return function -> {
            String name = function.startsWith("tool/") ? function.substring(5) : null;
            return name != null && policy.tools().containsKey(name) ? Verdict.ALLOW : NOT_GRANTED;
        };
    }

    /**
     * The longest request the guest may write: a tool's {@link
     * dev.airlock.core.Tool#MAX_REQUEST_BYTES}, or a network request as long as the policy's
     * request byte limit allows (see {@link EgressGate#maxWireBytes}).
     */
    public int maxRequestBytes() {
        return Math.max(
                dev.airlock.core.Tool.MAX_REQUEST_BYTES, EgressGate.maxWireBytes(policy.egress()));
    }

    /** Calls tool {@code name}; never throws for anything the guest or the tool does. */
    String invoke(String name, String argumentsJson) {
        int requestBytes =
                (name == null ? 0 : name.length())
                        + (argumentsJson == null ? 0 : argumentsJson.length());
        if (name == null || argumentsJson == null) {
            return error("malformed tool request");
        }
        if (EgressGate.DEVICE_NAME.equals(name)) {
            return net.handle(mediator.get(), argumentsJson);
        }
        if (requestBytes > dev.airlock.core.Tool.MAX_REQUEST_BYTES) {
            return error("tool request too large (" + requestBytes + " bytes; at most 1MiB)");
        }
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("tool", shown);
        summary.put("requestBytes", requestBytes);
        String[] answer = {null};
        long r =
                mediator.get()
                        .call(
                                MODULE,
                                "tool/" + shown,
                                summary,
                                () -> {
                                    answer[0] = run(policy.tools().get(name), argumentsJson);
                                    summary.put(
                                            "resultBytes",
                                            answer[0].getBytes(StandardCharsets.UTF_8).length);
                                    return 0;
                                });
        if (r != 0 || answer[0] == null) {
            return error("tool '" + shown + "' is not granted by the policy");
        }
        return answer[0];
    }

    private static String run(Tool tool, String argumentsJson) {
        String result;
        try {
            result = tool.call(argumentsJson);
        } catch (Exception e) {
            // the tool's own message; never the name of a Java class
            String m =
                    e.getMessage() == null || e.getMessage().isBlank()
                            ? "the tool failed"
                            : e.getMessage();
            return error(m.length() > 4096 ? m.substring(0, 4096) : m);
        }
        if (result == null) {
            result = "null";
        }
        if (result.length() > Tool.MAX_RESULT_BYTES) {
            return error("tool result too large (" + result.length() + " chars; at most 4MiB)");
        }
        return "{\"ok\":true,\"result\":" + result + "}";
    }

    static String error(String message) {
        return "{\"ok\":false,\"error\":" + quote(message) + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
