package dev.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Node app using Node's own modules in a box (test resources {@code box/node-builtins}): fs over
 * the box's files (JSON and text, relative to WORKDIR and to {@code __dirname}, listing, stat,
 * ENOENT, a refused write, bytes, promises), path, os, util.format, events and assert give what
 * node gives (checked in as {@code expected.txt}, and compared with node where it is installed);
 * the one difference is the write, which node performs and a box refuses as a read-only file
 * system.
 */
class BoxNodeBuiltinsTest {
    @TempDir Path tmp;

    @Test
    void nodeModulesWorkOverTheBoxsFiles() throws Exception {
        givesWhatNodeGives("node-builtins", null);
    }

    /**
     * fs's writable layer ({@code box/node-fs}): files written, appended, copied, renamed and
     * removed, folders made (recursively too) and removed, listings, stats and Node's error codes,
     * in the sync, callback and promises forms, as node gives them.
     */
    @Test
    void fsWritesGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-fs", null);
    }

    /**
     * Buffer and crypto ({@code box/node-crypto}): hashes and HMACs of known inputs (md5, sha1,
     * sha256, sha512), encodings, buffer helpers and randomness's shape give what node gives.
     */
    @Test
    void bufferAndCryptoGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-crypto", null);
    }

    /**
     * Standard input ({@code box/node-stdin}): readline's line and close events over process.stdin,
     * and string_decoder across a split character, give what node gives.
     */
    @Test
    void readlineOverStandardInputGivesWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-stdin", "input.txt");
    }

    /**
     * stream ({@code box/node-stream}): pipeline (callback and promises), Transform with flush,
     * async iteration, object mode, paused mode, pipe, a failing transform and finished give what
     * node gives.
     */
    @Test
    void streamsGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-stream", null);
    }

    /**
     * zlib ({@code box/node-zlib}): deflate, zlib, gzip and unzip round trips at levels 0, 1, 6 and
     * 9 (empty, short, text, pseudo-random bytes), of 200 KB of repetitive text and of data that
     * needs several blocks; gzip, zlib, raw and dictionary data that node compressed and a gzip
     * header with every field; crc32; zlib's errors for corrupt and hostile data (a huge stored
     * block, endless blocks, a code-length table that runs past its end, random bytes, a bomb over
     * maxOutputLength); the callback and promisified forms; streams through pipeline: all give what
     * node gives.
     */
    @Test
    void zlibGivesWhatNodeGives() throws Exception {
        // compressing 200 KB in the interpreter takes seconds: more than a run's default 10 s
        // on a busy machine
        givesWhatNodeGives("node-zlib", null, "app.js", "--timeout", "120s");
    }

    /**
     * An ES module app ({@code box/node-esm}): named, default and namespace imports, re-exports and
     * {@code export *}, a {@code "type": "module"} package with an {@code exports} map and a
     * subpath, a CommonJS package imported from ESM, JSON with an import attribute, a side-effect
     * import, {@code import()} of ESM and CommonJS, {@code import.meta.url}, and import and export
     * words inside strings, templates and regular expressions.
     */
    @Test
    void esModulesGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-esm", null, "app.mjs");
    }

    /**
     * process, timers, timers/promises (with an abort and an async interval), tty, perf_hooks and
     * console as modules, and the order of timers, immediates, promise jobs and nextTick ({@code
     * box/node-timers}).
     */
    @Test
    void timersAndProcessGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-timers", null);
    }

    /** url (parse, format, resolve, URL, file URLs) and querystring ({@code box/node-url}). */
    @Test
    void urlAndQuerystringGiveWhatNodeGives() throws Exception {
        givesWhatNodeGives("node-url", null);
    }

    /**
     * Builds the test app {@code name} into a box (no warning about a Node module), runs it with
     * {@code stdin} (a file of the app, or none) and checks its output against the app's {@code
     * expected.txt}, which is node's own (and against node itself where it is installed).
     */
    private void givesWhatNodeGives(String name, String stdin) throws Exception {
        givesWhatNodeGives(name, stdin, "app.js");
    }

    /** As above, with the entry file {@code main} and options for {@code box run}. */
    private void givesWhatNodeGives(String name, String stdin, String main, String... runOptions)
            throws Exception {
        Path app = BoxCliTest.APPS.resolve(name);
        String data = "--data=" + tmp.resolve("data");
        CliHarness.ok("skill", "keys", "create", "acme", "--trust", data);
        Path ctx = tmp.resolve(name);
        copy(app, ctx);
        Path box = tmp.resolve(name + ".box");
        CliHarness.Result b =
                CliHarness.run(
                        "box",
                        "build",
                        ctx.toString(),
                        "-o",
                        box.toString(),
                        "--key",
                        "acme",
                        data);
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).doesNotContain("requires Node's built-in");
        Path input = stdin == null ? null : app.resolve(stdin);
        List<String> run = new ArrayList<>(List.of("box", "run", data));
        run.addAll(List.of(runOptions));
        if (input != null) {
            run.addAll(List.of("--stdin", input.toString()));
        }
        run.add(box.toString());
        CliHarness.Result r = CliHarness.run(run.toArray(new String[0]));
        assertThat(r.code()).as(r.err() + r.guestErr()).isZero();
        String expected = Files.readString(app.resolve("expected.txt"));
        assertThat(r.guestOut()).isEqualTo(expected);
        String nativeOut = BoxCliTest.natively(ctx, input, null, "node", main);
        if (nativeOut != null) {
            assertThat(expected).isEqualTo(nativeOut);
        }
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals("expected.txt")) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
