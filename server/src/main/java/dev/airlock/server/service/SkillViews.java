package dev.airlock.server.service;

import dev.airlock.audit.store.Principal;
import dev.airlock.core.Airlock;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.http.Json;
import dev.airlock.skills.ImportCheck;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SkillService} shows of the installed skills: the list a caller sees, every tool for
 * the MCP servers, one skill with its manifest and imports, its signed archive, and who sees which
 * skill.
 */
final class SkillViews {
    private final Registry registry;
    private final Airlock airlock;

    SkillViews(Registry registry, Airlock airlock) {
        this.registry = registry;
        this.airlock = airlock;
    }

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

    /** See {@link SkillService#visible}. */
    boolean visible(Principal who, String name) {
        if (who.admin()) {
            return true;
        }
        List<String> tenants = visibility().get(name);
        return tenants == null
                || tenants.contains(SkillService.ALL)
                || tenants.contains(who.tenant());
    }

    /** See {@link SkillService#list}. */
    List<Map<String, Object>> list(Principal who) {
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
                m.put("tenants", vis.getOrDefault(e.name(), List.of(SkillService.ALL)));
            }
            out.add(m);
        }
        return out;
    }

    /** See {@link SkillService#allTools}. */
    List<SkillService.ToolView> allTools() {
        List<SkillService.ToolView> out = new ArrayList<>();
        for (Latest l : latest().values()) {
            Registry.Entry e = l.entry();
            manifest(e)
                    .ifPresent(
                            mf -> {
                                for (Manifest.ToolSpec t : mf.tools()) {
                                    out.add(
                                            new SkillService.ToolView(
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

    /** See {@link SkillService#show}. */
    Map<String, Object> show(Principal who, String name, String version) {
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
            m.put("tenants", visibility().getOrDefault(e.name(), List.of(SkillService.ALL)));
        }
        return m;
    }

    /** See {@link SkillService#archive}. */
    SkillService.Archive archive(Principal who, String name, String version) {
        Registry.Installed s = installed(who, name, version);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            s.files().pack(out);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return new SkillService.Archive(
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
            throw SkillService.problem(e);
        }
    }

    /**
     * Who sees which skill: name to tenants ({@link SkillService#ALL} for everyone); absent means
     * all.
     */
    Map<String, List<String>> visibility() {
        try {
            return registry.visibility();
        } catch (SkillException x) {
            // unreadable: nobody but admins sees anything rather than everybody everything
            throw new UncheckedIOException(new IOException(x.getMessage()));
        }
    }
}
