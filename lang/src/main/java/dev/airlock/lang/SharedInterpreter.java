package dev.airlock.lang;

/**
 * The interpreter of the {@link CodeTool}s built without one ({@link
 * CodeTool#sharedInterpreter()}): made on first use of this class, one per process, never closed,
 * with its caches in the folder named by {@value CodeTool#CACHE_DIR_PROPERTY} or {@code
 * AIRLOCK_CACHE_DIR} when either is set.
 */
final class SharedInterpreter {
    static final CodeInterpreter INTERPRETER = make();

    private SharedInterpreter() {}

    private static CodeInterpreter make() {
        String dir = System.getProperty(CodeTool.CACHE_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("AIRLOCK_CACHE_DIR");
        }
        if (dir == null || dir.isBlank()) {
            return CodeInterpreter.create();
        }
        java.nio.file.Path root = java.nio.file.Path.of(dir);
        return CodeInterpreter.builder()
                .airlock(
                        dev.airlock.core.Airlock.builder()
                                .diskCache(root.resolve("modules"))
                                .build())
                .imageCache(root.resolve("images"))
                .build();
    }
}
