package dev.airlock.cli.options;

import dev.airlock.cli.Invocation;
import dev.airlock.core.Durations;
import dev.airlock.core.Size;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.SecretInjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Secrets, where they go, and per-run network limits: options of the commands that grant network
 * ({@code run}, {@code py}, {@code js} and {@code skill run} through {@link NetOptions}, and {@code
 * serve}). Secret values are read here and never printed.
 */
public final class SecretOptions {
    @Option(
            names = "--secret",
            paramLabel = "NAME=ENV_VAR",
            description =
                    "Define secret NAME from the host's environment variable ENV_VAR (repeatable);"
                            + " the guest never sees it, --inject says where it goes.")
    List<String> secrets = new ArrayList<>();

    @Option(
            names = "--secret-file",
            paramLabel = "NAME=FILE",
            description = "Define secret NAME from a file's content (one final newline dropped).")
    List<String> secretFiles = new ArrayList<>();

    @Option(
            names = "--inject",
            paramLabel = "SPEC",
            description =
                    "Add a secret to requests: 'NAME header HEADER [\"TEMPLATE\"] for URL-PREFIX',"
                            + " e.g. 'GH header Authorization \"Bearer {}\" for"
                            + " https://api.example.com/' (repeatable).")
    List<String> injections = new ArrayList<>();

    @Option(
            names = "--net-max-requests",
            paramLabel = "N",
            description = "HTTP requests per run. Default: 100.")
    Integer maxRequests;

    @Option(
            names = "--net-max-bytes-out",
            paramLabel = "SIZE",
            description = "Request bytes per run. Default: 8MiB.")
    String maxBytesOut;

    @Option(
            names = "--net-max-bytes-in",
            paramLabel = "SIZE",
            description = "Response bytes per run. Default: 32MiB.")
    String maxBytesIn;

    @Option(
            names = "--net-timeout",
            paramLabel = "DURATION",
            description = "Time for one HTTP request. Default: 30s.")
    String requestTimeout;

    @Option(
            names = "--net-max-concurrent",
            paramLabel = "N",
            description = "HTTP requests under way at once. Default: 4.")
    Integer maxConcurrent;

    /** Whether any of these options is given. */
    public boolean any() {
        return !secrets.isEmpty()
                || !secretFiles.isEmpty()
                || !injections.isEmpty()
                || maxRequests != null
                || maxBytesOut != null
                || maxBytesIn != null
                || requestTimeout != null
                || maxConcurrent != null;
    }

    /**
     * Adds the secrets, injections and limits to {@code e}; throws IllegalArgumentException for the
     * user (never with a secret's value).
     */
    public void addTo(Egress.Builder e) {
        for (String s : secrets) {
            String[] kv = split(s, "--secret", "NAME=ENV_VAR");
            String value = NetOptions.environment.apply(kv[1]);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(
                        "--secret " + kv[0] + ": environment variable " + kv[1] + " is not set");
            }
            e.secret(kv[0], value);
        }
        for (String s : secretFiles) {
            String[] kv = split(s, "--secret-file", "NAME=FILE");
            String value;
            try {
                value = Files.readString(Invocation.current().path(kv[1]), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException x) {
                throw new IllegalArgumentException(
                        "--secret-file " + kv[0] + ": cannot read " + kv[1]);
            }
            if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
            }
            if (value.endsWith("\r")) {
                value = value.substring(0, value.length() - 1);
            }
            e.secret(kv[0], value);
        }
        injections.forEach(i -> e.inject(SecretInjection.parse(i)));
        e.limits(limits());
    }

    /** The limits these options set, the defaults elsewhere. */
    NetLimits limits() {
        NetLimits l = NetLimits.defaults();
        if (maxRequests != null) {
            l = l.withMaxRequests(maxRequests);
        }
        if (maxBytesOut != null) {
            l = l.withMaxBytesOut(Size.parse(maxBytesOut));
        }
        if (maxBytesIn != null) {
            l = l.withMaxBytesIn(Size.parse(maxBytesIn));
        }
        if (requestTimeout != null) {
            l = l.withRequestTimeout(Durations.parse(requestTimeout));
        }
        if (maxConcurrent != null) {
            l = l.withMaxConcurrent(maxConcurrent);
        }
        return l;
    }

    /** Splits {@code NAME=VALUE} in two; throws IllegalArgumentException naming {@code option}. */
    public static String[] split(String s, String option, String form) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
            throw new IllegalArgumentException(option + " expects " + form + ": " + s);
        }
        return new String[] {s.substring(0, eq), s.substring(eq + 1)};
    }
}
