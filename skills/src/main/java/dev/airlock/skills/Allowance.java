package dev.airlock.skills;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Tool;
import dev.airlock.core.net.Egress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator allows skills at most: host folders for guest paths, environment variables,
 * clock, randomness, host tools, the network and the limits' ceiling. A skill gets the intersection
 * of this and its manifest, never more than either.
 *
 * @param mounts host folders offered for guest paths (a skill sees one only if it declared that
 *     guest path; read-write only if both sides say so)
 * @param env environment variables offered (a skill sees only the names it declared)
 * @param clock whether a skill that declares the clock gets the real clock
 * @param random whether a skill that declares randomness gets it
 * @param tools host tools offered by name
 * @param limits the ceiling: each of a skill's limits is the smaller of its own and this
 * @param net the network offered: a skill's requests must be allowed by both its declared rules and
 *     these; these limits are the ceiling of its own; its secrets (bound by the operator, never by
 *     a manifest) go only where their injections say and the skill's rules reach; its transport and
 *     resolver carry the requests
 */
public record Allowance(
        List<Mount> mounts,
        Map<String, String> env,
        boolean clock,
        boolean random,
        Map<String, Tool> tools,
        Limits limits,
        Egress net) {
    public Allowance {
        mounts = List.copyOf(mounts);
        env = Map.copyOf(env);
        tools = Map.copyOf(tools);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(net, "net");
    }

    /** An allowance without network. */
    public Allowance(
            List<Mount> mounts,
            Map<String, String> env,
            boolean clock,
            boolean random,
            Map<String, Tool> tools,
            Limits limits) {
        this(mounts, env, clock, random, tools, limits, Egress.none());
    }

    /** No mounts, env, tools or network; clock and randomness if declared; default limits. */
    public static Allowance defaults() {
        return new Allowance(List.of(), Map.of(), true, true, Map.of(), Limits.defaults());
    }

    /** Nothing at all beyond stdio and the skill's own files; default limits. */
    public static Allowance nothing() {
        return new Allowance(List.of(), Map.of(), false, false, Map.of(), Limits.defaults());
    }

    public Allowance withMounts(List<Mount> m) {
        return new Allowance(m, env, clock, random, tools, limits, net);
    }

    public Allowance withEnv(Map<String, String> e) {
        return new Allowance(mounts, e, clock, random, tools, limits, net);
    }

    public Allowance withClock(boolean c) {
        return new Allowance(mounts, env, c, random, tools, limits, net);
    }

    public Allowance withRandom(boolean r) {
        return new Allowance(mounts, env, clock, r, tools, limits, net);
    }

    public Allowance withTools(Map<String, Tool> t) {
        return new Allowance(mounts, env, clock, random, t, limits, net);
    }

    public Allowance withLimits(Limits l) {
        return new Allowance(mounts, env, clock, random, tools, l, net);
    }

    /** The network offered (default {@link Egress#none()}). */
    public Allowance withNet(Egress n) {
        return new Allowance(mounts, env, clock, random, tools, limits, n);
    }
}
