package dev.airlock.lang;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.CallResult;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Mount;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPython 3.13 built for WASI by the project ({@code runtimes/python/build.sh}): a reactor module,
 * {@code airlock-python.wasm}, whose exports start the interpreter ({@code airlock_init}, which
 * imports the driver module {@code guest} from {@code /guest}) and call the driver's functions
 * ({@code airlock_call(name, arg)}). The standard library is one zip file, {@code
 * /usr/local/lib/python313.zip}, holding each module's source and its bytecode; the driver ({@code
 * guest.py}) runs snippets in one persistent {@code __main__} namespace and imports the commonly
 * used modules before the interpreter's image is taken, so restored instances have them loaded. The
 * engine compiles the module at run time (splitting its huge functions) and caches it.
 */
final class PythonInterpreter extends Interpreter {
    private static final String MODULE = "python/airlock-python.wasm";

    /**
     * The folder of the standard library's zip: shared read-only between instances (one copy in
     * memory instead of one per instance, see {@link InstanceSetup.Builder#sharedFolder}).
     */
    static final String LIB = "/usr/local/lib";

    /** Where the standard library's zip lies in the sandbox (on {@code sys.path}). */
    static final String STDLIB = LIB + "/python313.zip";

    /** Scratch space for programs ({@code tempfile} looks for it). */
    static final String TMP = "/tmp";

    PythonInterpreter() {
        super(MODULE, null);
    }

    @Override
    Language language() {
        return Language.PYTHON;
    }

    /**
     * The files a fresh interpreter starts with, each guest path and the resource of this class's
     * jar it is read from: the driver and the standard library. Restores take them from the image.
     */
    private static final List<String[]> START_FILES =
            List.of(
                    new String[] {"/guest/guest.py", "guest.py"},
                    new String[] {"/guest/airlock.py", "airlock.py"},
                    new String[] {"/guest/airlock_net.py", "airlock_net.py"},
                    new String[] {STDLIB, "python/python313.zip"});

    @Override
    InstanceSetup.Builder setup() {
        return InstanceSetup.builder()
                .singleRoot(true)
                .sharedFolder(LIB)
                .directory(WORKSPACE)
                .directory(TMP)
                .toolDevice(DEVICE)
                .memoryUpToLimit(true);
    }

    @Override
    InstanceSetup.Builder startSetup() {
        InstanceSetup.Builder b = setup();
        for (int i = 0; i < START_FILES.size(); i++) {
            b.file(START_FILES.get(i)[0], Driver.FILES.get(i));
        }
        return b;
    }

    @Override
    Map<String, byte[]> startFilesKey() {
        Map<String, byte[]> key = new LinkedHashMap<>();
        for (String[] f : START_FILES) {
            key.put(f[0], ("resource:" + f[1]).getBytes(StandardCharsets.UTF_8));
        }
        return key;
    }

    /**
     * The start files' bytes, read from the jar once, when a fresh interpreter first needs them.
     */
    private static final class Driver {
        static final List<byte[]> FILES = START_FILES.stream().map(f -> driver(f[1])).toList();
    }

    private static byte[] driver(String name) {
        try {
            return resource(PythonInterpreter.class, name);
        } catch (ModuleRejectedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    void prepare(GuestInstance instance, Policy policy) throws ModuleRejectedException {
        int[] rc = {-1};
        CallResult r =
                instance.call(
                        Stdio.discard(),
                        guest -> {
                            guest.callExport("_initialize");
                            rc[0] = (int) guest.callExport("airlock_init")[0];
                            return new long[0];
                        });
        if (r.outcome().status() != Status.OK || rc[0] != 0) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "the Python driver failed to start: "
                            + (r.outcome().status() != Status.OK
                                    ? r.outcome().message()
                                    : "airlock_init returned " + rc[0]),
                    instance.moduleSha256());
        }
        configure(instance, policy);
    }

    @Override
    boolean needsConfigure(Policy policy) {
        return !policy.env().isEmpty() || !packages(policy).isEmpty();
    }

    @Override
    void configure(GuestInstance instance, Policy policy) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        ObjectNode env = request.putObject("env");
        policy.env().forEach(env::put);
        ArrayNode folders = request.putArray("packages");
        packages(policy).forEach(folders::add);
        call(instance, "configure", request.toString(), Stdio.discard());
    }

    /**
     * The package folders of a policy: the guest paths of its mounts under {@link
     * PythonPackages#FOLDER}, in the policy's order (they go on {@code sys.path} after the standard
     * library).
     */
    static List<String> packages(Policy policy) {
        List<String> out = new ArrayList<>();
        for (Mount m : policy.mounts()) {
            if (m.guestPath().startsWith(PythonPackages.FOLDER + "/")) {
                out.add(m.guestPath());
            }
        }
        return out;
    }

    @Override
    Outcome exec(GuestInstance instance, Program program, Stdio stdio) {
        if (program.name() == null && program.args().isEmpty()) {
            return call(instance, "run", program.code(), stdio);
        }
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("code", program.code());
        request.put("name", program.name());
        ArrayNode argv = request.putArray("argv");
        program.args().forEach(argv::add);
        return call(instance, "run_program", request.toString(), stdio);
    }

    /** Calls the driver's function {@code name} with one string; its int result is the status. */
    private static Outcome call(GuestInstance instance, String name, String arg, Stdio stdio) {
        byte[] fn = name.getBytes(StandardCharsets.UTF_8);
        byte[] src = arg.getBytes(StandardCharsets.UTF_8);
        int[] status = {0};
        CallResult r =
                instance.call(
                        stdio,
                        guest -> {
                            int f = bytes(guest, fn);
                            int a = bytes(guest, src);
                            status[0] =
                                    (int)
                                            guest.callExport(
                                                            "airlock_call",
                                                            f,
                                                            fn.length,
                                                            a,
                                                            src.length)[0];
                            guest.callExport("airlock_free", a);
                            guest.callExport("airlock_free", f);
                            return new long[] {status[0]};
                        });
        return withStatus(r.outcome(), status[0]);
    }

    private static int bytes(GuestAccess guest, byte[] b) {
        int p = (int) guest.callExport("airlock_alloc", Math.max(1, b.length))[0];
        if (p == 0) {
            throw new IllegalStateException("the interpreter is out of memory");
        }
        guest.writeBytes(p, b);
        return p;
    }

    /** A Python string literal of {@code s}. */
    static String pyString(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\'') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
