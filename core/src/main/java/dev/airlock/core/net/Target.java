package dev.airlock.core.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A request's URL, parsed and checked: absolute, {@code http} or {@code https}, a host, no user
 * name or password, a normalised path (see {@link NetRule}).
 *
 * @param uri the URL without its fragment
 * @param scheme lower case
 * @param host lower case, IPv6 without brackets
 * @param port explicit or the scheme's default
 * @param path the raw path, {@code /} when empty
 */
public record Target(URI uri, String scheme, String host, int port, String path) {
    /**
     * Parses a request URL.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Target parse(String url) {
        if (url == null || url.isEmpty()) {
            throw new IllegalArgumentException("URL missing");
        }
        if (url.length() > 8192) {
            throw new IllegalArgumentException("URL longer than 8192 characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL");
        }
        if (!u.isAbsolute() || u.getScheme() == null) {
            throw new IllegalArgumentException("URL must be absolute (http:// or https://)");
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("URL must not carry a user name or password");
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("URL has no valid host");
        }
        String host = Hosts.normalize(u.getHost());
        Hosts.check(host);
        int port = u.getPort() < 0 ? NetRule.defaultPort(scheme) : u.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535");
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        Paths.check(path);
        try {
            URI clean =
                    new URI(
                            scheme
                                    + "://"
                                    + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                                    + (u.getPort() < 0 ? "" : ":" + port)
                                    + path
                                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            return new Target(clean, scheme, host, port, path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL");
        }
    }

    /**
     * The URL for audit records and messages: query values replaced by {@code *} (names kept), e.g.
     * {@code https://api.example.com/search?q=*&key=*}.
     */
    public String redacted() {
        String base =
                scheme
                        + "://"
                        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                        + (port == NetRule.defaultPort(scheme) ? "" : ":" + port)
                        + path;
        String q = uri.getRawQuery();
        if (q == null) {
            return base;
        }
        StringBuilder b = new StringBuilder(base).append('?');
        String[] pairs = q.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            if (i > 0) {
                b.append('&');
            }
            b.append(name.length() > 64 ? name.substring(0, 64) : name);
            if (eq >= 0) {
                b.append("=*");
            }
        }
        return b.toString();
    }
}
