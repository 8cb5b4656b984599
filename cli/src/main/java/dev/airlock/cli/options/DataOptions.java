package dev.airlock.cli.options;

import dev.airlock.cli.Invocation;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Airlock keeps its data: the audit signing key, and the store of runs and events. */
public final class DataOptions {
    /** The {@code --data} folder as given, or null. */
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Data folder (keys, store). Default: $AIRLOCK_DATA, else ~/.airlock.")
    public Path data;

    /** The data folder: {@code --data}, else {@code $AIRLOCK_DATA}, else {@code ~/.airlock}. */
    public Path dir() {
        if (data != null) {
            return data;
        }
        Invocation where = Invocation.current();
        String env = where.env("AIRLOCK_DATA");
        if (env != null && !env.isBlank()) {
            return where.path(env);
        }
        return Path.of(System.getProperty("user.home"), ".airlock");
    }
}
