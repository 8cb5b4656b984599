package dev.airlock.lang;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An application prepared ahead of its runs (see {@link CodeInterpreter#runPrepared}): its files, a
 * warm-up snippet whose effect (imported modules, compiled code) is captured once in an image of
 * the interpreter, and a snippet run at the start of every run (a working folder, a path).
 *
 * @param files guest path to content, written into the sandbox before the warm-up (copied)
 * @param warmup run once after the interpreter's start, its output discarded; the image is taken
 *     after it. A warm-up that fails is not captured: runs then start cold (files, then program)
 * @param perRun run before the program in every run (output discarded), or empty
 * @param key what identifies the files and snippets beyond their text (for example the digest of
 *     the signed archive they come from); images are kept under it, with the interpreter's own
 */
public record Prepared(Map<String, byte[]> files, String warmup, String perRun, String key) {
    public Prepared {
        files =
                java.util.Collections.unmodifiableMap(
                        new TreeMap<>(Objects.requireNonNull(files, "files")));
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(perRun, "perRun");
        Objects.requireNonNull(key, "key");
    }
}
