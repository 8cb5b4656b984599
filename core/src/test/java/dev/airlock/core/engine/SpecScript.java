package dev.airlock.core.engine;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Store;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MutabilityType;
import com.dylibso.chicory.wasm.types.ValType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.engine.memory.CowMemory;
import dev.airlock.core.engine.module.ModuleParser;
import dev.airlock.core.fuel.CostTable;
import dev.airlock.core.fuel.Metered;
import dev.airlock.core.fuel.Metering;
import dev.airlock.core.fuel.MeteringException;
import dev.airlock.core.split.Splitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small interpreter of the spec tests' {@code spec.json} scripts (as written by {@code
 * wast2json}) over Chicory's interpreter, run either on the modules as they are or on their metered
 * copies with an ample fuel budget. It records, for each command, whether it passed.
 *
 * <p>Commands: {@code module}, {@code register}, {@code action}, {@code assert_return} (numbers,
 * {@code nan:canonical} and {@code nan:arithmetic}, references, v128), {@code assert_trap}, {@code
 * assert_exhaustion}, {@code assert_invalid} and {@code assert_malformed} (binary modules only;
 * text ones are not counted), {@code assert_unlinkable} and {@code assert_uninstantiable}.
 */
final class SpecScript {
    /**
     * One dynamic test per core spec script ({@code testdata/wasm-spec}, unzipped into {@code
     * target/testdata}) whose folder name matches {@code names}, in name order, each running {@code
     * check} on the script's {@code spec.json}.
     */
    static java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> perScript(
            String names, org.junit.jupiter.api.function.ThrowingConsumer<Path> check)
            throws IOException {
        Path base = dev.airlock.core.testing.Guests.testdata().resolve("wasm-spec/core-v2");
        List<Path> specs;
        try (java.util.stream.Stream<Path> dirs = Files.list(base)) {
            specs =
                    dirs.map(dir -> dir.resolve("spec.json"))
                            .filter(Files::isRegularFile)
                            .filter(
                                    spec ->
                                            spec.getParent()
                                                    .getFileName()
                                                    .toString()
                                                    .matches(names))
                            .sorted()
                            .toList();
        }
        if (specs.isEmpty()) {
            throw new IllegalStateException("no spec scripts under " + base + " match " + names);
        }
        return specs.stream()
                .map(
                        spec ->
                                org.junit.jupiter.api.DynamicTest.dynamicTest(
                                        spec.getParent().getFileName().toString(),
                                        () -> check.accept(spec)));
    }

    /** Ample: no spec test comes near it. */
    static final long BUDGET = 1L << 50;

    /** The result of one command. */
    record Result(int index, int line, String type, boolean passed, String detail) {}

    private final boolean metered;
    private final CostTable costs;
    private final Path dir;
    private final Store store = SpecHost.store();
    private final Map<String, Instance> named = new HashMap<>();
    private final List<GlobalInstance> fuels = new ArrayList<>();
    private final List<String> crashes = new ArrayList<>();
    private Instance current;
    private final int split;
    private final boolean compiled;
    private int splitModules;
    private int fuelIndex;

    /** Exceptions that are not a refusal but a crash of the metering pass. */
    List<String> crashes() {
        return crashes;
    }

    /** Fuel used by every metered instance, together. */
    long fuelUsed() {
        long used = 0;
        for (GlobalInstance g : fuels) {
            used += BUDGET - g.getValue();
        }
        return used;
    }

    /** Whether some metered instance ran out of fuel (it never should here). */
    boolean exhausted() {
        return fuels.stream().anyMatch(g -> g.getValue() < 0);
    }

    SpecScript(Path dir, boolean metered, CostTable costs) {
        this(dir, metered, costs, 0, false);
    }

    /**
     * @param split if positive, every module is also {@linkplain Splitter split} at this threshold
     *     (after metering)
     * @param compiled whether to run the modules compiled (as Airlock does) or interpreted
     */
    SpecScript(Path dir, boolean metered, CostTable costs, int split, boolean compiled) {
        this.compiled = compiled;
        this.dir = dir;
        this.metered = metered;
        this.costs = costs;
        this.split = split;
    }

    /** How many modules the splitter changed. */
    int splitModules() {
        return splitModules;
    }

    List<Result> run(JsonNode script) {
        List<Result> out = new ArrayList<>();
        int i = 0;
        for (JsonNode cmd : script.path("commands")) {
            String type = cmd.path("type").asText();
            int index = i++;
            if ((type.equals("assert_invalid") || type.equals("assert_malformed"))
                    && !cmd.path("module_type").asText("binary").equals("binary")) {
                continue;
            }
            String detail;
            try {
                detail = command(type, cmd);
            } catch (RuntimeException | StackOverflowError | IOException e) {
                detail = "unexpected " + e;
            }
            out.add(new Result(index, cmd.path("line").asInt(), type, detail == null, detail));
        }
        return out;
    }

    /** Runs one command; returns null if it passed, else why not. */
    private String command(String type, JsonNode cmd) throws IOException {
        switch (type) {
            case "module":
                current = null;
                Instance inst = instantiate(load(cmd.path("filename").asText()));
                current = inst;
                if (cmd.has("name")) {
                    named.put(cmd.path("name").asText(), inst);
                }
                return null;
            case "register":
                Instance r = cmd.has("name") ? named.get(cmd.path("name").asText()) : current;
                if (r == null) {
                    return "no module to register";
                }
                store.register(cmd.path("as").asText(), r);
                return null;
            case "action":
                invoke(cmd.path("action"));
                return null;
            case "assert_return":
                return SpecValues.compare(cmd.path("expected"), invoke(cmd.path("action")));
            case "assert_trap":
                return expectThrow(cmd.path("action"), false);
            case "assert_exhaustion":
                return expectThrow(cmd.path("action"), true);
            case "assert_invalid":
            case "assert_malformed":
                return expectRejected(cmd.path("filename").asText());
            case "assert_unlinkable":
            case "assert_uninstantiable":
                WasmModule m = load(cmd.path("filename").asText());
                try {
                    instantiate(m);
                } catch (RuntimeException | StackOverflowError e) {
                    return null;
                }
                return "instantiated";
            default:
                return "unknown command " + type;
        }
    }

    private byte[] bytes(String file) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(file));
        if (metered) {
            try {
                Metered mm = Metering.instrument(b, costs);
                fuelIndex = mm.definedIndex();
                b = mm.bytes();
            } catch (MeteringException e) {
                throw new IllegalStateException("not metered: " + e.getMessage(), e);
            }
        }
        if (split > 0) {
            // -Dairlock.split.test.expressions=true: the opt-in expression regions too
            byte[] s =
                    Splitter.split(
                            b,
                            split,
                            split,
                            false,
                            Boolean.getBoolean("airlock.split.test.expressions"));
            splitModules += s != b ? 1 : 0;
            return s;
        }
        return b;
    }

    private WasmModule load(String file) throws IOException {
        byte[] b = bytes(file);
        try {
            return ModuleParser.parse(b, null);
        } catch (ModuleRejectedException e) {
            throw new IllegalStateException("rejected: " + e.getMessage(), e);
        }
    }

    private String expectRejected(String file) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(file));
        if (metered) {
            try {
                Metered m = Metering.instrument(b, costs);
                b = m.bytes();
            } catch (MeteringException e) {
                return null; // the pass refused it: a clear rejection
            } catch (RuntimeException | Error e) {
                crashes.add(dir.getFileName() + "/" + file + ": " + e);
                return "the metering pass crashed: " + e;
            }
        }
        try {
            ModuleParser.parse(b, null);
        } catch (ModuleRejectedException e) {
            return null;
        }
        return "accepted";
    }

    private Instance instantiate(WasmModule m) {
        // Airlock's own (copy-on-write) memory, so the spec's memory tests run against it
        Instance.Builder b =
                Instance.builder(m)
                        .withMachineFactory(
                                compiled
                                        ? MachineFactoryCompiler.builder(m)
                                                .withInterpreterFallback(InterpreterFallback.SILENT)
                                                .compile()
                                        : InterpreterMachine::new)
                        .withImportValues(store.toImportValues())
                        .withMemoryFactory(
                                l -> l.shared() ? new ByteArrayMemory(l) : new CowMemory(l));
        if (metered) {
            int defined = fuelIndex;
            GlobalInstance fuel = new GlobalInstance(BUDGET, 0, ValType.I64, MutabilityType.Var);
            fuels.add(fuel);
            int[] next = {0};
            b.withGlobalFactory(
                    (value, high, type, mut) ->
                            next[0]++ == defined
                                    ? fuel
                                    : new GlobalInstance(value, high, type, mut));
        }
        return b.build();
    }

    private Instance target(JsonNode action) {
        Instance i = action.has("module") ? named.get(action.path("module").asText()) : current;
        if (i == null) {
            throw new IllegalStateException("no module");
        }
        return i;
    }

    private long[] invoke(JsonNode action) {
        Instance i = target(action);
        String field = action.path("field").asText();
        if (action.path("type").asText().equals("get")) {
            GlobalInstance g = i.exports().global(field);
            return g.getType().equals(ValType.V128)
                    ? new long[] {g.getValueLow(), g.getValueHigh()}
                    : new long[] {g.getValue()};
        }
        ExportFunction f = i.export(field);
        long[] r = f.apply(SpecValues.args(action.path("args")));
        return r == null ? new long[0] : r;
    }

    private String expectThrow(JsonNode action, boolean exhaustion) {
        try {
            invoke(action);
        } catch (StackOverflowError e) {
            return exhaustion ? null : "stack overflow instead of a trap";
        } catch (ChicoryException e) {
            boolean stack = String.valueOf(e.getMessage()).contains("call stack exhausted");
            if (exhaustion != stack) {
                return "wrong trap: " + e.getMessage();
            }
            return exhausted() ? "ran out of fuel" : null;
        } catch (RuntimeException e) {
            return exhaustion
                    ? "trap instead of exhaustion: " + e
                    : exhausted() ? "ran out of fuel" : null;
        }
        return "returned";
    }
}
