package dev.airlock.cli.component;

import dev.airlock.components.Component;
import dev.airlock.components.ComponentException;
import dev.airlock.components.ComponentInstance;
import dev.airlock.components.ComponentResult;
import dev.airlock.core.Airlock;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code airlock run COMPONENT}: a WebAssembly component that exports {@code wasi:cli/run} runs as
 * a command, with WASI 0.2 over the same policy as a module's preview 1.
 */
public final class ComponentRun {
    private ComponentRun() {}

    /** Runs the component in {@code file} as a command; a refused one is an outcome. */
    public static Outcome run(
            Airlock airlock, Path file, Policy policy, Stdio stdio, EventSink events)
            throws IOException {
        Component component;
        try {
            component = Component.load(file);
        } catch (ComponentException e) {
            return ComponentResult.refused(e.getMessage(), null);
        }
        try (ComponentInstance ci = ComponentInstance.create(airlock, component, policy, events)) {
            return ci.runCommand(stdio);
        } catch (ComponentException e) {
            return ComponentResult.refused(e.getMessage(), component.sha256());
        } catch (ModuleRejectedException e) {
            return ComponentResult.refused(e.getMessage(), component.sha256());
        }
    }
}
