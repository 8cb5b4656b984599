package dev.airlock.skills;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestModule;
import dev.airlock.core.ModuleInfo;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import java.util.List;

/**
 * Everything a skill must pass before it is installed or run: a valid manifest, a signature that
 * holds by a trusted publisher's key, and for a wasm skill a valid module whose imports need only
 * what the manifest declares.
 */
public final class SkillCheck {
    private SkillCheck() {}

    /**
     * A skill that passed.
     *
     * @param module the loaded module of a wasm skill, else {@code null}
     * @param needs what the module's imports need (empty for interpreter skills, whose reach is the
     *     policy's alone)
     */
    public record Checked(
            Manifest manifest,
            Signatures.Verified signature,
            GuestModule module,
            List<ImportCheck.Need> needs) {}

    /** Verifies the signature, then {@linkplain #inspect inspects} the code. */
    public static Checked check(SkillFiles files, TrustStore trust, Airlock airlock)
            throws SkillException {
        Signatures.Verified v = Signatures.verify(files, trust);
        Checked c = inspect(files, airlock);
        ImportCheck.enforce(c.needs(), c.manifest());
        if (c.manifest().limits().fuel() != null
                && c.needs().stream()
                        .flatMap(n -> n.imports().stream())
                        .anyMatch(i -> i.startsWith(SkillRunner.TOOL_MODULE + "."))) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    c.manifest().name()
                            + ": a wasm skill that calls tools or skills ("
                            + SkillRunner.TOOL_MODULE
                            + ") runs unmetered and cannot declare limits.fuel");
        }
        return new Checked(c.manifest(), v, c.module(), c.needs());
    }

    /**
     * Validates the manifest and loads a wasm entry, listing what its imports need; checks no
     * signature and enforces nothing (for {@code show} and {@code verify}'s report).
     */
    public static Checked inspect(SkillFiles files, Airlock airlock) throws SkillException {
        Manifest m = files.manifest();
        if (m.entry().kind() == Manifest.Entry.Kind.COMPONENT) {
            return new Checked(
                    m, null, null, ComponentSkill.needs(ComponentSkill.load(files, m), m));
        }
        if (m.entry().kind() != Manifest.Entry.Kind.WASM) {
            return new Checked(m, null, null, List.of());
        }
        GuestModule module;
        try {
            module = airlock.load(files.get(m.entry().file()));
        } catch (ModuleRejectedException e) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    m.entry().file() + ": module rejected: " + e.getMessage());
        }
        List<ModuleInfo.Import> imports;
        try {
            imports = airlock.imports(module, Policy.defaults()); // compiles nothing
        } catch (ModuleRejectedException e) {
            throw new SkillException(
                    SkillException.Kind.INVALID,
                    m.entry().file() + ": module rejected: " + e.getMessage());
        }
        return new Checked(m, null, module, ImportCheck.needs(imports, m, files));
    }
}
