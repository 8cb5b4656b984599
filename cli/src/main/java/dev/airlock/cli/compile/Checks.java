package dev.airlock.cli.compile;

import dev.airlock.nn.WasiNn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks before a model is packed: a self-contained ONNX protobuf (no external data files, not
 * ORT format, not truncated), small enough for a skill, only the standard operator domains unless
 * allowed, operator sets no newer than the bundled ONNX Runtime runs. Without {@code --secure} the
 * domain and operator-set findings are warnings; the others always refuse.
 */
public final class Checks {
    /** A skill holds at most 64 MiB; this leaves room for the rest. */
    public static final long MAX_MODEL = 60L << 20;

    /**
     * The newest operator set of each standard domain that ONNX Runtime 1.20 (the bundled one,
     * built with ONNX 1.16) loads: ai.onnx 21, ai.onnx.ml 5 (ChecksTest keeps this in step).
     */
    static final Map<String, Long> MAX_OPSET = Map.of("", 21L, "ai.onnx.ml", 5L);

    private Checks() {}

    /** What the checks found: the scan and the report's lines. */
    public record Report(ModelScan scan, List<String> lines, List<String> warnings) {}

    public static Report check(byte[] bytes, boolean secure, Set<String> allowedDomains)
            throws CompileException {
        if (bytes.length == 0) {
            throw new CompileException("not an ONNX model: the file is empty");
        }
        String problem = WasiNn.modelProblem(bytes);
        if (problem != null) {
            throw new CompileException("not a self-contained ONNX model: " + problem);
        }
        ModelScan scan;
        try {
            scan = ModelScan.of(bytes);
        } catch (RuntimeException e) {
            throw new CompileException("not a self-contained ONNX model: malformed protobuf");
        }
        if (!scan.hasGraph || scan.opsets.isEmpty()) {
            throw new CompileException("not an ONNX model: no graph or no operator set");
        }
        if (bytes.length > MAX_MODEL) {
            throw new CompileException(
                    "model of " + bytes.length + " bytes; a skill holds models up to 60 MiB");
        }
        List<String> warnings = new ArrayList<>();
        Set<String> domains = new TreeSet<>(scan.nodeDomains);
        domains.addAll(scan.opsets.keySet());
        for (String d : domains) {
            String domain = d.equals("ai.onnx") ? "" : d;
            if (MAX_OPSET.containsKey(domain) || allowedDomains.contains(domain)) {
                continue;
            }
            String why =
                    "custom operator domain '"
                            + domain
                            + "' (allow it with --allow-domain "
                            + domain
                            + " if this ONNX Runtime implements it)";
            if (secure) {
                throw new CompileException(why);
            }
            warnings.add(why);
        }
        for (Map.Entry<String, Long> e : scan.opsets.entrySet()) {
            String domain = e.getKey().equals("ai.onnx") ? "" : e.getKey();
            Long max = MAX_OPSET.get(domain);
            if (max != null && e.getValue() > max) {
                String why =
                        "operator set "
                                + (domain.isEmpty() ? "ai.onnx" : domain)
                                + " "
                                + e.getValue()
                                + " is newer than the bundled ONNX Runtime supports ("
                                + max
                                + ")";
                if (secure) {
                    throw new CompileException(why);
                }
                warnings.add(why);
            }
        }
        List<String> lines = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        scan.opsets.forEach((d, v) -> sets.add((d.isEmpty() ? "ai.onnx" : d) + " " + v));
        lines.add(
                "model: "
                        + bytes.length
                        + " bytes, IR version "
                        + scan.irVersion
                        + ", operator sets "
                        + String.join(", ", sets)
                        + ", no external data");
        List<String> ops = new ArrayList<>();
        scan.operators.forEach((t, n) -> ops.add(t + " " + n));
        lines.add(
                "operators: "
                        + scan.nodeCount
                        + " nodes of "
                        + scan.operators.size()
                        + " types ("
                        + String.join(", ", ops)
                        + ")");
        return new Report(scan, List.copyOf(lines), List.copyOf(warnings));
    }
}
