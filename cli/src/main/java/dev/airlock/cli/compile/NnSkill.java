package dev.airlock.cli.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.ModuleSource;
import dev.airlock.skills.NnHost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of an inference skill: {@code skill.json} (one tool, {@code predict}; the grant of
 * exactly one model and nothing else; JSON Schemas and limits from the model's ports), the guest
 * ({@code main.wat} and {@code main.wasm}), the model ({@code models/NAME.onnx}) and, with labels,
 * {@code labels.txt}.
 */
public final class NnSkill {
    /** The tool's name. */
    public static final String TOOL = "predict";

    private static final long MIB = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the command line says. */
    public record Options(
            String name,
            String version,
            String publisher,
            String description,
            List<String> labels,
            float[] normalize) {}

    /** The files by path, and the limits chosen, for the report. */
    public record Built(Map<String, byte[]> files, String limits, String labelled) {}

    private NnSkill() {}

    public static Built build(byte[] model, ModelPorts ports, Options o) throws CompileException {
        if (ports.inputs.size() > Guest.MAX_PORTS || ports.outputs.size() > Guest.MAX_PORTS) {
            throw new CompileException("more than 16 inputs or outputs");
        }
        for (Port p : concat(ports.inputs, ports.outputs)) {
            if (!plainName(p.name())) {
                throw new CompileException(
                        "port name '"
                                + p.name()
                                + "' has quotes, backslashes or control characters");
            }
        }
        int labelled = -1;
        if (!o.labels().isEmpty()) {
            labelled = labelledOutput(ports.outputs, o.labels().size());
            for (Port p : ports.outputs) {
                if (p.name().equals("top")) {
                    throw new CompileException("--labels: an output is already named 'top'");
                }
            }
        }
        // limits from the model: each tensor's bytes (dynamic dimensions: up to 1 MiB or 256 times
        // the fixed part), one computation per call, memory for the JSON text and the tensors
        long tensor = 0;
        long inBytes = 0;
        long inElements = 0;
        long outBytes = 0;
        long outElements = 0;
        for (Port p : ports.inputs) {
            long b = bound(p);
            tensor = Math.max(tensor, b);
            inBytes += b;
            inElements += b / p.elementBytes();
        }
        for (Port p : ports.outputs) {
            long b = bound(p);
            tensor = Math.max(tensor, b);
            outBytes += b;
            outElements += b / p.elementBytes();
        }
        long labelText = 0;
        for (String l : o.labels()) {
            labelText = Math.max(labelText, l.length() * 6L);
        }
        long output = 32 * outElements + 4096 + (labelled < 0 ? 0 : outElements * (64 + labelText));
        // input JSON of up to 32 characters a number
        long stdin = 32 * inElements + 4096;
        long memory = 2 * (65536 + 16 * o.labels().size() + stdin + inBytes + outBytes) + 131072;
        memory = Math.min((memory + 65535) & ~65535L, 4096 * MIB);

        ObjectNode m = JSON.createObjectNode();
        m.put("name", o.name()).put("version", o.version());
        m.put("description", o.description()).put("publisher", o.publisher());
        ObjectNode tool = m.putArray("tools").addObject();
        tool.put("name", TOOL);
        tool.put(
                "description",
                "Runs the model once on its inputs (nested arrays, row-major) and returns each"
                        + " output as a flat row-major array"
                        + (labelled < 0 ? "." : ", and under 'top' the best label of each row."));
        tool.set("inputSchema", inputSchema(ports.inputs));
        tool.set(
                "outputSchema",
                outputSchema(ports.outputs, labelled < 0 ? null : ports.outputs.get(labelled)));
        m.putObject("entry").put("kind", "wasm").put("file", "main.wasm");
        m.putObject("capabilities").putArray("nn").add(o.name());
        ObjectNode limits = m.putObject("limits");
        limits.put("memory", Long.toString(memory));
        limits.put("output", Long.toString(output));
        limits.put("tensor", Long.toString(tensor));
        limits.put("computations", 1);

        String wat =
                Guest.wat(
                        o.name(), ports.inputs, ports.outputs, o.normalize(), labelled, o.labels());
        byte[] wasm;
        try {
            wasm = ModuleSource.toBinary(wat.getBytes(StandardCharsets.UTF_8));
        } catch (ModuleRejectedException e) {
            throw new IllegalStateException("the guest template does not assemble", e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            files.put("skill.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        files.put("main.wat", wat.getBytes(StandardCharsets.UTF_8));
        files.put("main.wasm", wasm);
        files.put(NnHost.MODELS + "/" + o.name() + ".onnx", model);
        if (!o.labels().isEmpty()) {
            files.put(
                    "labels.txt",
                    (String.join("\n", o.labels()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String limitText =
                "tensor "
                        + tensor
                        + " B, computations 1, memory "
                        + memory / 1024
                        + " KiB, output "
                        + (output + 1023) / 1024
                        + " KiB";
        return new Built(
                files, limitText, labelled < 0 ? null : ports.outputs.get(labelled).name());
    }

    /** The output whose last dimension is {@code classes} (or the only float output). */
    private static int labelledOutput(List<Port> outputs, int classes) throws CompileException {
        int dynamic = -1;
        int floats = 0;
        for (int i = 0; i < outputs.size(); i++) {
            Port p = outputs.get(i);
            if (!p.isFloat() || p.shape().length == 0) {
                continue;
            }
            floats++;
            long last = p.shape()[p.shape().length - 1];
            if (last == classes) {
                return i;
            }
            if (last < 0) {
                dynamic = i;
            }
        }
        if (dynamic >= 0 && floats == 1) {
            return dynamic;
        }
        throw new CompileException(
                "--labels: "
                        + classes
                        + " labels, but no float output has "
                        + classes
                        + " classes in its last dimension");
    }

    private static long bound(Port p) throws CompileException {
        try {
            long b = p.fixedBytes();
            if (!p.isStatic()) {
                b = Math.max(MIB, Math.multiplyExact(b, 256L));
            }
            if (b > 64 * MIB) {
                throw new CompileException(
                        "tensor '" + p.name() + "' is larger than 64 MiB, WASI-NN's limit");
            }
            return b;
        } catch (ArithmeticException e) {
            throw new CompileException("tensor '" + p.name() + "' is larger than 64 MiB");
        }
    }

    private static ObjectNode inputSchema(List<Port> inputs) {
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        for (Port p : inputs) {
            ObjectNode node =
                    JSON.createObjectNode().put("type", p.isFloat() ? "number" : "integer");
            for (int i = 0; i < p.shape().length; i++) {
                ObjectNode a = JSON.createObjectNode().put("type", "array");
                a.set("items", node);
                node = a;
            }
            node.put("description", describe(p) + " as nested arrays");
            props.set(p.name(), node);
            required.add(p.name());
        }
        s.put("additionalProperties", false);
        return s;
    }

    private static ObjectNode outputSchema(List<Port> outputs, Port labelled) {
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = s.putArray("required");
        for (Port p : outputs) {
            ObjectNode a = JSON.createObjectNode().put("type", "array");
            ObjectNode item = a.putObject("items");
            if (p.isFloat()) {
                item.putArray("type").add("number").add("null");
            } else {
                item.put("type", "integer");
            }
            a.put(
                    "description",
                    describe(p)
                            + ", flattened row-major"
                            + (p.isFloat() ? " (null for NaN or infinity)" : ""));
            props.set(p.name(), a);
            required.add(p.name());
        }
        if (labelled != null) {
            ObjectNode top = props.putObject("top").put("type", "array");
            top.put("description", "for each row of " + labelled.name() + ": its best class");
            ObjectNode row = top.putObject("items").put("type", "object");
            ObjectNode rp = row.putObject("properties");
            rp.putObject("index").put("type", "integer");
            rp.putObject("label").put("type", "string");
            rp.putObject("score").putArray("type").add("number").add("null");
            row.putArray("required").add("index").add("label").add("score");
            row.put("additionalProperties", false);
            required.add("top");
        }
        s.put("additionalProperties", false);
        return s;
    }

    private static String describe(Port p) {
        String d = p.typeName() + " tensor " + p.shapeText();
        List<String> free = new ArrayList<>();
        for (int i = 0; i < p.shape().length; i++) {
            if (p.shape()[i] < 0) {
                String n = i < p.dimNames().length ? p.dimNames()[i] : "";
                free.add(n == null || n.isEmpty() ? "?" : n);
            }
        }
        return free.isEmpty() ? d : d + " (" + String.join(", ", free) + ": any size)";
    }

    private static boolean plainName(String n) {
        if (n.isEmpty() || n.getBytes(StandardCharsets.UTF_8).length > 256) {
            return false;
        }
        for (char c : n.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    private static List<Port> concat(List<Port> a, List<Port> b) {
        List<Port> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
