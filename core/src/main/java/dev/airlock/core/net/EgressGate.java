package dev.airlock.core.net;

import dev.airlock.core.Policy;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.mediation.Rules;
import dev.airlock.core.mediation.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a guest's network requests meet the policy: each request is one mediated host call, {@code
 * airlock_http.request}, with the policy's {@link Egress} deciding. In order: the URL and headers
 * must be well formed, a rule must allow the method and URL, the run's limits must have room, and
 * the host's addresses (resolved here, on the host) must be public unless the rule names the
 * address itself ({@code http://127.0.0.1:8080/}) or the host is {@code localhost} and the answer
 * loopback. The checked addresses are handed to the transport, which connects only to them.
 * Redirects are not followed: the guest gets the 3xx response and its next request is checked anew.
 * Secrets are added only to requests their injection's destination covers, and their values are
 * replaced by {@code [redacted]} in anything returned to the guest or written to the audit.
 *
 * <p>Denial rules: {@code net.none} (no rule at all), {@code net.bad-request}, {@code net.no-rule},
 * {@code net.private-address}, {@code net.limit.requests}, {@code net.limit.bytes-out}, {@code
 * net.limit.concurrent}. An allowed request's event carries the arguments {@code method}, {@code
 * url} (query values as {@code *}), {@code matched} (the rule), {@code status}, {@code bytesOut},
 * {@code bytesIn}, {@code secrets} (names) or {@code error}.
 *
 * <p>One gate serves one instance; its counters restart with every run (a new mediator).
 */
public final class EgressGate {
    /** The host module name of network requests in audit events. */
    public static final String MODULE = "airlock_http";

    /** The tool-device name that carries a request (never a valid tool name). */
    public static final String DEVICE_NAME = "net:request";

    private static final Set<String> DROPPED =
            Set.of(
                    "host",
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "upgrade",
                    "te",
                    "trailer",
                    "keep-alive",
                    "expect",
                    "proxy-connection",
                    "proxy-authorization");

    private final Egress egress;
    private Object run;
    private int requests;
    private long bytesOut;
    private long bytesIn;
    private int inFlight;

    public EgressGate(Egress egress) {
        this.egress = egress;
    }

    /**
     * The longest request in the wire format ({@link Wire}) a guest may hand over under {@code
     * egress}: the base64 of a body of the run's whole request byte limit and 1 MiB for the request
     * line and headers (1 MiB without network, at most 1 GiB). A longer body would pass the limit
     * anyway, and is refused by it with a message naming the limit.
     */
    public static int maxWireBytes(Egress egress) {
        if (!egress.granted()) {
            return 1 << 20;
        }
        long body = Math.min(egress.limits().maxBytesOut(), 768L << 20);
        return (int) Math.min(1L << 30, (body + 2) / 3 * 4 + (1 << 20));
    }

    /** The rules of module {@link #MODULE}: each request is decided by the gate itself. */
    public static Function<String, Verdict> rules(Policy policy) {
        Verdict none = Verdict.deny("net.none", Rules.ENOTCAPABLE, "no network is granted");
        return function ->
                policy.egress().granted()
                                && ("request".equals(function) || "answer".equals(function))
                        ? Verdict.ALLOW
                        : none;
    }

    /**
     * Handles one request in the wire format of {@link Wire}; never throws for anything the guest
     * or the server does.
     *
     * @return the JSON answer for the guest
     */
    public String handle(Mediator mediator, String wire) {
        Map<String, Object> summary = new LinkedHashMap<>();
        Checked c = check(mediator, wire, summary);
        if (c.refusedBy() != null) {
            mediator.call(
                    MODULE,
                    "request",
                    summary,
                    Verdict.deny(c.refusedBy(), Rules.ENOTCAPABLE, c.detail()),
                    () -> 0);
            return c.answer();
        }
        String[] answer = {null};
        try {
            mediator.call(
                    MODULE,
                    "request",
                    summary,
                    () -> {
                        answer[0] = send(c, summary);
                        return 0;
                    });
        } finally {
            done();
        }
        return answer[0] == null ? Wire.error("the request was not made", null) : answer[0];
    }

    /**
     * A request after the policy's checks: refused ({@code refusedBy} names the rule and {@code
     * answer} is the guest's error), or admitted and ready for {@link #send}.
     */
    record Checked(
            String refusedBy,
            String detail,
            String answer,
            Wire.GuestRequest request,
            Target target,
            List<InetAddress> addresses,
            int size,
            String unresolved,
            long startedNanos) {
        static Checked refused(String rule, String detail) {
            return new Checked(
                    rule,
                    detail,
                    Wire.error("network request denied (" + rule + "): " + detail, rule),
                    null,
                    null,
                    null,
                    0,
                    null,
                    0);
        }
    }

    /**
     * Checks a request against the rules, resolves and checks its host, and takes its place within
     * the limits of run {@code run} (counters restart when it changes); adds the request's summary.
     * An admitted request must be followed by {@link #send} (or not) and then {@link #done}.
     */
    Checked check(Object run, String wire, Map<String, Object> summary) {
        Wire.GuestRequest req;
        Target target;
        try {
            req = Wire.parse(wire);
            summary.put("method", req.method());
            target = Target.parse(req.url());
        } catch (IllegalArgumentException e) {
            return Checked.refused("net.bad-request", redact(e.getMessage()));
        }
        summary.put("url", target.redacted());
        if (!egress.granted()) {
            return Checked.refused("net.none", "no network is granted");
        }
        NetRule rule = match(req.method(), target);
        if (rule == null) {
            return Checked.refused("net.no-rule", noRuleDetail(req.method(), target));
        }
        summary.put("matched", rule.toString());
        int size = Wire.size(req);
        // limits before the name is looked up: a refused request makes no DNS query
        String[] over = admit(run, size, false);
        if (over != null) {
            return Checked.refused(over[0], over[1]);
        }
        // the request's time starts here: looking the name up counts against it
        long started = System.nanoTime();
        List<InetAddress> addresses;
        String unresolved = null;
        try {
            addresses = CheckedAddresses.of(egress, target, rule);
        } catch (IllegalStateException e) {
            return Checked.refused("net.private-address", e.getMessage());
        } catch (UnknownHostException e) {
            addresses = null;
            unresolved =
                    e.getMessage() != null && e.getMessage().startsWith("timed out")
                            ? e.getMessage()
                            : "cannot resolve host " + target.host();
        }
        String[] refusal = admit(run, size, true);
        if (refusal != null) {
            return Checked.refused(refusal[0], refusal[1]);
        }
        return new Checked(null, null, null, req, target, addresses, size, unresolved, started);
    }

    /** Ends an admitted request. */
    synchronized void done() {
        inFlight--;
    }

    /**
     * Says which of the run's limits refuses a request, or takes its place within them ({@code
     * take}).
     */
    private synchronized String[] admit(Object token, int size, boolean take) {
        if (token != run) {
            run = token;
            requests = 0;
            bytesOut = 0;
            bytesIn = 0;
        }
        NetLimits limits = egress.limits();
        if (requests >= limits.maxRequests()) {
            return new String[] {
                "net.limit.requests", "request limit reached (" + limits.maxRequests() + " per run)"
            };
        }
        if (inFlight >= limits.maxConcurrent()) {
            return new String[] {
                "net.limit.concurrent",
                "too many requests at once (at most " + limits.maxConcurrent() + ")"
            };
        }
        if (bytesOut + size > limits.maxBytesOut()) {
            return new String[] {
                "net.limit.bytes-out",
                "request bytes limit reached (" + limits.maxBytesOut() + " per run)"
            };
        }
        if (take) {
            requests++;
            bytesOut += size;
            inFlight++;
        }
        return null;
    }

    private synchronized long bytesInLeft() {
        return Math.max(0, egress.limits().maxBytesIn() - bytesIn);
    }

    private synchronized void received(long n) {
        bytesIn += n;
    }

    /** Sends an admitted request; returns the guest's answer and adds to the summary. */
    String send(Checked c, Map<String, Object> s) {
        Wire.GuestRequest req = c.request();
        Target target = c.target();
        List<InetAddress> pinned = c.addresses();
        int size = c.size();
        if (pinned == null) {
            s.put("error", c.unresolved().startsWith("timed out") ? "dns timeout" : "unknown host");
            return Wire.error(c.unresolved(), null);
        }
        HttpTransport transport = egress.transport();
        if (transport == null) {
            s.put("error", "no transport");
            return Wire.error("no HTTP transport is configured on the host", null);
        }
        List<HttpTransport.Header> headers = new ArrayList<>();
        List<String> injected = new ArrayList<>();
        for (HttpTransport.Header h : req.headers()) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            boolean replaced =
                    egress.injections().stream()
                            .anyMatch(
                                    i -> i.appliesTo(target) && i.header().equalsIgnoreCase(lower));
            if (!DROPPED.contains(lower) && !replaced) {
                headers.add(h);
            }
        }
        for (SecretInjection i : egress.injections()) {
            if (i.appliesTo(target)) {
                headers.add(
                        new HttpTransport.Header(i.header(), i.value(egress.secret(i.secret()))));
                injected.add(i.secret());
            }
        }
        if (!injected.isEmpty()) {
            s.put("injected", injected);
        }
        NetLimits limits = egress.limits();
        long left = bytesInLeft();
        java.time.Duration timeLeft =
                limits.requestTimeout().minusNanos(System.nanoTime() - c.startedNanos());
        if (timeLeft.toMillis() < 1) {
            s.put("error", "timed out");
            return Wire.error("timed out after " + limits.requestTimeout().toMillis() + "ms", null);
        }
        try {
            HttpTransport.Response r =
                    transport.send(
                            new HttpTransport.Request(
                                    req.method(),
                                    target.uri(),
                                    headers,
                                    req.body(),
                                    pinned,
                                    timeLeft,
                                    left));
            received(r.bytesIn());
            s.put("status", r.status());
            s.put("bytesOut", size);
            s.put("bytesIn", r.bytesIn());
            return Wire.ok(redact(r));
        } catch (HttpTransport.ResponseTooLargeException e) {
            received(left);
            s.put("error", "response too large");
            return Wire.error(
                    "response bytes limit reached (" + limits.maxBytesIn() + " per run)",
                    "net.limit.bytes-in");
        } catch (IOException | RuntimeException e) {
            String m =
                    e.getMessage() == null || e.getMessage().isBlank()
                            ? "request failed"
                            : e.getMessage();
            m = redact(m.length() > 300 ? m.substring(0, 300) : m);
            s.put("error", m);
            return Wire.error(m, null);
        }
    }

    private NetRule match(String method, Target t) {
        for (NetRule r : egress.rules()) {
            if (r.matches(method, t.scheme(), t.host(), t.port(), t.path())) {
                return r;
            }
        }
        return null;
    }

    private String noRuleDetail(String method, Target t) {
        List<String> sameHost = new ArrayList<>();
        for (NetRule r : egress.rules()) {
            if (r.hostMatches(t.host())) {
                sameHost.add(r.toString());
            }
        }
        return "no network rule allows "
                + method
                + " "
                + t.redacted()
                + (sameHost.isEmpty()
                        ? ""
                        : " (rules for this host: " + String.join(", ", sameHost) + ")");
    }

    private List<String> redactions;

    /** Every form of every secret to replace in what the guest or the audit gets. */
    private synchronized List<String> redactions() {
        if (redactions == null) {
            List<String> all = new ArrayList<>();
            for (String secret : egress.secretValues()) {
                all.addAll(Redaction.forms(secret));
            }
            all.sort((a, b) -> Integer.compare(b.length(), a.length()));
            redactions = List.copyOf(all);
        }
        return redactions;
    }

    private HttpTransport.Response redact(HttpTransport.Response r) {
        List<String> secrets = redactions();
        if (secrets.isEmpty()) {
            return r;
        }
        List<HttpTransport.Header> headers = new ArrayList<>();
        for (HttpTransport.Header h : r.headers()) {
            headers.add(new HttpTransport.Header(redact(h.name()), redact(h.value())));
        }
        byte[] body = r.body();
        for (String s : secrets) {
            body = Redaction.replace(body, Wire.utf8(s), Wire.utf8("[redacted]"));
        }
        return new HttpTransport.Response(
                r.status(), redact(r.reason()), headers, body, r.bytesIn());
    }

    private String redact(String s) {
        String out = s;
        for (String secret : redactions()) {
            out = out.replace(secret, "[redacted]");
        }
        return out;
    }
}
