package dev.airlock.lang;

import dev.airlock.core.CallResult;
import dev.airlock.core.GuestAccess;
import dev.airlock.core.GuestInstance;
import dev.airlock.core.HostImport.ValueType;
import dev.airlock.core.InstanceSetup;
import dev.airlock.core.LinkedImport;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.Stdio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * CPython 3.13 for WASI, from {@code io.trino:trino-wasm-python}: a module pre-initialised with
 * Wizer (the interpreter is already started in its memory image, the standard library packed into
 * it) whose {@code setup} export imports a Python module {@code guest} from {@code /guest} and
 * binds one of its functions, and whose {@code execute} export calls that function. Airlock's
 * driver ({@code guest.py}) binds {@code run(code)}, which executes snippets in one persistent
 * {@code __main__} namespace.
 *
 * <p>The image's C library froze its table of preopened directories at build time, with only {@code
 * /guest}; {@link #prepare} rewrites that entry's name to {@code /} so that every absolute path
 * resolves in Airlock's single-root filesystem ({@code /workspace}, {@code /guest}, mounts).
 */
final class PythonInterpreter extends Interpreter {
    private static final String META = "/io/trino/wasm/python/Python.meta";
    private static final String MACHINE = "io.trino.wasm.python.PythonMachine";

    // Trino type tags of the driver's signature: run(VARCHAR) -> INTEGER
    private static final int ROW = 0;
    private static final int INTEGER = 5;
    private static final int VARCHAR = 11;

    /**
     * The C stack the interpreter runs on. The build's own is about 115 KiB above its static data,
     * which recursion through C (lru_cache, for instance) overflowed at 200-300 levels, writing
     * over that data; CPython's C recursion limit on WASI is 500 levels.
     */
    static final long STACK = 2L << 20;

    PythonInterpreter() {
        super(META, MACHINE);
    }

    @Override
    Language language() {
        return Language.PYTHON;
    }

    @Override
    InstanceSetup.Builder setup() {
        return InstanceSetup.builder()
                .singleRoot(true)
                .directory(WORKSPACE)
                .file("/guest/guest.py", Driver.GUEST)
                .file("/guest/airlock.py", Driver.AIRLOCK)
                .toolDevice(DEVICE)
                .shadowStack(STACK)
                .memoryUpToLimit(true)
                .link(
                        new LinkedImport(
                                "trino",
                                "return_error",
                                List.of(
                                        ValueType.I32,
                                        ValueType.I32,
                                        ValueType.I32,
                                        ValueType.I32,
                                        ValueType.I32),
                                List.of(),
                                (guest, args) -> null));
    }

    @Override
    InstanceSetup.Builder startSetup() {
        return setup().file("/guest/stdlib.pycs", Driver.STDLIB_BYTECODE);
    }

    /** The driver's files, read from the jar once. */
    private static final class Driver {
        static final byte[] GUEST = driver("guest.py");
        static final byte[] AIRLOCK = driver("airlock.py");

        /**
         * The standard library's bytecode ({@code lang/pyc/generate.sh}); the driver loads it into
         * the interpreter's memory and removes the file before the image is taken.
         */
        static final byte[] STDLIB_BYTECODE = driver("stdlib.pycs");
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
        Preopens.rootGuestPreopen(instance);
        CallResult r =
                instance.call(
                        Stdio.discard(),
                        guest -> {
                            int name = cString(guest, "run");
                            int args = bytes(guest, ints(ROW, 1, VARCHAR));
                            int result = bytes(guest, ints(INTEGER));
                            guest.callExport("setup", name, args, result);
                            return new long[0];
                        });
        if (r.outcome().status() != Status.OK) {
            throw new ModuleRejectedException(
                    "instantiation",
                    "the Python driver failed to start: " + r.outcome().message(),
                    instance.moduleSha256());
        }
        configure(instance, policy);
    }

    @Override
    void configure(GuestInstance instance, Policy policy) {
        StringBuilder env = new StringBuilder();
        for (Map.Entry<String, String> e : policy.env().entrySet()) {
            env.append(e.getKey()).append('=').append(e.getValue().replace('\n', ' ')).append('\n');
        }
        // configure() is the driver's other function: bound by evaluating it through run()
        exec(
                instance,
                "import guest as _g\n_g.configure(" + pyString(env.toString()) + ")\ndel _g\n",
                Stdio.discard());
    }

    @Override
    Outcome exec(GuestInstance instance, String code, Stdio stdio) {
        byte[] src = code.getBytes(StandardCharsets.UTF_8);
        int[] status = {0};
        CallResult r =
                instance.call(
                        stdio,
                        guest -> {
                            ByteBuffer b =
                                    ByteBuffer.allocate(6 + src.length)
                                            .order(ByteOrder.LITTLE_ENDIAN);
                            b.put((byte) 1).put((byte) 1).putInt(src.length).put(src);
                            int data = bytes(guest, b.array());
                            int result = (int) guest.callExport("execute", data)[0];
                            guest.callExport("deallocate", data);
                            if (result != 0) {
                                // [size:i32][present:i8][value:i32]
                                status[0] = guest.readInt(result + 5);
                                guest.callExport("deallocate", result);
                            } else {
                                status[0] = 1;
                            }
                            return new long[] {status[0]};
                        });
        return withStatus(r.outcome(), status[0]);
    }

    private static int cString(GuestAccess guest, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        return bytes(guest, b);
    }

    private static int bytes(GuestAccess guest, byte[] b) {
        int p = (int) guest.callExport("allocate", Math.max(1, b.length))[0];
        if (p == 0) {
            throw new IllegalStateException("the interpreter is out of memory");
        }
        guest.writeBytes(p, b);
        return p;
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
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
