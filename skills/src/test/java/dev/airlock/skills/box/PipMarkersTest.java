package dev.airlock.skills.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Execution;
import dev.airlock.lang.Language;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Environment markers (PEP 508) as the sandbox's Python answers them. */
class PipMarkersTest {
    private static boolean holds(String marker) {
        return PipMarkers.holds(marker, PipMarkers.SANDBOX);
    }

    @Test
    void versionsCompareAsVersionsAndOtherValuesAsStrings() {
        assertThat(holds("python_version >= \"3.8\"")).isTrue();
        // as strings "3.13" < "3.8"; as versions it is not
        assertThat(holds("python_version < '3.8'")).isFalse();
        assertThat(holds("python_version < \"3.14\"")).isTrue();
        assertThat(holds("python_full_version == '3.13.*'")).isTrue();
        assertThat(holds("python_full_version != '3.13.*'")).isFalse();
        assertThat(holds("python_version ~= '3.10'")).isTrue();
        assertThat(holds("'3.9' < python_version")).isTrue();
        assertThat(holds("sys_platform == 'win32'")).isFalse();
        assertThat(holds("sys_platform != \"win32\"")).isTrue();
        assertThat(holds("platform_machine == 'wasm32'")).isTrue();
        assertThat(holds("implementation_name == 'pypy'")).isFalse();
        assertThat(holds("platform_python_implementation === 'CPython'")).isTrue();
        assertThat(holds("'linux' in sys_platform")).isFalse();
        assertThat(holds("'wa' in sys_platform")).isTrue();
        assertThat(holds("'win' not in sys_platform")).isTrue();
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() {
        assertThat(holds("os_name == 'nt' or os_name == 'posix' and python_version >= '3'"))
                .isTrue();
        assertThat(holds("(os_name == 'nt' or os_name == 'posix') and python_version < '3'"))
                .isFalse();
        assertThat(holds("os_name == 'nt' or (sys_platform == 'wasi' and extra == '')")).isTrue();
        // no extra is installed
        assertThat(holds("extra == \"test\"")).isFalse();
        assertThat(holds("python_version >= '3' and extra == 'docs'")).isFalse();
    }

    @Test
    void aMalformedMarkerIsRefusedByName() {
        for (String bad :
                List.of(
                        "",
                        "python_version",
                        "python_version >= ",
                        "python_version >> '3'",
                        "python_version >= '3",
                        "nonsense == '1'",
                        "os_name == 'posix' and",
                        "(os_name == 'posix'",
                        "os_name == 'posix')",
                        "os_name == 'posix' os_name",
                        "os_name not 'posix'",
                        "os_name ~= 'posix'",
                        "os_name == 'posix' or bogus == '1'",
                        "os_name == posix;")) {
            assertThatThrownBy(() -> holds(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theSandboxValuesAreWhatTheBundledPythonReports() {
        String code =
                "import os, sys, platform\n"
                        + "v = dict(os_name=os.name, sys_platform=sys.platform,"
                        + " platform_machine=platform.machine(),"
                        + " platform_python_implementation=platform.python_implementation(),"
                        + " platform_release=platform.release(), platform_system=platform.system(),"
                        + " platform_version=platform.version(),"
                        + " python_version='.'.join(platform.python_version_tuple()[:2]),"
                        + " python_full_version=platform.python_version(),"
                        + " implementation_name=sys.implementation.name,"
                        + " implementation_version=platform.python_version(), extra='')\n"
                        + "for k in sorted(v): print(k + '=' + v[k])\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> reported = new TreeMap<>();
        try (CodeInterpreter ci = CodeInterpreter.create()) {
            Execution e = ci.run(Language.PYTHON, code, Policy.defaults(), Stdio.of(out, err));
            assertThat(e.outcome().status())
                    .as(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo(Status.OK);
        }
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            reported.put(line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(reported).isEqualTo(new TreeMap<>(PipMarkers.SANDBOX));
    }
}
