package dev.airlock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A Sightglass benchmark's expected output, and what tells a run's output from it. */
final class SightglassOutput {
    private SightglassOutput() {}

    /** {@code <base>.X.expected}, else {@code benchmark.X.expected}, else {@code default.X...}. */
    static byte[] expected(SightglassBench b, String stream) throws IOException {
        for (String prefix : List.of(b.base(), "benchmark", "default")) {
            Path p = b.folder().resolve(prefix + "." + stream + ".expected");
            if (Files.isRegularFile(p)) {
                return Files.readAllBytes(p);
            }
        }
        return null;
    }

    /** Where {@code actual} first differs from {@code expected}, in one line. */
    static String diff(String stream, byte[] expected, byte[] actual) {
        String e = new String(expected, StandardCharsets.UTF_8);
        String a = new String(actual, StandardCharsets.UTF_8);
        int i = 0;
        while (i < e.length() && i < a.length() && e.charAt(i) == a.charAt(i)) {
            i++;
        }
        return String.format(
                Locale.ROOT,
                "%s: %d bytes expected, %d got, first difference at %d: expected '%s', got '%s'",
                stream,
                expected.length,
                actual.length,
                i,
                snippet(e, i),
                snippet(a, i));
    }

    private static String snippet(String s, int at) {
        return s.substring(at, Math.min(s.length(), at + 40)).replace("\n", "\\n");
    }
}
