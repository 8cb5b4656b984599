package dev.airlock.lang;

import dev.airlock.core.Airlock;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.GuestModule;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One language's interpreter module and how to drive it. */
abstract class Interpreter {
    /** The writable working folder of every interpreter instance. */
    static final String WORKSPACE = "/workspace";

    /** The tool device (see {@link dev.airlock.core.InstanceSetup#toolDevice()}). */
    static final String DEVICE = "/dev/airlock";

    /** The module bytes of each interpreter, read from its jar once per process. */
    private static final Map<String, byte[]> MODULES = new ConcurrentHashMap<>();

    /** The shipped digest of each interpreter module, read once per process (empty: none). */
    private static final Map<String, java.util.Optional<Digest>> DIGESTS =
            new ConcurrentHashMap<>();

    private final String modulePath;
    private final String machineClass;

    /**
     * @param modulePath resource path of the interpreter's module (its {@code .meta} file, or a
     *     plain {@code .wasm})
     * @param machineClass the class compiled from it ahead of time, or null for a plain module that
     *     the engine compiles (and splits and caches) when it is first loaded
     */
    Interpreter(String modulePath, String machineClass) {
        this.modulePath = modulePath;
        this.machineClass = machineClass;
    }

    abstract Language language();

    /** Loads the interpreter module (cached by the Airlock after the first time). */
    final GuestModule load(Airlock airlock) throws ModuleRejectedException {
        Digest d =
                machineClass == null
                        ? DIGESTS.computeIfAbsent(
                                        modulePath,
                                        p -> java.util.Optional.ofNullable(digest(getClass(), p)))
                                .orElse(null)
                        : null;
        if (d != null) {
            // found compiled in a cache, the module is never read or hashed in this process
            return airlock.load(d.sha256(), d.size(), () -> bytes());
        }
        return loadBytes(airlock);
    }

    private byte[] bytes() {
        try {
            return module(getClass(), modulePath);
        } catch (ModuleRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A bundled module's bytes, read once per process (shared; callers must not change them). */
    static byte[] module(Class<?> anchor, String path) throws ModuleRejectedException {
        byte[] bytes = MODULES.get(path);
        if (bytes == null) {
            bytes = resource(anchor, path);
            MODULES.putIfAbsent(path, bytes);
        }
        return bytes;
    }

    /** The language whose bundled interpreter module has this digest, or null. */
    static Language languageOf(String sha256) {
        if (sha256 == null) {
            return null;
        }
        for (Interpreter i :
                new Interpreter[] {new PythonInterpreter(), new JavaScriptInterpreter()}) {
            Digest d =
                    DIGESTS.computeIfAbsent(
                                    i.modulePath,
                                    p -> java.util.Optional.ofNullable(digest(i.getClass(), p)))
                            .orElse(null);
            if (d != null && d.sha256().equalsIgnoreCase(sha256)) {
                return i.language();
            }
        }
        return null;
    }

    /** A module's digest as shipped beside it: {@code PATH.sha256} holding "HEX SIZE". */
    record Digest(String sha256, long size) {}

    /**
     * The digest shipped beside {@code path}, or {@code null} when there is none (or it is odd).
     */
    static Digest digest(Class<?> anchor, String path) {
        try (InputStream in = anchor.getResourceAsStream(path + ".sha256")) {
            if (in == null) {
                return null;
            }
            String[] f =
                    new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            if (f.length != 2 || !f[0].matches("[0-9a-f]{64}")) {
                return null;
            }
            return new Digest(f[0], Long.parseLong(f[1]));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private GuestModule loadBytes(Airlock airlock) throws ModuleRejectedException {
        byte[] bytes = module(getClass(), modulePath);
        return machineClass == null
                ? airlock.load(bytes)
                : airlock.loadPrecompiled(bytes, machineClass, getClass().getClassLoader());
    }

    /**
     * Folders, layout and linked functions of an instance, started or restored (a restore takes its
     * files from the image; files only a fresh start needs belong in {@link #startSetup()}).
     */
    abstract InstanceSetup.Builder setup();

    /**
     * The setup of an instance being started from scratch: {@link #setup()} plus files that {@link
     * #prepare} consumes before the interpreter's image is taken (restores never get them).
     */
    InstanceSetup.Builder startSetup() {
        return setup();
    }

    /**
     * What {@link #startSetup()}'s files are, for the key of the interpreter's image, without
     * reading them: each guest path with its bytes, or, for a file read from a resource of this
     * class's jar, the resource's name (the key holds that jar's identity, which changes with any
     * of its resources). Hashing the standard library's bytes instead cost a tenth of a second of
     * every cold start.
     */
    Map<String, byte[]> startFilesKey() {
        return startSetup().build().files();
    }

    /** Initialises a fresh instance so that it is ready to run snippets. */
    abstract void prepare(GuestInstance instance, Policy policy) throws ModuleRejectedException;

    /** Whether {@link #configure} has anything to apply for this policy. */
    boolean needsConfigure(Policy policy) {
        return !policy.env().isEmpty();
    }

    /** Applies the policy's settings (environment) to a ready instance. */
    abstract void configure(GuestInstance instance, Policy policy);

    /** Runs one program; the outcome's exit status is the program's. */
    abstract Outcome exec(GuestInstance instance, Program program, Stdio stdio);

    static byte[] resource(Class<?> anchor, String path) throws ModuleRejectedException {
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new ModuleRejectedException("unreadable", "missing resource " + path, null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModuleRejectedException(
                    "unreadable", "cannot read resource " + path + ": " + e.getMessage(), null);
        }
    }

    /** The outcome of a snippet whose program ended with {@code status} (0: normally). */
    static Outcome withStatus(Outcome o, int status) {
        if (o.status() != Status.OK || status == 0) {
            return o;
        }
        return new Outcome(
                Status.EXIT,
                status,
                null,
                "exited with code " + status,
                o.usage(),
                o.denials(),
                o.moduleSha256());
    }
}
