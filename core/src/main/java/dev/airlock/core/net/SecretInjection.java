package dev.airlock.core.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where the host puts a secret: into one header of requests to one destination. Written {@code NAME
 * header HEADER [TEMPLATE] for URL-PREFIX}, for example {@code GH header Authorization "Bearer {}"
 * for https://api.example.com/}; the template (default {@code {}}) holds {@code {}} once, where the
 * value goes, and is quoted with {@code "} when it has spaces.
 *
 * <p>The destination is a {@link NetRule} without methods or wildcard: the secret is added only to
 * requests whose scheme, host and port equal it and whose path lies under its path. A header of
 * that name sent by the guest is replaced.
 *
 * @param secret the secret's name
 * @param header the header's name
 * @param template the header's value, {@code {}} standing for the secret
 * @param destination where requests carry it
 */
public record SecretInjection(String secret, String header, String template, NetRule destination) {
    private static final Set<String> RESERVED =
            Set.of(
                    "host",
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "upgrade",
                    "te",
                    "trailer",
                    "keep-alive",
                    "expect");

    /**
     * @throws IllegalArgumentException if a part is malformed (see {@link #parse})
     */
    public SecretInjection {
        Objects.requireNonNull(destination, "destination");
        checkSecretName(secret);
        if (header == null || !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
            throw new IllegalArgumentException("invalid header name: " + header);
        }
        if (RESERVED.contains(header.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header " + header + " cannot carry a secret");
        }
        if (template == null
                || template.indexOf("{}") < 0
                || template.indexOf("{}") != template.lastIndexOf("{}")) {
            throw new IllegalArgumentException("template must hold {} exactly once: " + template);
        }
        if (template.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("template has a control character");
        }
        if (!destination.methods().isEmpty() || destination.wildcard()) {
            throw new IllegalArgumentException(
                    "a secret's destination is a URL prefix with an exact host, without methods");
        }
    }

    /** Checks a secret's name: letters, digits and {@code _}, 1 to 64 characters. */
    static void checkSecretName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException(
                    "invalid secret name (letters, digits, _; 1 to 64): " + name);
        }
    }

    /**
     * Parses {@code NAME header HEADER [TEMPLATE] for URL-PREFIX}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SecretInjection parse(String text) {
        try {
            List<String> w = words(Objects.requireNonNull(text, "injection"));
            if ((w.size() != 5 && w.size() != 6)
                    || !w.get(1).equalsIgnoreCase("header")
                    || !w.get(w.size() - 2).equalsIgnoreCase("for")) {
                throw new IllegalArgumentException(
                        "expected NAME header HEADER [\"TEMPLATE\"] for URL-PREFIX");
            }
            String template = w.size() == 6 ? w.get(3) : "{}";
            return new SecretInjection(
                    w.get(0), w.get(2), template, NetRule.parse(w.get(w.size() - 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid secret injection '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Splits on spaces, keeping {@code "quoted words"} whole. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote");
                }
                out.add(s.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < s.length() && s.charAt(end) != ' ' && s.charAt(end) != '\t') {
                    end++;
                }
                out.add(s.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** Whether a request to {@code t} carries the secret. */
    public boolean appliesTo(Target t) {
        return destination.matches("GET", t.scheme(), t.host(), t.port(), t.path());
    }

    /** The header's value for a secret value. */
    String value(String secretValue) {
        return template.replace("{}", secretValue);
    }

    @Override
    public String toString() {
        return secret + " header " + header + " \"" + template + "\" for " + destination;
    }
}
