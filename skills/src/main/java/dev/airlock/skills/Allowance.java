package dev.airlock.skills;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Tool;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator allows skills at most: host folders for guest paths, environment variables,
 * clock, randomness, host tools and the limits' ceiling. A skill gets the intersection of this and
 * its manifest, never more than either.
 *
 * @param mounts host folders offered for guest paths (a skill sees one only if it declared that
 *     guest path; read-write only if both sides say so)
 * @param env environment variables offered (a skill sees only the names it declared)
 * @param clock whether a skill that declares the clock gets the real clock
 * @param random whether a skill that declares randomness gets it
 * @param tools host tools offered by name
 * @param limits the ceiling: each of a skill's limits is the smaller of its own and this
 */
public record Allowance(
        List<Mount> mounts,
        Map<String, String> env,
        boolean clock,
        boolean random,
        Map<String, Tool> tools,
        Limits limits) {
    public Allowance {
        mounts = List.copyOf(mounts);
        env = Map.copyOf(env);
        tools = Map.copyOf(tools);
        Objects.requireNonNull(limits, "limits");
    }

    /** No mounts, env or tools; clock and randomness if declared; default limits. */
    public static Allowance defaults() {
        return new Allowance(List.of(), Map.of(), true, true, Map.of(), Limits.defaults());
    }

    /** Nothing at all beyond stdio and the skill's own files; default limits. */
    public static Allowance nothing() {
        return new Allowance(List.of(), Map.of(), false, false, Map.of(), Limits.defaults());
    }

    public Allowance withMounts(List<Mount> m) {
        return new Allowance(m, env, clock, random, tools, limits);
    }

    public Allowance withEnv(Map<String, String> e) {
        return new Allowance(mounts, e, clock, random, tools, limits);
    }

    public Allowance withClock(boolean c) {
        return new Allowance(mounts, env, c, random, tools, limits);
    }

    public Allowance withRandom(boolean r) {
        return new Allowance(mounts, env, clock, r, tools, limits);
    }

    public Allowance withTools(Map<String, Tool> t) {
        return new Allowance(mounts, env, clock, random, t, limits);
    }

    public Allowance withLimits(Limits l) {
        return new Allowance(mounts, env, clock, random, tools, l);
    }
}
