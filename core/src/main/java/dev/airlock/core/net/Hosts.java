package dev.airlock.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Host names and address literals in rules and requests. */
final class Hosts {
    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?";
    private static final String NAME = LABEL + "(\\." + LABEL + ")*";
    private static final String IPV4 = "[0-9]{1,3}(\\.[0-9]{1,3}){3}";

    private Hosts() {}

    /** Lower case, without brackets or a final dot. */
    static String normalize(String host) {
        if (host == null) {
            throw new IllegalArgumentException("host missing");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** Checks a rule's host: a name, {@code *.suffix}, IPv4 or IPv6. */
    static void checkPattern(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host missing");
        }
        if (host.startsWith("*.")) {
            String suffix = host.substring(2);
            if (!suffix.matches(NAME) || suffix.indexOf('.') < 0 || suffix.matches(IPV4)) {
                throw new IllegalArgumentException(
                        "a wildcard needs a domain of at least two labels, e.g. *.example.com: "
                                + host);
            }
            return;
        }
        if (host.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "* is allowed only as the first label (*.example.com)");
        }
        check(host);
    }

    /** Checks a request's host: a name, IPv4 or IPv6 (no wildcard). */
    static void check(String host) {
        if (host.length() > 253) {
            throw new IllegalArgumentException("host name too long");
        }
        if (host.matches(IPV4)) {
            literal(host);
            return;
        }
        if (host.indexOf(':') >= 0) {
            if (!host.matches("[0-9a-f:.]+")) {
                throw new IllegalArgumentException("invalid IPv6 address: " + host);
            }
            literal(host);
            return;
        }
        if (!host.matches(NAME)) {
            throw new IllegalArgumentException("invalid host name: " + host);
        }
        if (host.matches("[0-9.]+")) {
            throw new IllegalArgumentException("invalid IPv4 address: " + host);
        }
    }

    /** Whether the host is an address literal (IPv4 or IPv6). */
    static boolean isLiteral(String host) {
        return host.matches(IPV4) || host.indexOf(':') >= 0;
    }

    /** The address of a literal; never asks DNS. */
    static InetAddress literal(String host) {
        if (host.matches(IPV4)) {
            String[] parts = host.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    throw new IllegalArgumentException("invalid IPv4 address: " + host);
                }
                b[i] = (byte) v;
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid IPv4 address: " + host);
            }
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException("not an address: " + host);
        }
        try {
            // a string with ':' is parsed as an IPv6 literal, never looked up
            return InetAddress.getByName("[" + host + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IPv6 address: " + host);
        }
    }
}
