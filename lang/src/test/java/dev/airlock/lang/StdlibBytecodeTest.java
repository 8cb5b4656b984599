package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Limits;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard library's bytecode table ({@code stdlib.pycs}, made by {@code
 * lang/pyc/generate.sh}): every entry matches the source it was compiled from in this Python image
 * (a stale table fails here, asking to regenerate it), imports are served from it, tracebacks still
 * show stdlib source lines, and the table's file is gone from the sandbox before any snippet runs.
 */
class StdlibBytecodeTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    private static Execution python(String code, Policy policy, Capture c) {
        return CI.run(Language.PYTHON, code, policy, c.stdio());
    }

    @Test
    void everyEntryMatchesItsSourceInThisImage(@TempDir Path dir) throws IOException {
        try (InputStream in = PythonInterpreter.class.getResourceAsStream("stdlib.pycs")) {
            Files.write(dir.resolve("stdlib.pycs"), in.readAllBytes());
        }
        Policy p =
                Policy.builder()
                        .mount(new Mount(dir, "/t", Mount.Mode.READ_ONLY))
                        .limits(
                                Limits.builder()
                                        .timeout(Duration.ofMinutes(2))
                                        .maxOutputBytes(1 << 20)
                                        .build())
                        .build();
        Capture c = new Capture();
        Execution e =
                python(
                        String.join(
                                "\n",
                                "import _imp, marshal, zlib, importlib.util",
                                "from importlib import _bootstrap_external as be",
                                "t = marshal.loads(open('/t/stdlib.pycs', 'rb').read())",
                                "assert t['magic'] == importlib.util.MAGIC_NUMBER, t['magic']",
                                "stale, missing = [], []",
                                "for cached, (start, length) in t['index'].items():",
                                "    pyc = zlib.decompress(t['data'][start:start + length])",
                                "    assert pyc[:4] == importlib.util.MAGIC_NUMBER",
                                "    assert int.from_bytes(pyc[4:8], 'little') == 3  # hash, checked",
                                "    src = importlib.util.source_from_cache(cached)",
                                "    try:",
                                "        data = open(src, 'rb').read()",
                                "    except OSError:",
                                "        missing.append(src); continue",
                                "    if _imp.source_hash(be._RAW_MAGIC_NUMBER, data) != pyc[8:16]:",
                                "        stale.append(src)",
                                "print(len(t['index']), 'entries', len(stale), 'stale', len(missing), 'missing')",
                                "print(stale[:5], missing[:5])"),
                        p,
                        c);
        assertThat(c.err()).isEmpty();
        assertThat(e.outcome().status()).as(e.outcome().message()).isEqualTo(Status.OK);
        String[] counts = c.out().lines().findFirst().orElseThrow().split(" ");
        assertThat(Integer.parseInt(counts[0])).isGreaterThan(400);
        assertThat(c.out())
                .as("stdlib.pycs is stale: regenerate it with lang/pyc/generate.sh")
                .contains(" entries 0 stale 0 missing");
    }

    @Test
    void importsAreServedFromTheTableAndTracebacksKeepSource() {
        Capture c = new Capture();
        Execution e =
                python(
                        String.join(
                                "\n",
                                "import os, json, dataclasses, http.client",
                                "print(type(json.__spec__.loader).__name__,"
                                        + " type(http.client.__spec__.loader).__name__)",
                                "print(os.path.exists('/guest/stdlib.pycs'))",
                                "json.loads('{')"),
                        Policy.defaults(),
                        c);
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(c.out()).isEqualTo("StdlibLoader StdlibLoader\nFalse\n");
        // the traceback shows the standard library's own source lines
        assertThat(c.err())
                .contains("json/decoder.py\", line")
                .contains("    obj, end = self.scan_once(s, idx)\n")
                .endsWith(
                        "json.decoder.JSONDecodeError: Expecting property name enclosed in double"
                                + " quotes: line 1 column 2 (char 1)\n");
    }
}
