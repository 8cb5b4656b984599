package dev.airlock.server.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.server.http.Json;
import dev.airlock.skills.Allowance;
import dev.airlock.skills.ImportCheck;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import dev.airlock.skills.SkillRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Installed skills over the API: listing, showing and calling them as the caller's tenant, and
 * installing and removing them with admin keys. Visibility: each skill (all its versions) is seen
 * by the tenants it was installed for over the API, or by every tenant when installed for all (the
 * default, and the case of skills installed with the CLI); admin keys see every skill. A skill a
 * tenant does not see is, for that tenant, not there (404). Calls run like {@code airlock skill
 * run}: the manifest's grant intersected with the server's allowance for skills, limits no higher
 * than the tenant's ceilings, under the tenant's quotas and memory total, recorded like executions;
 * a skill may call the skills it declares ({@link SkillRunner#SKILL_TOOL}), and those calls are
 * recorded as runs of the same tenant linked to their caller's run.
 */
public final class SkillService {
    /** Everybody: the visibility of a skill installed for all tenants. */
    public static final String ALL = Registry.ALL_TENANTS;

    private final Registry registry;
    private final Airlock airlock;
    private final Recorder recorder;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final SkillCalls calls;
    private String seen;

    SkillService(
            Store store,
            Path dataDir,
            Airlock airlock,
            CodeInterpreter interpreter,
            Recorder recorder,
            Allowance allowance,
            Limits defaults,
            Clock clock) {
        this.registry =
                Registry.open(store, dataDir)
                        .onNotice(
                                n ->
                                        System.getLogger("airlock.server")
                                                .log(System.Logger.Level.WARNING, n));
        this.airlock = airlock;
        this.recorder = recorder;
        this.clock = clock;
        this.calls =
                new SkillCalls(
                        registry, airlock, interpreter, recorder, allowance, defaults, clock);
    }

    /** Called after every install and remove (the MCP servers update their tools). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** One tool of a skill, as MCP lists it. */
    public record ToolView(
            String skill, String version, String tool, String description, JsonNode inputSchema) {}

    /** The skills' latest versions, with who may see each. */
    private record Latest(Registry.Entry entry, List<String> versions) {}

    private Map<String, Latest> latest() {
        Map<String, Latest> out = new TreeMap<>();
        try {
            for (Registry.Entry e : registry.list()) {
                Latest before = out.get(e.name());
                List<String> versions =
                        before == null ? new ArrayList<>() : new ArrayList<>(before.versions());
                versions.add(e.version());
                // the list is sorted by version: the last one is the highest
                out.put(e.name(), new Latest(e, versions));
            }
        } catch (SkillException e) {
            throw new UncheckedIOException(new IOException(e.getMessage()));
        }
        return out;
    }

    /** Whether {@code who} sees {@code name}. */
    public boolean visible(Principal who, String name) {
        if (who.admin()) {
            return true;
        }
        List<String> tenants = visibility().get(name);
        return tenants == null || tenants.contains(ALL) || tenants.contains(who.tenant());
    }

    /** The skills {@code who} sees, each at its highest version. */
    public List<Map<String, Object>> list(Principal who) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, List<String>> vis = visibility();
        for (Latest l : latest().values()) {
            Registry.Entry e = l.entry();
            if (!visible(who, e.name())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("version", e.version());
            m.put("versions", l.versions());
            m.put("kind", e.kind());
            m.put("publisher", e.publisher());
            m.put("fingerprint", e.fingerprint());
            manifest(e)
                    .ifPresent(
                            mf -> {
                                m.put("description", mf.description());
                                m.put(
                                        "tools",
                                        mf.tools().stream()
                                                .map(
                                                        t ->
                                                                Map.of(
                                                                        "name",
                                                                        t.name(),
                                                                        "description",
                                                                        t.description()))
                                                .toList());
                            });
            if (who.admin()) {
                m.put("tenants", vis.getOrDefault(e.name(), List.of(ALL)));
            }
            out.add(m);
        }
        return out;
    }

    /** Every tool of every installed skill (latest versions), for the MCP servers. */
    public List<ToolView> allTools() {
        List<ToolView> out = new ArrayList<>();
        for (Latest l : latest().values()) {
            Registry.Entry e = l.entry();
            manifest(e)
                    .ifPresent(
                            mf -> {
                                for (Manifest.ToolSpec t : mf.tools()) {
                                    out.add(
                                            new ToolView(
                                                    e.name(),
                                                    e.version(),
                                                    t.name(),
                                                    mf.description() + ": " + t.description(),
                                                    t.inputSchema()));
                                }
                            });
        }
        return out;
    }

    private java.util.Optional<Manifest> manifest(Registry.Entry e) {
        try {
            return registry.manifest(e);
        } catch (SkillException x) {
            throw new UncheckedIOException(new IOException(x.getMessage()));
        }
    }

    /**
     * One skill: its manifest, versions, publisher key, digest, and the capabilities it declares
     * next to those its module imports.
     *
     * @throws ApiException 404 if not installed or not visible; for a skill that no longer passes
     *     its checks (changed at rest, key no longer trusted), 422 naming the refusal
     */
    public Map<String, Object> show(Principal who, String name, String version) {
        Registry.Installed s = installed(who, name, version);
        Registry.Entry e = s.entry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("version", e.version());
        m.put("versions", latest().get(e.name()).versions());
        m.put("kind", e.kind());
        m.put("publisher", e.publisher());
        m.put("keyId", e.keyId());
        m.put("fingerprint", e.fingerprint());
        m.put("sha256", e.digest());
        m.put("installedAt", e.installedAt());
        try {
            m.put("manifest", Json.MAPPER.readTree(s.files().get(Manifest.FILE)));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        List<Map<String, Object>> imports = new ArrayList<>();
        for (ImportCheck.Need n : s.checked().needs()) {
            imports.add(
                    Map.of(
                            "capability",
                            n.capability(),
                            "imports",
                            n.imports(),
                            "declared",
                            n.declared()));
        }
        m.put("imports", imports);
        if (who.admin()) {
            m.put("tenants", visibility().getOrDefault(e.name(), List.of(ALL)));
        }
        return m;
    }

    /** A skill's signed archive as served for download, and the file name it is served under. */
    public record Archive(String fileName, byte[] bytes) {}

    /**
     * The signed {@code .skill} archive of an installed skill, for another server or CLI to install
     * (which verifies it again against its own trust store). The files are verified again here
     * before they are served: a skill changed at rest or whose key is no longer trusted is not.
     *
     * @throws ApiException 404 if not installed or not visible; 422 naming the refusal
     */
    public Archive archive(Principal who, String name, String version) {
        Registry.Installed s = installed(who, name, version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.files().pack(out);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return new Archive(
                s.entry().name() + "-" + s.entry().version() + SkillFiles.EXTENSION,
                out.toByteArray());
    }

    private Registry.Installed installed(Principal who, String name, String version) {
        if (!Manifest.isName(name) || !visible(who, name)) {
            throw ApiException.notFound("no skill " + name);
        }
        try {
            return registry.get(name, version, airlock);
        } catch (SkillException e) {
            throw problem(e);
        }
    }

    /** The problem a skill exception maps to. */
    static ApiException problem(SkillException e) {
        switch (e.kind()) {
            case NOT_FOUND:
                return ApiException.notFound(e.getMessage());
            case EXISTS:
            case DOWNGRADE:
                return new ApiException(409, "conflict", "Conflict", e.line(), 0);
            case INPUT:
            case ARCHIVE:
            case INVALID:
                return ApiException.badRequest(e.line());
            case IO:
                throw new UncheckedIOException(new IOException(e.getMessage()));
            default:
                return new ApiException(422, "skill-refused", "Skill refused", e.line(), 0);
        }
    }

    /**
     * The result of a skill call: the tool's JSON {@code result} (when it succeeded), and the run
     * as executions give it.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record CallResult(
            String runId,
            String skill,
            String version,
            String tool,
            JsonNode result,
            String problem,
            String status,
            Integer exitCode,
            String kind,
            String message,
            String stdout,
            String stderr,
            ExecutionResult.UsageView usage,
            List<ExecutionResult.DenialView> denials,
            List<String> notes,
            List<Map<String, Object>> calls) {
        /** Whether the tool answered a valid result. */
        public boolean ok() {
            return result != null;
        }
    }

    /**
     * Takes the skill out of the registry (verified again) and sets its allowance.
     *
     * @return the prepared call, or the recorded refusal of a skill that no longer passes its
     *     checks
     * @throws ApiException 404, 400 for a tool that does not exist
     */
    Object prepare(
            Principal who,
            String name,
            String tool,
            String version,
            byte[] input,
            TenantLimits ceiling) {
        if (!Manifest.isName(name) || !visible(who, name)) {
            throw ApiException.notFound("no skill " + name);
        }
        return calls.prepare(who, name, tool, version, input, ceiling);
    }

    /** Runs a prepared call on the calling (worker) thread and records it and its sub-calls. */
    CallResult run(SkillCalls.Prepared p, String tenant) {
        return calls.run(p, tenant);
    }

    /**
     * Installs a {@code .skill} archive (admin keys only) for {@code tenants} (empty: all).
     *
     * @throws ApiException 403, 400 for a bad archive or manifest, 422 for a refused skill
     *     (unsigned, tampered, untrusted, undeclared capability), 409 for a version installed or
     *     lower than the installed one
     */
    public Map<String, Object> install(Principal who, byte[] archive, List<String> tenants) {
        admin(who);
        List<String> vis = tenants == null || tenants.isEmpty() ? List.of(ALL) : tenants;
        for (String t : vis) {
            if (!t.equals(ALL) && !t.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
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
            throw problem(x);
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

    /**
     * Removes a skill's version, or all its versions (admin keys only).
     *
     * @throws ApiException 403, 404
     */
    public List<String> remove(Principal who, String name, String version) {
        admin(who);
        if (!Manifest.isName(name)) {
            throw ApiException.notFound("no skill " + name);
        }
        List<Registry.Entry> gone;
        try {
            gone = registry.remove(name, version);
        } catch (SkillException x) {
            throw problem(x);
        }
        changed();
        return gone.stream().map(Registry.Entry::version).toList();
    }

    /**
     * Tells the listeners when the registry changed through another process since the last look
     * (another server on the same store, or the CLI on the same data folder), so that the MCP
     * servers' tools follow it; the server calls this every few seconds. The first look only
     * remembers what is there.
     */
    public void pollChanges() {
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

    /** Who sees which skill: name to tenants ({@link #ALL} for everyone); absent means all. */
    Map<String, List<String>> visibility() {
        try {
            return registry.visibility();
        } catch (SkillException x) {
            // unreadable: nobody but admins sees anything rather than everybody everything
            throw new UncheckedIOException(new IOException(x.getMessage()));
        }
    }

    /** The registry served. */
    public Registry registry() {
        return registry;
    }
}
