package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The standard library's zip ({@code runtimes/python/build.sh}): every module's bytecode matches
 * its source in the zip (a stale or foreign .pyc fails here), imports take the bytecode, and
 * tracebacks still show the library's source lines.
 */
class StdlibZipTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    static final Policy POLICY =
            Policy.builder()
                    .limits(
                            Limits.builder()
                                    .timeout(Duration.ofMinutes(2))
                                    .maxOutputBytes(1 << 20)
                                    .build())
                    .build();

    @AfterAll
    static void close() {
        CI.close();
    }

    private static Capture python(String... lines) {
        Capture c = new Capture();
        Execution e = CI.run(Language.PYTHON, String.join("\n", lines), POLICY, c.stdio());
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        return c;
    }

    @Test
    void everyModuleHasBytecodeMatchingItsSource() {
        Capture c =
                python(
                        "import _imp, zipfile, importlib.util",
                        "from importlib import _bootstrap_external as be",
                        "z = zipfile.ZipFile('" + PythonInterpreter.STDLIB + "')",
                        "names = set(z.namelist())",
                        "sources = [n for n in names if n.endswith('.py')",
                        "           and not n.startswith('tzdata/')]",
                        "bad, missing = [], []",
                        "for n in sources:",
                        "    if n[:-3] + '.pyc' not in names:",
                        "        missing.append(n)",
                        "        continue",
                        "    pyc = z.read(n[:-3] + '.pyc')",
                        "    h = _imp.source_hash(be._RAW_MAGIC_NUMBER, z.read(n))",
                        "    if pyc[:4] != importlib.util.MAGIC_NUMBER or pyc[4:8] != b'\\x01\\0\\0\\0'"
                                + " or pyc[8:16] != h:",
                        "        bad.append(n)",
                        "print(len(sources), len(missing), bad)");
        String[] out = c.out().trim().split(" ", 3);
        assertThat(Integer.parseInt(out[0])).isGreaterThan(500);
        // the few without bytecode are files no import can compile (test data, templates)
        assertThat(Integer.parseInt(out[1])).isLessThan(10);
        assertThat(out[2]).isEqualTo("[]");
    }

    @Test
    void importsTakeTheBytecodeAndTracebacksShowTheSource() {
        Capture c =
                python(
                        "import sys, zipimport",
                        "importer = zipimport.zipimporter('"
                                + PythonInterpreter.STDLIB
                                + "/json/')",
                        "code, package, path = zipimport._get_module_code(importer, 'json.decoder')",
                        "print(path.endswith('json/decoder.pyc'), code.co_filename)",
                        "import json, traceback",
                        "try:",
                        "    json.loads('{')",
                        "except ValueError:",
                        "    print(traceback.format_exc())");
        assertThat(c.out())
                .startsWith("True " + PythonInterpreter.STDLIB + "/json/decoder.py\n")
                .contains("json/decoder.py\", line")
                .contains("obj, end = self.scan_once(s, idx)");
    }
}
