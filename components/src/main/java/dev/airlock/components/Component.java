package dev.airlock.components;

import dev.airlock.components.binary.Ast;
import dev.airlock.components.binary.ComponentParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed, validated WebAssembly component: its world (imports and exports, printable as WIT) and
 * the functions it exports, ready to be {@linkplain ComponentInstance#create instantiated}.
 * Immutable and thread-safe.
 *
 * <p>Exported functions are named {@code NAME} at the top level and {@code INTERFACE#NAME} inside
 * an exported interface, such as {@code test:types/echo#echo-string} or {@code
 * test:types/echo#[method]counter.get}.
 */
public final class Component {
    /** The largest component accepted (bytes). */
    public static final int MAX_BYTES = 256 << 20;

    private final String sha256;
    private final long size;
    private final Linker.Linked linked;
    private final Map<String, Items.Lifted> functions;
    private Placement placement;

    private Component(byte[] bytes, Linker.Linked linked) {
        this.sha256 = sha256(bytes);
        this.size = bytes.length;
        this.linked = linked;
        Map<String, Items.Lifted> fs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : linked.root().exports().entrySet()) {
            if (e.getValue() instanceof Items.Lifted l) {
                fs.put(e.getKey(), l);
            } else if (e.getValue() instanceof Items.Instance in) {
                for (Map.Entry<String, Object> x : in.exports().entrySet()) {
                    if (x.getValue() instanceof Items.Lifted l) {
                        fs.put(e.getKey() + "#" + x.getKey(), l);
                    }
                }
            }
        }
        this.functions = fs;
    }

    /** Whether the bytes start with the component preamble (as opposed to a core module). */
    public static boolean isComponent(byte[] bytes) {
        return ComponentParser.hasComponentLayer(Objects.requireNonNull(bytes, "bytes"));
    }

    /**
     * Parses, validates and links a component.
     *
     * @throws ComponentException if it is malformed, invalid, or uses something not supported
     */
    public static Component load(byte[] bytes) throws ComponentException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            throw ComponentException.unsupported("component larger than 256 MiB");
        }
        Ast.Component ast;
        try {
            ast = ComponentParser.parse(bytes);
        } catch (ComponentParser.ParseException e) {
            throw new ComponentException(
                    e.unsupported()
                            ? ComponentException.Kind.UNSUPPORTED
                            : ComponentException.Kind.MALFORMED,
                    e.getMessage());
        }
        try {
            return new Component(bytes, Linker.link(ast));
        } catch (StackOverflowError e) {
            throw ComponentException.unsupported("component nested too deeply");
        } catch (RuntimeException e) {
            // a combination of definitions the checks above did not foresee: still one line
            throw ComponentException.invalid("inconsistent definitions (could not link)");
        }
    }

    /**
     * Reads and {@linkplain #load(byte[]) loads} a component file.
     *
     * @throws IOException if the file cannot be read
     * @throws ComponentException if it is not a valid, supported component
     */
    public static Component load(Path file) throws IOException, ComponentException {
        if (Files.size(file) > MAX_BYTES) {
            throw ComponentException.unsupported("component larger than 256 MiB");
        }
        return load(Files.readAllBytes(file));
    }

    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }

    /** The names of the exported functions that can be called, in export order. */
    public List<String> functions() {
        return List.copyOf(functions.keySet());
    }

    /** The names of the component's imports, in order. */
    public List<String> imports() {
        return List.copyOf(linked.imports().keySet());
    }

    /** The component's world as WIT text: its imports and exports, with interface definitions. */
    public String wit() {
        return WitPrinter.print(linked);
    }

    /**
     * The parameter names of an exported function, in order.
     *
     * @throws IllegalArgumentException if there is no such function
     */
    public List<String> parameterNames(String function) {
        return exported(function).type().params().stream().map(p -> p.name()).toList();
    }

    /**
     * The JSON Schema of an exported function's arguments as an object of named arguments (see
     * {@link dev.airlock.components.abi.WitSchema}), for tool callers such as MCP clients.
     *
     * @throws IllegalArgumentException if there is no such function
     */
    public com.fasterxml.jackson.databind.node.ObjectNode inputSchema(String function) {
        return dev.airlock.components.abi.WitSchema.params(exported(function).type());
    }

    /**
     * The JSON Schema of an exported function's result.
     *
     * @throws IllegalArgumentException if there is no such function
     */
    public com.fasterxml.jackson.databind.node.ObjectNode outputSchema(String function) {
        return dev.airlock.components.abi.WitSchema.result(exported(function).type());
    }

    private Items.Lifted exported(String function) {
        Items.Lifted l = functions.get(function);
        if (l == null) {
            throw new IllegalArgumentException("no exported function " + function);
        }
        return l;
    }

    /**
     * The exported {@code run} of {@code wasi:cli/run} (any 0.2.x), by which the component runs as
     * a command, or null.
     */
    public String commandFunction() {
        for (String f : functions.keySet()) {
            if (f.startsWith("wasi:cli/run@0.2.") && f.endsWith("#run")) {
                return f;
            }
        }
        return null;
    }

    /**
     * Why a component cannot be instantiated under a policy, or null: an import that is not a WASI
     * 0.2 interface Airlock supplies, or one the policy does not grant ({@code wasi:sockets}
     * always; clocks and randomness when the policy denies them).
     */
    public String refusal(dev.airlock.core.Policy policy) {
        return refusal(policy, java.util.Set.of());
    }

    /** As {@link #refusal(dev.airlock.core.Policy)}, with interfaces other components supply. */
    String refusal(dev.airlock.core.Policy policy, java.util.Set<String> supplied) {
        for (Map.Entry<String, Object> e : linked.imports().entrySet()) {
            Object v = e.getValue();
            if (supplied.contains(e.getKey())) {
                continue;
            }
            if (v instanceof Items.Instance) {
                String r = dev.airlock.components.wasi.Wasi2.refusal(e.getKey(), policy);
                if (r != null) {
                    return r;
                }
            } else if (v instanceof Items.ImportedFunc || v instanceof Items.ImportedOther) {
                return "component import '" + e.getKey() + "' is not supplied";
            }
        }
        return null;
    }

    Linker.Linked linked() {
        return linked;
    }

    /** Where its core instances run (merging those that share anything), made once. */
    synchronized Placement placement() throws ComponentException {
        if (placement == null) {
            placement = Placement.of(linked, functions.values());
        }
        return placement;
    }

    Items.Lifted function(String name) {
        return functions.get(name);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
