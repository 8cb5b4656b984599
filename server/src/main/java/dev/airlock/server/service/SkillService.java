package dev.airlock.server.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.audit.store.Principal;
import dev.airlock.audit.store.Store;
import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Airlock;
import dev.airlock.core.Limits;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.ExecutionResult;
import dev.airlock.skills.Allowance;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

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
    private final SkillCalls calls;
    private final SkillViews views;
    private final SkillInstalls installs;

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
        this.calls =
                new SkillCalls(
                        registry, airlock, interpreter, recorder, allowance, defaults, clock);
        this.views = new SkillViews(registry, airlock);
        this.installs = new SkillInstalls(registry, airlock, recorder, clock);
    }

    /** Called after every install and remove (the MCP servers update their tools). */
    public void onChange(Runnable listener) {
        installs.onChange(listener);
    }

    /** One tool of a skill, as MCP lists it. */
    public record ToolView(
            String skill, String version, String tool, String description, JsonNode inputSchema) {}

    /** Whether {@code who} sees {@code name}. */
    public boolean visible(Principal who, String name) {
        return views.visible(who, name);
    }

    /** The skills {@code who} sees, each at its highest version. */
    public List<Map<String, Object>> list(Principal who) {
        return views.list(who);
    }

    /** Every tool of every installed skill (latest versions), for the MCP servers. */
    public List<ToolView> allTools() {
        return views.allTools();
    }

    /**
     * One skill: its manifest, versions, publisher key, digest, and the capabilities it declares
     * next to those its module imports.
     *
     * @throws ApiException 404 if not installed or not visible; for a skill that no longer passes
     *     its checks (changed at rest, key no longer trusted), 422 naming the refusal
     */
    public Map<String, Object> show(Principal who, String name, String version) {
        return views.show(who, name, version);
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
        return views.archive(who, name, version);
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
        return installs.install(who, archive, tenants);
    }

    /**
     * Removes a skill's version, or all its versions (admin keys only).
     *
     * @throws ApiException 403, 404
     */
    public List<String> remove(Principal who, String name, String version) {
        return installs.remove(who, name, version);
    }

    /**
     * Tells the listeners when the registry changed through another process since the last look
     * (another server on the same store, or the CLI on the same data folder), so that the MCP
     * servers' tools follow it; the server calls this every few seconds. The first look only
     * remembers what is there.
     */
    public void pollChanges() {
        installs.pollChanges();
    }

    /** The registry served. */
    public Registry registry() {
        return registry;
    }
}
