package dev.airlock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Sightglass benchmark: its name and module; it runs in the module's folder, which holds its
 * input and expected output.
 */
record SightglassBench(String name, Path wasm) {
    Path folder() {
        return wasm.getParent();
    }

    /** The module's file name without {@code .wasm}. */
    String base() {
        String f = wasm.getFileName().toString();
        return f.substring(0, f.length() - ".wasm".length());
    }

    /**
     * The benchmarks of {@code dir}: {@code NAME/benchmark.wasm} and {@code
     * shootout/shootout-*.wasm}, sorted by name, those whose name {@code filter} finds (all when it
     * is null).
     */
    static List<SightglassBench> discover(Path dir, Pattern filter) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no Sightglass folder at " + dir.toAbsolutePath());
        }
        List<SightglassBench> all = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dir)) {
            for (Path f : folders.sorted().toList()) {
                Path wasm = f.resolve("benchmark.wasm");
                if (Files.isRegularFile(wasm)) {
                    all.add(new SightglassBench(f.getFileName().toString(), wasm));
                }
            }
        }
        Path shootout = dir.resolve("shootout");
        if (Files.isDirectory(shootout)) {
            try (Stream<Path> files = Files.list(shootout)) {
                for (Path w : files.sorted().toList()) {
                    String n = w.getFileName().toString();
                    if (n.startsWith("shootout-") && n.endsWith(".wasm")) {
                        all.add(new SightglassBench(n.substring(0, n.length() - 5), w));
                    }
                }
            }
        }
        if (filter != null) {
            all.removeIf(b -> !filter.matcher(b.name()).find());
        }
        return all;
    }
}
