package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party packages and the import path: package folders mounted under /packages, PYTHONPATH,
 * the working folder; and the names programs go by (tracebacks, sys.argv, __file__).
 */
class PythonPackagesTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @TempDir Path dir;

    @AfterAll
    static void close() {
        CI.close();
    }

    private static Execution run(Policy policy, Program program, Capture c) {
        return CI.run(
                Language.PYTHON,
                program,
                policy,
                c.stdio(),
                dev.airlock.core.event.EventSink.none(),
                Map.of());
    }

    private Path pkg(String folder, String module, String source) throws IOException {
        Path p = dir.resolve(folder).resolve(module);
        Files.createDirectories(p);
        Files.writeString(p.resolve("__init__.py"), source);
        return dir.resolve(folder);
    }

    @Test
    void aPackageFolderIsImportableAfterTheStandardLibrary() throws IOException {
        Path site = pkg("site", "greeting", "def hello(n):\n    return 'hello ' + n\n");
        // a package that shadows a standard module loses to the standard library, as in python3
        Files.writeString(site.resolve("colorsys.py"), "raise RuntimeError('shadowed')\n");
        Policy p = Policy.builder().mount(PythonPackages.mount(site, "site")).build();
        Capture c = new Capture();
        Execution e =
                run(
                        p,
                        Program.of(
                                "import greeting, colorsys, sys\n"
                                        + "print(greeting.hello('pkg'),"
                                        + " colorsys.__file__.split('/')[-2])\n"
                                        + "print(sys.path.index('/packages/site') >"
                                        + " sys.path.index('/usr/local/lib/python313.zip'))"),
                        c);
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        assertThat(c.out()).isEqualTo("hello pkg python313.zip\nTrue\n");
    }

    @Test
    void aPackageFolderCannotBeChangedByTheGuest() throws IOException {
        Path site = pkg("site", "victim", "VALUE = 1\n");
        Policy p = Policy.builder().mount(PythonPackages.mount(site, "a")).build();
        Capture c = new Capture();
        run(
                p,
                Program.of(
                        "try:\n"
                                + "    open('/packages/a/victim/__init__.py', 'w').write('VALUE = 2')\n"
                                + "    print('written')\n"
                                + "except OSError as e:\n"
                                + "    print('refused', e.errno)\n"
                                + "import victim\n"
                                + "print(victim.VALUE)"),
                c);
        assertThat(c.out()).startsWith("refused ").endsWith("\n1\n");
        assertThat(Files.readString(site.resolve("victim/__init__.py"))).isEqualTo("VALUE = 1\n");
    }

    @Test
    void pythonPathComesBeforeTheStandardLibrary() throws IOException {
        Path mine = pkg("mine", "json", "MINE = True\n");
        Policy p =
                Policy.builder()
                        .mount(new Mount(mine, "/opt/mine", Mount.Mode.READ_ONLY))
                        .env("PYTHONPATH", "/opt/mine:/nowhere")
                        .build();
        Capture c = new Capture();
        // json is imported in the interpreter's image already: a fresh name shows the order
        Files.createDirectories(mine.resolve("fresh"));
        Files.writeString(mine.resolve("fresh/__init__.py"), "WHERE = 'mine'\n");
        Execution e =
                run(p, Program.of("import sys, fresh\n" + "print(fresh.WHERE, sys.path[:3])"), c);
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        assertThat(c.out()).isEqualTo("mine ['', '/opt/mine', '/nowhere']\n");
    }

    @Test
    void modulesInTheWorkingFolderAreImportable() {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        Program.of(
                                "open('helper.py', 'w').write('def f():\\n    return 42\\n')\n"
                                        + "import helper\n"
                                        + "print(helper.f())"),
                        Policy.defaults(),
                        c.stdio(),
                        dev.airlock.core.event.EventSink.none(),
                        Map.of(
                                "/workspace/lib.py",
                                "X = 'seeded'\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        assertThat(c.out()).isEqualTo("42\n");
    }

    @Test
    void aFileProgramIsNamedInTracebacksAndArgv() {
        Capture c = new Capture();
        Execution e =
                run(
                        Policy.defaults(),
                        Program.file(
                                "tools/job.py",
                                "import sys\nprint(sys.argv, __file__)\ndef f():\n    raise"
                                        + " ValueError('bad')\nf()\n",
                                List.of("--n", "3")),
                        c);
        assertThat(e.outcome().exitCode()).isEqualTo(1);
        assertThat(c.out()).isEqualTo("['tools/job.py', '--n', '3'] tools/job.py\n");
        assertThat(c.err())
                .contains("File \"tools/job.py\", line 5, in <module>\n    f()")
                .contains("File \"tools/job.py\", line 4, in f\n    raise ValueError('bad')")
                .doesNotContain("guest.py");
    }

    @Test
    void aSyntaxErrorNamesTheFileAndShowsTheLine() {
        Capture c = new Capture();
        run(Policy.defaults(), Program.file("broken.py", "x = 1\ny = (\n", List.of()), c);
        assertThat(c.err())
                .startsWith("  File \"broken.py\", line 2\n    y = (\n")
                .contains("SyntaxError: '(' was never closed");
    }

    @Test
    void aSnippetShowsItsLinesAsPythonDashCDoes() {
        Capture c = new Capture();
        run(
                Policy.defaults(),
                new Program("import sys\nprint(sys.argv)\n1/0\n", null, List.of("a")),
                c);
        assertThat(c.out()).isEqualTo("['-c', 'a']\n");
        assertThat(c.err()).contains("File \"<string>\", line 3, in <module>\n    1/0");
    }

    @Test
    void aSessionsTracebackShowsTheLinesOfTheSnippetThatDefinedTheFunction() throws Exception {
        try (Session s = CI.openSession(Language.PYTHON, Policy.defaults())) {
            s.run("def f():\n    return 1 / 0\n", new Capture().stdio());
            Capture c = new Capture();
            s.run("x = 1\nf()\n", c.stdio());
            assertThat(c.err())
                    .contains("File \"<python-input-1>\", line 2, in <module>\n    f()")
                    .contains("File \"<python-input-0>\", line 2, in f\n    return 1 / 0");
        }
    }

    @Test
    void badPackageNamesAndProgramNamesAreRefused() {
        assertThatThrownBy(() -> PythonPackages.mount(dir, "../etc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PythonPackages.mount(dir, ".."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Program.file("a\nb.py", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Program.file("", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
