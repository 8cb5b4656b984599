package dev.airlock.core.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The network a policy grants: allow rules, per-run limits, secrets and where they go, and the host
 * side that carries requests. Deny by default: {@link #none()} has no rules, so every request is
 * refused. Immutable; build with {@link #builder()}. Secret values never appear in {@link
 * #toString()}.
 */
public final class Egress {
    private static final Egress NONE = builder().build();

    private final List<NetRule> rules;
    private final NetLimits limits;
    private final Map<String, String> secrets;
    private final List<SecretInjection> injections;
    private final HttpTransport transport;
    private final HostResolver resolver;

    private Egress(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.limits = b.limits;
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(b.secrets));
        this.injections = List.copyOf(b.injections);
        this.transport = b.transport;
        this.resolver = b.resolver;
    }

    /** No network at all. */
    public static Egress none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().limits(limits).resolver(resolver);
        if (transport != null) {
            b.transport(transport);
        }
        rules.forEach(b::allow);
        secrets.forEach(b::secret);
        injections.forEach(b::inject);
        return b;
    }

    /** The allow rules, in order; the first that matches a request is its rule. */
    public List<NetRule> rules() {
        return rules;
    }

    /** Whether any request may be made. */
    public boolean granted() {
        return !rules.isEmpty();
    }

    public NetLimits limits() {
        return limits;
    }

    /** Where secrets go. */
    public List<SecretInjection> injections() {
        return injections;
    }

    /** The names of the secrets (never their values). */
    public List<String> secretNames() {
        return List.copyOf(secrets.keySet());
    }

    /** The transport, or null when none is set (then every allowed request fails). */
    public HttpTransport transport() {
        return transport;
    }

    public HostResolver resolver() {
        return resolver;
    }

    /** A secret's value; for the gate only. */
    String secret(String name) {
        return secrets.get(name);
    }

    /** Every secret value, for redaction. */
    List<String> secretValues() {
        return List.copyOf(secrets.values());
    }

    /**
     * Whether a secret's destination can be reached under {@code rules}: some rule names its
     * scheme, port and host (an injection whose destination no rule reaches is refused).
     */
    public static boolean reaches(List<NetRule> rules, NetRule destination) {
        return rules.stream()
                .anyMatch(
                        r ->
                                r.scheme().equals(destination.scheme())
                                        && r.port() == destination.port()
                                        && r.hostMatches(destination.host()));
    }

    /**
     * This egress narrowed for one run: {@code rules} and {@code limits} instead of its own (the
     * caller keeps them within this one's), only the secrets named in {@code secrets} ({@code
     * null}: all of them), and only those of their injections whose destinations {@code rules}
     * reach. Transport and resolver are kept.
     *
     * @throws IllegalArgumentException if {@code secrets} names a secret this egress does not
     *     define
     */
    public Egress narrow(
            List<NetRule> rules, NetLimits limits, java.util.Collection<String> secrets) {
        Builder b = new Builder().limits(limits).resolver(resolver);
        if (transport != null) {
            b.transport(transport);
        }
        rules.forEach(b::allow);
        java.util.Set<String> names =
                new java.util.LinkedHashSet<>(secrets == null ? this.secrets.keySet() : secrets);
        for (String name : names) {
            String value = this.secrets.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no secret named " + name);
            }
            b.secret(name, value);
        }
        for (SecretInjection i : injections) {
            if (names.contains(i.secret()) && reaches(rules, i.destination())) {
                b.inject(i);
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "Egress{rules="
                + rules
                + ", secrets="
                + secrets.keySet()
                + ", injections="
                + injections
                + ", "
                + limits
                + "}";
    }

    /**
     * Builds an {@link Egress}; setters reject bad values at once, {@link #build()} cross-checks.
     */
    public static final class Builder {
        private final List<NetRule> rules = new ArrayList<>();
        private NetLimits limits = NetLimits.defaults();
        private final Map<String, String> secrets = new LinkedHashMap<>();
        private final List<SecretInjection> injections = new ArrayList<>();
        private HttpTransport transport;
        private HostResolver resolver = HostResolver.system();

        private Builder() {}

        public Builder allow(NetRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Adds a rule in its written form, see {@link NetRule#parse}.
         *
         * @throws IllegalArgumentException if the rule is malformed
         */
        public Builder allow(String rule) {
            return allow(NetRule.parse(rule));
        }

        /** Per-run limits (default {@link NetLimits#defaults()}). */
        public Builder limits(NetLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Defines a secret the host may inject (see {@link #inject}); the guest never sees it.
         *
         * @throws IllegalArgumentException if the name is malformed or defined twice, or the value
         *     is empty or has a control character
         */
        public Builder secret(String name, String value) {
            SecretInjection.checkSecretName(name);
            Objects.requireNonNull(value, "value");
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException(
                        "secret " + name + " is empty or has a control character");
            }
            if (secrets.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("secret defined twice: " + name);
            }
            return this;
        }

        public Builder inject(SecretInjection injection) {
            injections.add(Objects.requireNonNull(injection, "injection"));
            return this;
        }

        /** The host side that carries requests (default none: allowed requests fail). */
        public Builder transport(HttpTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Resolves host names (default {@link HostResolver#system()}). */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * @throws IllegalArgumentException if an injection names an undefined secret or a
         *     destination no rule allows
         */
        public Egress build() {
            for (SecretInjection i : injections) {
                if (!secrets.containsKey(i.secret())) {
                    throw new IllegalArgumentException(
                            "secret " + i.secret() + " is injected but not defined");
                }
                NetRule d = i.destination();
                if (!reaches(rules, d)) {
                    throw new IllegalArgumentException(
                            "secret "
                                    + i.secret()
                                    + " goes to "
                                    + d
                                    + ", which no network rule allows");
                }
            }
            return new Egress(this);
        }
    }
}
