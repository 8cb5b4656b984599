package dev.airlock.skills;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Tool;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.HttpImport;
import dev.airlock.core.net.NetRule;
import dev.airlock.core.net.SecretInjection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The effective grant of one run: the manifest's declaration intersected with the allowance. */
public final class Grants {
    private Grants() {}

    /**
     * The policy of a run and what was left out.
     *
     * @param policy the policy to run under
     * @param notes one line for each declared capability the operator did not allow, and each
     *     offered one the skill did not declare
     */
    public record Effective(Policy policy, List<String> notes) {}

    /**
     * Builds the policy for running {@code tool} of {@code m} with its files in {@code skillDir}
     * (mounted read-only at {@code /skill}) and {@code input} on stdin.
     */
    public static Effective effective(
            Manifest m, Allowance a, Path skillDir, String tool, byte[] input) {
        Manifest.Capabilities c = m.capabilities();
        List<String> notes = new ArrayList<>();
        Policy.Builder p =
                Policy.builder()
                        .programName(m.name())
                        .args(tool)
                        .stdin(input)
                        .env("AIRLOCK_TOOL", tool)
                        .mount(new Mount(skillDir, SkillRunner.SKILL_DIR, Mount.Mode.READ_ONLY));
        for (Manifest.MountGrant g : c.mounts()) {
            Mount offered = null;
            for (Mount o : a.mounts()) {
                if (o.guestPath().equals(g.guest())) {
                    offered = o;
                }
            }
            if (offered == null) {
                notes.add("mount " + g.guest() + " declared but not allowed: not mounted");
                continue;
            }
            Mount.Mode mode =
                    g.mode() == Mount.Mode.READ_WRITE && offered.mode() == Mount.Mode.READ_WRITE
                            ? Mount.Mode.READ_WRITE
                            : Mount.Mode.READ_ONLY;
            if (mode != g.mode()) {
                notes.add("mount " + g.guest() + " declared rw but allowed ro: read-only");
            }
            p.mount(new Mount(offered.host(), g.guest(), mode));
        }
        for (Mount o : a.mounts()) {
            if (c.mounts().stream().noneMatch(g -> g.guest().equals(o.guestPath()))) {
                notes.add("mount " + o.guestPath() + " allowed but not declared: not mounted");
            }
        }
        for (String name : c.env()) {
            String v = a.env().get(name);
            if (v == null) {
                notes.add("env " + name + " declared but not allowed: unset");
            } else if (!name.equals("AIRLOCK_TOOL")) {
                p.env(name, v);
            }
        }
        for (String name : a.env().keySet()) {
            if (!c.env().contains(name)) {
                notes.add("env " + name + " allowed but not declared: unset");
            }
        }
        p.clock(c.clock() && a.clock() ? ClockMode.REAL : ClockMode.DENY);
        if (c.clock() && !a.clock()) {
            notes.add("clock declared but not allowed: denied");
        }
        p.random(c.random() && a.random() ? RandomMode.REAL : RandomMode.DENY);
        if (c.random() && !a.random()) {
            notes.add("random declared but not allowed: denied");
        }
        for (String name : c.tools()) {
            Tool t = a.tools().get(name);
            if (t == null) {
                notes.add("tool " + name + " declared but not allowed: not granted");
            } else {
                p.tool(name, t);
            }
        }
        for (java.util.Map.Entry<String, Tool> e : a.tools().entrySet()) {
            if (e.getKey().startsWith(SkillRunner.SKILL_TOOL)
                    && declaresSkill(c.skills(), e.getKey())) {
                p.tool(e.getKey(), e.getValue());
            }
        }
        Egress net = net(c.net(), a.net(), notes);
        if (c.net().declared()) {
            // py and js reach it through their bridges, wasm skills through airlock_http (whose
            // requests are refused, net.none, when nothing declared is allowed)
            HttpImport.grant(p, net);
        }
        if (!c.nn().isEmpty()) {
            nn(c.nn(), m.limits(), skillDir, p, notes);
        }
        p.limits(limits(m.limits(), a.limits()));
        return new Effective(p.build(), List.copyOf(notes));
    }

    /**
     * The network of a run: each declared rule intersected with each offered one (so a request must
     * be allowed by both), limits no higher than the operator's, the operator's secrets injected
     * only where the resulting rules reach their destinations.
     */
    static Egress net(Manifest.NetGrant declared, Egress offered, List<String> notes) {
        List<NetRule> rules = new ArrayList<>();
        for (NetRule d : declared.rules()) {
            List<NetRule> mine = new ArrayList<>();
            for (NetRule o : offered.rules()) {
                NetRule both = d.intersect(o);
                if (both != null && !mine.contains(both)) {
                    mine.add(both);
                }
            }
            if (mine.isEmpty()) {
                notes.add("net " + d + " declared but not allowed: denied");
            } else if (!mine.equals(List.of(d))) {
                notes.add(
                        "net "
                                + d
                                + " declared but allowed only as: "
                                + String.join(", ", mine.stream().map(NetRule::toString).toList()));
            }
            for (NetRule r : mine) {
                if (!rules.contains(r)) {
                    rules.add(r);
                }
            }
        }
        for (NetRule o : offered.rules()) {
            if (declared.rules().stream().noneMatch(d -> d.intersect(o) != null)) {
                notes.add("net " + o + " allowed but not declared: not granted");
            }
        }
        if (rules.isEmpty()) {
            return Egress.none();
        }
        Egress e = offered.narrow(rules, declared.limits(offered.limits()), null);
        for (String name : offered.secretNames()) {
            boolean used = e.injections().stream().anyMatch(i -> i.secret().equals(name));
            boolean bound =
                    offered.injections().stream()
                            .map(SecretInjection::secret)
                            .anyMatch(name::equals);
            if (bound && !used) {
                notes.add(
                        "secret "
                                + name
                                + " not injected: the skill's network rules do not reach its"
                                + " destination");
            }
        }
        return e;
    }

    private static volatile NnHost nnHost;

    /**
     * Grants the declared models, each the skill's own {@code models/NAME.onnx}, through the {@link
     * NnHost} on the class path; without one (or without the file) the model is not granted and a
     * note says so.
     */
    static void nn(
            List<String> names,
            Manifest.SkillLimits limits,
            Path skillDir,
            Policy.Builder p,
            List<String> notes) {
        NnHost host = nnHost;
        if (host == null) {
            host = NnHost.find();
            nnHost = host;
        }
        java.util.Map<String, Path> models = new java.util.LinkedHashMap<>();
        for (String name : names) {
            Path file = skillDir.resolve(NnHost.MODELS).resolve(name + ".onnx");
            if (host == null) {
                notes.add("nn " + name + " declared but no WASI-NN runtime here: not granted");
            } else if (!java.nio.file.Files.isRegularFile(
                    file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                notes.add(
                        "nn "
                                + name
                                + " declared but the skill has no "
                                + NnHost.MODELS
                                + "/"
                                + name
                                + ".onnx: not granted");
            } else {
                String problem = host.problem(file);
                if (problem != null) {
                    notes.add("nn " + name + " refused (" + problem + "): not granted");
                } else {
                    models.put(name, file);
                }
            }
        }
        if (host != null) {
            // with no model left, the functions are still there (so the module links) but refuse
            host.imports(models, limits.tensorBytes(), limits.computations()).forEach(p::grant);
        }
    }

    /**
     * Whether {@code skills} (a manifest's {@code capabilities.skills}: {@code NAME} for every tool
     * of a skill, {@code NAME/TOOL} for one) covers the host tool {@code skill:NAME/TOOL}.
     */
    public static boolean declaresSkill(List<String> skills, String hostTool) {
        if (!hostTool.startsWith(SkillRunner.SKILL_TOOL)) {
            return false;
        }
        String ref = hostTool.substring(SkillRunner.SKILL_TOOL.length());
        int slash = ref.indexOf('/');
        if (slash < 0) {
            return false;
        }
        return skills.contains(ref) || skills.contains(ref.substring(0, slash));
    }

    /** Each limit: the skill's own if it sets one and it is lower, else the ceiling's. */
    public static Limits limits(Manifest.SkillLimits s, Limits ceiling) {
        Limits.Builder b = ceiling.toBuilder();
        if (s.memoryBytes() != null) {
            b.memoryBytes(Math.min(s.memoryBytes(), ceiling.memoryBytes()));
        }
        if (s.timeout() != null) {
            Duration t = s.timeout();
            b.timeout(t.compareTo(ceiling.timeout()) < 0 ? t : ceiling.timeout());
        }
        if (s.outputBytes() != null) {
            b.maxOutputBytes(Math.min(s.outputBytes(), ceiling.maxOutputBytes()));
        }
        if (s.fuel() != null) {
            b.fuel(
                    ceiling.fuel().isPresent()
                            ? Math.min(s.fuel(), ceiling.fuel().getAsLong())
                            : s.fuel());
        }
        return b.build();
    }
}
