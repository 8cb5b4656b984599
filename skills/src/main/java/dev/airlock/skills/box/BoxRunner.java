package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.GuestModule;
import dev.airlock.core.Limits;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import dev.airlock.lang.CodeInterpreter;
import dev.airlock.lang.Language;
import dev.airlock.lang.Prepared;
import dev.airlock.lang.Program;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import dev.airlock.skills.TrustStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a box's program as {@code docker run} would run its image's command: the arguments replace
 * CMD, stdin is the program's, the image's ENV and WORKDIR apply, and its files are at their paths.
 * The sandbox grants the clock and randomness and nothing else (no network, no host files). Python
 * and JavaScript boxes start from a pre-initialised image taken after their warm-up (a Python box's
 * top-level imports of the standard library and its packages; a JavaScript box's bundle compiled),
 * made on the first run and kept by the {@link CodeInterpreter} (on disk with its image cache).
 */
public final class BoxRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A verified box.
     *
     * @param files its signed files
     * @param spec what it runs
     * @param digest its signed digest
     */
    public record Box(SkillFiles files, BoxSpec spec, String digest) {}

    private final Airlock airlock;
    private final CodeInterpreter interpreters;

    public BoxRunner(Airlock airlock, CodeInterpreter interpreters) {
        this.airlock = airlock;
        this.interpreters = interpreters;
    }

    /**
     * Reads a box and verifies its signature against {@code trust}.
     *
     * @throws SkillException if it is not a skill archive, or unsigned, untrusted or tampered
     * @throws BoxException if it is a skill but not a box
     */
    public static Box open(Path file, TrustStore trust) throws SkillException, BoxException {
        SkillFiles files = SkillFiles.read(file);
        Signatures.Verified v = Signatures.verify(files, trust);
        files.manifest();
        byte[] spec = files.get(BoxSpec.FILE);
        if (spec == null) {
            throw new BoxException(file.getFileName() + " is a skill, not a box (no box.json)");
        }
        return new Box(files, BoxSpec.parse(spec), v.digest());
    }

    /**
     * Runs the box's program.
     *
     * @param args replace CMD when not empty
     * @throws BoxException if the command line is not one the box's runtime can start
     */
    public Outcome run(
            Box box, List<String> args, byte[] stdin, Limits limits, Stdio stdio, EventSink events)
            throws BoxException {
        return run(box, args, stdin, limits, ClockMode.REAL, RandomMode.REAL, stdio, events);
    }

    /**
     * Runs the box's program with the clock and randomness given (a box run as a skill gets what
     * its grant allows).
     *
     * @param args replace CMD when not empty
     * @throws BoxException if the command line is not one the box's runtime can start
     */
    public Outcome run(
            Box box,
            List<String> args,
            byte[] stdin,
            Limits limits,
            ClockMode clock,
            RandomMode random,
            Stdio stdio,
            EventSink events)
            throws BoxException {
        BoxSpec spec = box.spec();
        Launch launch = Launch.of(spec, spec.argv(args));
        Policy.Builder p = Policy.builder().stdin(stdin).clock(clock).random(random).limits(limits);
        spec.env().forEach(p::env);
        Map<String, byte[]> rootfs = new TreeMap<>();
        Map<String, byte[]> site = new TreeMap<>();
        box.files()
                .files()
                .forEach(
                        (path, content) -> {
                            if (path.startsWith(BoxImage.ROOTFS + "/")) {
                                rootfs.put(path.substring(BoxImage.ROOTFS.length()), content);
                            } else if (path.startsWith(BoxImage.SITE + "/")) {
                                site.put(
                                        BoxImage.GUEST_SITE
                                                + path.substring(BoxImage.SITE.length()),
                                        content);
                            }
                        });
        switch (launch.mode()) {
            case PYTHON_SCRIPT, PYTHON_MODULE -> {
                Map<String, byte[]> files = new TreeMap<>(rootfs);
                files.putAll(site);
                Prepared app =
                        new Prepared(
                                files,
                                pythonWarmup(spec),
                                pythonPerRun(spec, launch),
                                box.digest());
                Program program;
                if (launch.mode() == Launch.Mode.PYTHON_SCRIPT) {
                    byte[] src = rootfs.get(launch.target());
                    if (src == null) {
                        throw new BoxException(launch.target() + ": no such file in the box");
                    }
                    program =
                            Program.file(
                                    launch.name(),
                                    new String(src, StandardCharsets.UTF_8),
                                    launch.args());
                } else {
                    program =
                            new Program(
                                    "import runpy as __airlock_runpy\n__airlock_runpy.run_module("
                                            + json(launch.target())
                                            + ", run_name='__main__', alter_sys=True)\n",
                                    null,
                                    launch.args());
                }
                return interpreters
                        .runPrepared(Language.PYTHON, app, program, p.build(), stdio, events)
                        .outcome();
            }
            case JAVASCRIPT -> {
                byte[] bundle = box.files().get(BoxImage.BUNDLE);
                if (bundle == null) {
                    throw new BoxException("the box has no " + BoxImage.BUNDLE);
                }
                Prepared app =
                        new Prepared(
                                Map.of(),
                                new String(bundle, StandardCharsets.UTF_8),
                                "",
                                box.digest());
                Program program =
                        Program.of(
                                "__airlockBox.main("
                                        + json(launch.target())
                                        + ", "
                                        + json(launch.args())
                                        + ", "
                                        + json(spec.workdir())
                                        + ");\n");
                return interpreters
                        .runPrepared(Language.JAVASCRIPT, app, program, p.build(), stdio, events)
                        .outcome();
            }
            default -> {
                return wasm(launch, rootfs, p, stdio, events);
            }
        }
    }

    private Outcome wasm(
            Launch launch,
            Map<String, byte[]> rootfs,
            Policy.Builder p,
            Stdio stdio,
            EventSink events)
            throws BoxException {
        byte[] module = rootfs.get(launch.target());
        if (module == null) {
            throw new BoxException(launch.target() + ": no such file in the box");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("airlock-box-");
            Map<String, Path> tops = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> f : rootfs.entrySet()) {
                Path host = tmp.resolve(f.getKey().substring(1));
                Files.createDirectories(host.getParent());
                Files.write(host, f.getValue());
                String top = f.getKey().substring(0, f.getKey().indexOf('/', 1));
                tops.put(top, tmp.resolve(top.substring(1)));
            }
            tops.forEach((guest, host) -> p.mount(new Mount(host, guest, Mount.Mode.READ_WRITE)));
            p.programName(launch.name()).args(launch.args());
            GuestModule m = airlock.load(module);
            return airlock.run(m, p.build(), stdio, events);
        } catch (ModuleRejectedException e) {
            return airlock.rejected(e, events);
        } catch (IOException e) {
            throw new BoxException("cannot unpack the box: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try (var walk = Files.walk(tmp)) {
                    for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(x);
                    }
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }
        }
    }

    /** Imports the box's warm modules (each failure ignored) with its packages on the path. */
    static String pythonWarmup(BoxSpec spec) {
        return "def __airlock_box_warm():\n"
                + "    import importlib, sys\n"
                + "    if "
                + json(BoxImage.GUEST_SITE)
                + " not in sys.path:\n"
                + "        sys.path.insert(len(sys.path) - 1, "
                + json(BoxImage.GUEST_SITE)
                + ")\n"
                + "    for name in "
                + json(spec.warm())
                + ":\n"
                + "        try:\n"
                + "            importlib.import_module(name)\n"
                + "        except BaseException:\n"
                + "            pass\n"
                + "__airlock_box_warm()\n"
                + "del __airlock_box_warm\n";
    }

    /** The working folder, the packages on the path, and the script's folder first (as python3). */
    static String pythonPerRun(BoxSpec spec, Launch launch) {
        String first =
                launch.mode() == Launch.Mode.PYTHON_SCRIPT
                        ? launch.target()
                                .substring(0, Math.max(1, launch.target().lastIndexOf('/')))
                        : "";
        return "import os as __airlock_os, sys as __airlock_sys\n"
                + "__airlock_os.chdir("
                + json(spec.workdir())
                + ")\n"
                + "if "
                + json(BoxImage.GUEST_SITE)
                + " not in __airlock_sys.path:\n"
                + "    __airlock_sys.path.insert(len(__airlock_sys.path) - 1, "
                + json(BoxImage.GUEST_SITE)
                + ")\n"
                + "__airlock_sys.path[0] = "
                + json(first)
                + "\n"
                + "del __airlock_os, __airlock_sys\n";
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
