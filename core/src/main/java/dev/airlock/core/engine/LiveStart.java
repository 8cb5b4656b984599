package dev.airlock.core.engine;

import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Policy;
import dev.airlock.core.Snapshot;
import dev.airlock.core.engine.module.CompiledModule;
import dev.airlock.core.engine.module.Inspector;
import dev.airlock.core.engine.run.Outcomes;
import dev.airlock.core.time.Ticker;
import dev.airlock.core.vfs.GuestFiles;
import dev.airlock.core.vfs.VirtualFileSystem;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link LiveInstance#create} does before the instance exists: admits the module under the
 * policy, prepares the virtual filesystem and fills it, from the setup or from a snapshot.
 */
final class LiveStart {
    private LiveStart() {}

    /**
     * Refuses a module the policy cannot run (recorded as a rejected run, as a one-shot run's would
     * be) and a snapshot taken from another module.
     *
     * @throws ModuleRejectedException with the first problem found
     */
    static void admit(
            WasmModule module,
            String sha256,
            Policy policy,
            InstanceSetup setup,
            Ticker ticker,
            Clock clock,
            Snapshot from)
            throws ModuleRejectedException {
        List<String> problems = LiveImports.problems(module, policy, setup);
        if (!problems.isEmpty()) {
            Outcomes.rejected(
                    LiveImports.mediator(sha256, policy, setup, clock, ticker),
                    Inspector.reason(problems.get(0)),
                    problems.get(0),
                    sha256);
            throw new ModuleRejectedException(
                    Inspector.reason(problems.get(0)), problems.get(0), sha256);
        }
        if (from != null && !from.moduleSha256().equals(sha256)) {
            throw new ModuleRejectedException(
                    "snapshot-mismatch",
                    "the snapshot was taken from module " + from.moduleSha256(),
                    sha256);
        }
    }

    /**
     * The instance's filesystem: the policy's mounts, under one root when the setup asks for it.
     *
     * @throws ModuleRejectedException ({@code mounts}) when a mount cannot be prepared
     */
    static VirtualFileSystem fileSystem(CompiledModule cm, Policy policy, InstanceSetup setup)
            throws ModuleRejectedException {
        try {
            return setup.singleRoot()
                    ? VirtualFileSystem.createRoot(policy.mounts(), policy.limits())
                    : VirtualFileSystem.create(policy.mounts(), policy.limits());
        } catch (IOException | RuntimeException e) {
            throw new ModuleRejectedException(
                    "mounts", "cannot prepare mounts: " + e.getMessage(), cm.sha256(), e);
        }
    }

    /**
     * Fills {@code vfs}: a fresh instance gets the setup's folders, files and tool device; a
     * restored one the snapshot's files, which replace seeded ones of the same path (one pass, one
     * count), plus the seeded files the snapshot has not.
     */
    static void seed(VirtualFileSystem vfs, InstanceSetup setup, Snapshot from) throws IOException {
        GuestFiles gf = new GuestFiles(vfs);
        if (from == null) {
            List<Snapshot.Entry> seeded = new ArrayList<>();
            for (String d : setup.directories()) {
                seeded.add(new Snapshot.Entry(d, null));
            }
            setup.files().forEach((p, c) -> seeded.add(new Snapshot.Entry(p, c)));
            load(vfs, gf, setup, seeded);
            if (setup.toolDevice() != null) {
                gf.write(setup.toolDevice(), new byte[0]);
            }
            return;
        }
        List<Snapshot.Entry> entries = new ArrayList<>();
        if (setup.toolDevice() != null) {
            entries.add(new Snapshot.Entry(setup.toolDevice(), new byte[0]));
        }
        entries.addAll(from.files());
        // seeded files the snapshot has not are added (and join its shared folders)
        Map<String, Snapshot.Entry> byPath = new LinkedHashMap<>();
        for (Snapshot.Entry e : entries) {
            byPath.put(e.path(), e);
        }
        setup.files().forEach((p, c) -> byPath.putIfAbsent(p, new Snapshot.Entry(p, c)));
        load(vfs, gf, setup, List.copyOf(byPath.values()));
    }

    /**
     * Shows the entries under each shared folder from a shared volume and writes the rest into the
     * instance's own volumes.
     */
    private static void load(
            VirtualFileSystem vfs, GuestFiles gf, InstanceSetup setup, List<Snapshot.Entry> entries)
            throws IOException {
        for (String folder : setup.sharedFolders()) {
            vfs.attachShared(folder, GuestFiles.sharing(folder, entries));
        }
        gf.load(entries);
    }

    /** The details of the instance's first lifecycle event (started or restored). */
    static Map<String, Object> details(
            Policy policy, InstanceSetup setup, boolean restored, boolean movedStack) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("restored", restored);
        if (setup.shadowStackBytes() > 0) {
            d.put("shadowStack", movedStack ? setup.shadowStackBytes() : 0);
        }
        d.put("grants", Grants.of(policy));
        if (setup.sessionId() != null) {
            d.put("session", setup.sessionId());
        }
        return d;
    }

    /** Carries a rejection out of the instantiation lambda. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ModuleRejectedException rejection;

        Rejected(ModuleRejectedException rejection) {
            super(rejection.getMessage());
            this.rejection = rejection;
        }
    }
}
