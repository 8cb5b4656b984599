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
        Invocation where = Invocation.current();
        String env = where.env("AIRLOCK_DATA");
        if (env != null && !env.isBlank()) {
            return where.path(env);
        }
        return Path.of(System.getProperty("user.home"), ".airlock");
    }
}
