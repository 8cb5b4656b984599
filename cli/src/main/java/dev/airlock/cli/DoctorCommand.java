package dev.airlock.cli;

import dev.airlock.audit.store.Store;
import dev.airlock.cli.options.CacheOptions;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.core.Stdio;
import dev.airlock.lang.Language;
import dev.airlock.nn.WasiNn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code airlock doctor}: checks what Airlock needs on this machine, one line each, {@code OK} or
 * {@code FAIL} with the fix.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks the installation: the Java version, the cache and data folders (writable,",
            "the data folder owner-only), the store, each interpreter (started once) and the",
            "WASI-NN runtime. Prints one line per check: OK, or FAIL with the fix.",
            "",
            "Exit status: 0 when every check is OK, 1 otherwise."
        },
        footer = {"", "Examples:", "  airlock doctor", "  airlock doctor --data /srv/airlock"})
final class DoctorCommand implements Callable<Integer> {
    /** The oldest Java Airlock runs on. */
    static final int JAVA = 17;

    @Mixin DataOptions data = new DataOptions();
    @Mixin CacheOptions cache = new CacheOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private boolean failed;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        int feature = Runtime.version().feature();
        check(
                "java",
                feature >= JAVA,
                "Java " + Runtime.version(),
                "install Java " + JAVA + " or later (this is " + Runtime.version() + ")");
        Path cacheRoot = cache.root();
        check("cache", folder(cacheRoot, false), cacheRoot.toString(), fix(cacheRoot, false));
        Path dataDir = data.dir();
        check("data", folder(dataDir, true), dataDir.toString(), fix(dataDir, true));
        store(dataDir);
        interpreter(Language.PYTHON, "py", "print(6 * 7)");
        interpreter(Language.JAVASCRIPT, "js", "console.log(6 * 7)");
        try {
            check("wasi-nn", true, WasiNn.runtime(), null);
        } catch (IllegalStateException e) {
            check(
                    "wasi-nn",
                    false,
                    null,
                    e.getMessage()
                            + " (only --nn-model and --nn-load-bytes need it; check that the"
                            + " platform is one ONNX Runtime ships for)");
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private void check(String what, boolean ok, String detail, String fix) {
        out.printf("%-4s %-8s %s%n", ok ? "OK" : "FAIL", what, ok ? detail : fix);
        failed |= !ok;
    }

    /**
     * Whether a folder is usable: it exists and is writable (and, for the data folder, owner-only),
     * or it does not exist yet and its nearest existing parent is writable.
     */
    static boolean folder(Path dir, boolean ownerOnly) {
        if (!Files.exists(dir)) {
            Path p = dir.toAbsolutePath().getParent();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p != null && Files.isDirectory(p) && Files.isWritable(p);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            return false;
        }
        return !ownerOnly || ownerOnly(dir);
    }

    /** The fix for a folder that {@link #folder} refused. */
    static String fix(Path dir, boolean ownerOnly) {
        if (!Files.exists(dir)) {
            return dir
                    + " cannot be created: make it writable for this user (mkdir -p "
                    + dir
                    + ")";
        }
        if (!Files.isDirectory(dir)) {
            return dir + " is not a folder: move it away or choose another folder";
        }
        if (!Files.isWritable(dir)) {
            return dir + " is not writable: chown it to this user, or choose another folder";
        }
        return dir + " can be read by other users: chmod 700 " + dir;
    }

    private static boolean ownerOnly(Path dir) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            return p.stream()
                    .noneMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
        } catch (UnsupportedOperationException e) {
            return true; // no POSIX permissions here: nothing to check
        } catch (IOException e) {
            return false;
        }
    }

    private void store(Path dataDir) {
        if (!Files.exists(dataDir.resolve(Store.FILE_NAME))) {
            check("store", true, "none yet (made by the first recorded run)", null);
            return;
        }
        cache.useForNativeLibraries();
        try (Store store = Store.open(dataDir)) {
            check("store", true, dataDir.resolve(Store.FILE_NAME).toString(), null);
        } catch (IOException | RuntimeException e) {
            check(
                    "store",
                    false,
                    null,
                    "cannot open "
                            + dataDir.resolve(Store.FILE_NAME)
                            + ": "
                            + e.getMessage()
                            + " (move it away to start a new store)");
        }
    }

    /** Starts the interpreter through its own command, as a user would, and checks its output. */
    private void interpreter(Language language, String command, String code) {
        String what = command.equals("py") ? "python" : command;
        ByteArrayOutputStream guestOut = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        String[] args =
                cache.noCache
                        ? new String[] {command, "--no-store", "--no-cache", "-c", code}
                        : new String[] {
                            command,
                            "--no-store",
                            "--cache-dir",
                            cache.root().toString(),
                            "-c",
                            code
                        };
        long start = System.nanoTime();
        int code0 =
                Main.commandLine(
                                new PrintWriter(new StringWriter()),
                                new PrintWriter(err),
                                Stdio.of(guestOut, new ByteArrayOutputStream()))
                        .execute(args);
        long millis = (System.nanoTime() - start) / 1_000_000;
        String printed = guestOut.toString(StandardCharsets.UTF_8);
        boolean ok = code0 == 0 && printed.equals("42\n");
        String problem = err.toString().strip().lines().findFirst().orElse("exit status " + code0);
        check(
                what,
                ok,
                language.runtime() + " started and ran (" + millis + " ms)",
                "the interpreter did not run: "
                        + problem
                        + " (try --no-cache; rebuild with ./mvnw package if it persists)");
    }
}
