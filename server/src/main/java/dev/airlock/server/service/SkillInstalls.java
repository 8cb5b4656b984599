package dev.airlock.server.service;

import dev.airlock.audit.store.Principal;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.server.api.ApiException;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The changes of {@link SkillService}'s registry: installs and removals with admin keys (a refused
 * install recorded as a rejected run), and the listeners told of every change, made here or through
 * another process.
 */
final class SkillInstalls {
    private final Registry registry;
    private final Airlock airlock;
    private final Recorder recorder;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private String seen;

    SkillInstalls(Registry registry, Airlock airlock, Recorder recorder, Clock clock) {
        this.registry = registry;
        this.airlock = airlock;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** See {@link SkillService#onChange}. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** See {@link SkillService#install}. */
    Map<String, Object> install(Principal who, byte[] archive, List<String> tenants) {
        admin(who);
        List<String> vis =
                tenants == null || tenants.isEmpty() ? List.of(SkillService.ALL) : tenants;
        for (String t : vis) {
            if (!t.equals(SkillService.ALL) && !t.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                throw ApiException.badRequest("tenant: bad name '" + t + "'");
            }
        }
        Registry.Entry e;
        List<String> seenBy;
        try {
            SkillFiles files =
                    SkillFiles.readArchive(new ByteArrayInputStream(archive), "the archive");
            seenBy = Registry.tenants(vis);
            e = registry.install(files, false, airlock, seenBy);
        } catch (SkillException x) {
            if (x.refusal()) {
                recordInstallRefusal(who, x);
            }
            throw SkillService.problem(x);
        }
        changed();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("version", e.version());
        m.put("publisher", e.publisher());
        m.put("fingerprint", e.fingerprint());
        m.put("sha256", e.digest());
        m.put("tenants", seenBy);
        return m;
    }

    /**
     * A skill refused at install (unsigned, tampered, untrusted, undeclared capability, a
     * downgrade, an invalid archive) recorded as a rejected run, reason {@code install-KIND}, so
     * the audit trail shows every refusal.
     */
    private void recordInstallRefusal(Principal who, SkillException x) {
        RunCapture capture = recorder.capture();
        Instant started = clock.instant();
        String reason = "install-" + x.kind().name().toLowerCase(java.util.Locale.ROOT);
        Outcome o = airlock.rejected(new ModuleRejectedException(reason, x.line(), null), capture);
        recorder.record(capture, o, started, clock.instant(), who.tenant(), null);
    }

    /** See {@link SkillService#remove}. */
    List<String> remove(Principal who, String name, String version) {
        admin(who);
        if (!Manifest.isName(name)) {
            throw ApiException.notFound("no skill " + name);
        }
        List<Registry.Entry> gone;
        try {
            gone = registry.remove(name, version);
        } catch (SkillException x) {
            throw SkillService.problem(x);
        }
        changed();
        return gone.stream().map(Registry.Entry::version).toList();
    }

    /** See {@link SkillService#pollChanges}. */
    void pollChanges() {
        String now;
        try {
            StringBuilder sb = new StringBuilder();
            for (Registry.Entry e : registry.list()) {
                sb.append(e.name()).append('@').append(e.version()).append(' ');
                sb.append(e.digest()).append('\n');
            }
            now = sb.append(registry.visibility()).toString();
        } catch (SkillException x) {
            return; // the next look tries again
        }
        String before;
        synchronized (this) {
            before = seen;
            seen = now;
        }
        if (before != null && !before.equals(now)) {
            changed();
        }
    }

    private void changed() {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException x) {
                System.getLogger("airlock.server")
                        .log(System.Logger.Level.WARNING, "skill listener failed", x);
            }
        }
    }

    private static void admin(Principal who) {
        if (!who.admin()) {
            throw ApiException.forbidden("installing and removing skills needs an admin key");
        }
    }
}
