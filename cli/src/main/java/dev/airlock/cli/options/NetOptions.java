package dev.airlock.cli.options;

import dev.airlock.cli.Invocation;
import dev.airlock.core.Policy;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.HttpImport;
import dev.airlock.egress.ApacheTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The network options of {@code run}, {@code py}, {@code js} and {@code skill run}: rules, secrets,
 * limits.
 */
public final class NetOptions {
    /** Where {@code --secret} reads variables; tests replace it. */
    public static UnaryOperator<String> environment = name -> Invocation.current().env(name);

    @Option(
            names = "--allow-net",
            paramLabel = "RULE",
            description =
                    "Allow HTTP requests matching [METHODS ]SCHEME://HOST[:PORT][/PATH] (repeatable),"
                            + " e.g. 'GET,POST https://api.example.com/v1/' or"
                            + " 'https://*.example.com/'. Default: no network.")
    List<String> allowNet = new ArrayList<>();

    /** Secrets, injections and limits (shared with {@code serve}). */
    @Mixin SecretOptions more = new SecretOptions();

    /** Adds the network grant to a policy; throws IllegalArgumentException for the user. */
    void apply(Policy.Builder policy) {
        Egress e = egress();
        if (e != null) {
            // py and js reach it through their bridges, WASI modules through airlock_http
            HttpImport.grant(policy, e);
        }
    }

    /**
     * The network these options grant, or {@code null} when none is given; throws
     * IllegalArgumentException for the user.
     */
    public Egress egress() {
        if (allowNet.isEmpty() && !more.any()) {
            return null;
        }
        if (allowNet.isEmpty()) {
            throw new IllegalArgumentException(
                    "--secret, --inject and --net-* options need at least one --allow-net rule");
        }
        Egress.Builder e = Egress.builder().transport(new ApacheTransport());
        allowNet.forEach(e::allow);
        more.addTo(e);
        return e.build();
    }
}
