package dev.airlock.core.net;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One network grant: which requests a guest may make. Written {@code [METHODS ]SCHEME://HOST[:PORT]
 * [/PATH]}, for example {@code https://api.example.com/v1/}, {@code GET,POST
 * https://api.example.com:8443/v1/} or {@code https://*.example.com/repos/*}:
 *
 * <ul>
 *   <li>{@code METHODS}: a comma-separated list of {@code GET HEAD POST PUT PATCH DELETE OPTIONS};
 *       none means any of them;
 *   <li>{@code SCHEME}: {@code http} or {@code https};
 *   <li>{@code HOST}: an exact host name, {@code *.SUFFIX} (any name ending in {@code .SUFFIX}, not
 *       {@code SUFFIX} itself; the suffix needs at least two labels), an IPv4 address or an IPv6
 *       address in brackets;
 *   <li>{@code PORT}: 1 to 65535; without it the scheme's default port (80, 443) only;
 *   <li>{@code PATH}: a path prefix. {@code /v1/} or {@code /v1/*} matches every path under {@code
 *       /v1/}; {@code /v1} matches {@code /v1} itself and every path under {@code /v1/} (never
 *       {@code /v1x}); none or {@code /} matches every path.
 * </ul>
 *
 * @param methods the methods allowed, upper case; empty for any
 * @param scheme {@code http} or {@code https}
 * @param host the host in lower case, IPv6 without brackets; {@code *.suffix} for a wildcard
 * @param port the port, always set (the scheme's default when the rule names none)
 * @param pathPrefix the path prefix, {@code /} for any path
 */
public record NetRule(
        Set<String> methods, String scheme, String host, int port, String pathPrefix) {
    /** The methods a rule may name. */
    public static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public NetRule {
        methods = Set.copyOf(methods);
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("unknown method " + m);
            }
        }
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535: " + port);
        }
        if (pathPrefix == null || !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + pathPrefix);
        }
        Hosts.checkPattern(host);
    }

    /**
     * Parses a rule.
     *
     * @throws IllegalArgumentException naming what is wrong, e.g. {@code invalid network rule
     *     'ftp://x': scheme must be http or https}
     */
    public static NetRule parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("network rule missing");
        }
        try {
            return parseOrThrow(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid network rule '" + text + "': " + e.getMessage(), e);
        }
    }

    private static NetRule parseOrThrow(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty rule");
        }
        Set<String> methods = new TreeSet<>();
        int space = s.indexOf(' ');
        String url = s;
        if (space >= 0) {
            for (String m : s.substring(0, space).split(",", -1)) {
                String up = m.strip().toUpperCase(Locale.ROOT);
                if (!METHODS.contains(up)) {
                    throw new IllegalArgumentException(
                            "unknown method '"
                                    + m
                                    + "' (methods: GET HEAD POST PUT PATCH DELETE"
                                    + " OPTIONS, comma-separated)");
                }
                methods.add(up);
            }
            url = s.substring(space + 1).strip();
            if (url.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(
                        "expected [METHODS ]SCHEME://HOST[:PORT][/PATH]");
            }
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException(
                    "expected SCHEME://HOST, e.g. https://api.example.com/");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https");
        }
        String rest = url.substring(sep + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("a rule has no query or fragment");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("a rule has no user name or password");
        }
        String host;
        int port = defaultPort(scheme);
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in IPv6 address");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after ]");
                }
                portText = after.substring(1);
            }
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets hold only IPv6 addresses");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (portText != null) {
            if (!portText.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("port must be a number: " + portText);
            }
            port = Integer.parseInt(portText);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host missing");
        }
        return new NetRule(methods, scheme, Hosts.normalize(host), port, Paths.prefix(path));
    }

    static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    /** Whether the host is a wildcard ({@code *.suffix}). */
    public boolean wildcard() {
        return host.startsWith("*.");
    }

    /**
     * Whether this rule allows a request; {@code host} lower case and IPv6 without brackets, {@code
     * path} already checked by {@link Paths#check}.
     */
    public boolean matches(String method, String scheme, String host, int port, String path) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        if (!this.scheme.equals(scheme) || this.port != port) {
            return false;
        }
        if (!hostMatches(host)) {
            return false;
        }
        return Paths.under(path, pathPrefix);
    }

    /** Whether the host matches, method, port and path aside. */
    public boolean hostMatches(String host) {
        if (wildcard()) {
            String suffix = this.host.substring(1); // ".example.com"
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return this.host.equals(host);
    }

    /**
     * Whether every request {@code other} allows, this rule allows too: for rules that a caller
     * asks for within an operator's rules (such as the HTTP API's).
     */
    public boolean covers(NetRule other) {
        if (!methods.isEmpty()
                && (other.methods.isEmpty() || !methods.containsAll(other.methods))) {
            return false;
        }
        if (!scheme.equals(other.scheme) || port != other.port) {
            return false;
        }
        boolean hosts =
                other.wildcard()
                        ? wildcard() && other.host.substring(1).endsWith(host.substring(1))
                        : hostMatches(other.host);
        return hosts && Paths.under(other.pathPrefix, pathPrefix);
    }

    /**
     * The requests both this rule and {@code other} allow, as one rule, or {@code null} when they
     * have none in common: the common methods (any when neither names some), the narrower host (an
     * exact name within a wildcard, the longer of two nested wildcards) and the longer of two
     * nested path prefixes. For a skill's declared rules within an operator's.
     */
    public NetRule intersect(NetRule other) {
        if (!scheme.equals(other.scheme) || port != other.port) {
            return null;
        }
        Set<String> m;
        if (methods.isEmpty()) {
            m = other.methods;
        } else if (other.methods.isEmpty()) {
            m = methods;
        } else {
            m = new TreeSet<>(methods);
            m.retainAll(other.methods);
            if (m.isEmpty()) {
                return null;
            }
        }
        String h;
        if (wildcard() && other.wildcard()) {
            String a = host.substring(1);
            String b = other.host.substring(1);
            h = a.endsWith(b) ? host : b.endsWith(a) ? other.host : null;
        } else if (wildcard()) {
            h = hostMatches(other.host) ? other.host : null;
        } else if (other.wildcard()) {
            h = other.hostMatches(host) ? host : null;
        } else {
            h = host.equals(other.host) ? host : null;
        }
        if (h == null) {
            return null;
        }
        String p =
                Paths.under(other.pathPrefix, pathPrefix)
                        ? other.pathPrefix
                        : Paths.under(pathPrefix, other.pathPrefix) ? pathPrefix : null;
        if (p == null) {
            return null;
        }
        return new NetRule(m, scheme, h, port, p);
    }

    /** The rule as written in its canonical form, e.g. {@code GET https://api.example.com/v1/}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!methods.isEmpty()) {
            b.append(String.join(",", new TreeSet<>(methods))).append(' ');
        }
        b.append(scheme).append("://");
        b.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        if (port != defaultPort(scheme)) {
            b.append(':').append(port);
        }
        return b.append(pathPrefix).toString();
    }
}
