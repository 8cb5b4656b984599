package dev.airlock.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where Airlock keeps its data: the audit signing key, and the store of runs and events. */
final class DataOptions {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Data folder (keys, store). Default: $AIRLOCK_DATA, else ~/.airlock.")
    Path data;

    Path dir() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("AIRLOCK_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".airlock");
    }
}
