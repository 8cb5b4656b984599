package dev.airlock.cli;

import dev.airlock.audit.AuditKeys;
import dev.airlock.cli.compile.Checks;
import dev.airlock.cli.compile.CompileException;
import dev.airlock.cli.compile.ModelPorts;
import dev.airlock.cli.compile.NnSkill;
import dev.airlock.cli.options.DataOptions;
import dev.airlock.cli.skill.SkillCommand;
import dev.airlock.cli.skill.SkillKeysCommand;
import dev.airlock.skills.Manifest;
import dev.airlock.skills.Registry;
import dev.airlock.skills.Signatures;
import dev.airlock.skills.SkillException;
import dev.airlock.skills.SkillFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code airlock compile MODEL.onnx --secure [-o NAME.skill]}. */
@Command(
        name = "compile",
        description = {
            "Turns an ONNX model into a signed inference skill.",
            "The skill holds the model, a small WASI guest that runs it through WASI-NN, and a",
            "manifest that grants exactly that one model and nothing else (no files, variables,",
            "network, clock or randomness), with input and output JSON Schemas and limits taken",
            "from the model's graph. Its tool 'predict' takes each input as nested arrays and",
            "returns each output as a flat row-major array. Install and run it with 'airlock",
            "skill install' and 'airlock skill run NAME predict --input JSON'.",
            "",
            "Checks first: a self-contained ONNX model (no external data files, not truncated,",
            "not ORT format), at most 60 MiB; with --secure also only the standard operator",
            "domains (ai.onnx, ai.onnx.ml) unless --allow-domain, and operator sets the bundled",
            "ONNX Runtime supports (without --secure these two are warnings). Reports the size",
            "and the operators.",
            "",
            "Exit status: 0 with the skill written; 1 when the model is refused (one line on",
            "stderr says why); 2 for usage errors (a missing file, a bad option); 70 for an",
            "internal error."
        },
        footer = {
            "",
            "Examples:",
            "  airlock compile classifier.onnx --secure --key my-key --labels labels.txt",
            "  airlock compile model.onnx --secure --name digits --normalize 0.5,0.5 -o digits.skill",
            "  airlock skill install classifier-1.0.0.skill",
            "  airlock skill run classifier predict --input '{\"features\": [[0.2, 0.4, 0.9, 1]]}'"
        })
final class CompileCommand implements Callable<Integer> {
    static final int REFUSED = 1;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model.")
    Path model;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--secure", description = "Refuse custom domains and too-new operator sets.")
    boolean secure;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "The skill archive (default: NAME-VERSION.skill here).")
    Path output;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The skill's name (default: from the model's file name).")
    String name;

    @Option(names = "--version", paramLabel = "VERSION", description = "Default: 1.0.0.")
    String version = "1.0.0";

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description = "Class labels, one a line: the output also gives each row's best label.")
    Path labels;

    @Option(
            names = "--normalize",
            paramLabel = "MEAN,STD",
            description = "Float inputs become (x - MEAN) / STD before inference.")
    String normalize;

    @Option(
            names = "--key",
            paramLabel = "NAME|FILE.pk8",
            description = "Signs the skill with this publisher key (default: unsigned).")
    String key;

    @Option(
            names = "--publisher",
            paramLabel = "NAME",
            description = "The manifest's publisher (default: the key's name).")
    String publisher;

    @Option(
            names = "--allow-domain",
            paramLabel = "DOMAIN",
            description = "An operator domain to accept besides the standard ones (repeatable).")
    List<String> allowDomains = new ArrayList<>();

    @Mixin DataOptions data = new DataOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("no such file: " + model);
            }
            String skillName = name != null ? name : defaultName(model);
            if (!Manifest.isName(skillName)) {
                throw new IllegalArgumentException(
                        "--name: '"
                                + skillName
                                + "' is not a skill name (lower case letters, digits, hyphens)");
            }
            List<String> classes = labels == null ? List.of() : readLabels(labels);
            float[] norm = normalize == null ? null : parseNormalize(normalize);
            byte[] bytes = Files.readAllBytes(model);
            Checks.Report report;
            ModelPorts ports;
            try {
                report = Checks.check(bytes, secure, Set.copyOf(allowDomains));
                ports = ModelPorts.read(bytes);
            } catch (CompileException e) {
                err.println("airlock: compile: " + model.getFileName() + ": " + e.getMessage());
                err.flush();
                return REFUSED;
            }
            AuditKeys k =
                    key == null ? null : SkillKeysCommand.load(Registry.open(data.dir()), key);
            String pub = SkillKeysCommand.publisher(publisher, key);
            NnSkill.Built built =
                    NnSkill.build(
                            bytes,
                            ports,
                            new NnSkill.Options(
                                    skillName,
                                    version,
                                    pub,
                                    "Inference with the ONNX model "
                                            + model.getFileName()
                                            + " (made by airlock compile).",
                                    classes,
                                    norm));
            SkillFiles files = toFiles(built.files());
            if (k != null) {
                files = Signatures.sign(files, k);
            }
            Manifest m = files.manifest();
            Path target =
                    output != null
                            ? output
                            : Path.of(m.name() + "-" + m.version() + SkillFiles.EXTENSION);
            SkillCommand.writeArchive(files, target);
            report.lines().forEach(out::println);
            report.warnings().forEach(w -> err.println("airlock: compile: warning: " + w));
            out.println(
                    "inputs: "
                            + String.join(
                                    "; ", ports.inputs.stream().map(Object::toString).toList()));
            out.println(
                    "outputs: "
                            + String.join(
                                    "; ", ports.outputs.stream().map(Object::toString).toList()));
            if (built.labelled() != null) {
                out.println("labels: " + classes.size() + " classes of " + built.labelled());
            }
            out.println(
                    "grant: nn "
                            + skillName
                            + " (the skill's own models/"
                            + skillName
                            + ".onnx); no files, env, network, clock or randomness");
            out.println("limits: " + built.limits());
            out.println(
                    "wrote "
                            + target
                            + (k == null
                                    ? " (unsigned: sign it with airlock skill sign)"
                                    : " (signed by " + pub + ")"));
            out.flush();
            err.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (CompileException e) {
            err.println("airlock: compile: " + model.getFileName() + ": " + e.getMessage());
            err.flush();
            return REFUSED;
        } catch (SkillException e) {
            err.println("airlock: compile: " + e.getMessage());
            err.flush();
            return REFUSED;
        } catch (IOException e) {
            err.println("airlock: i/o error: " + e.getMessage());
            err.flush();
            return RunCommand.INTERNAL;
        }
    }

    private static SkillFiles toFiles(Map<String, byte[]> files)
            throws IOException, SkillException {
        Path dir = Files.createTempDirectory("airlock-compile-");
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, f.getValue());
            }
            return SkillFiles.readFolder(dir);
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String defaultName(Path model) {
        String n = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (!n.isEmpty() && !Character.isLetter(n.charAt(0))) {
            n = "model-" + n;
        }
        return n;
    }

    private static List<String> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--labels: no such file: " + file);
        }
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(l.strip());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty() || lines.size() > 100_000) {
            throw new IllegalArgumentException("--labels: expected 1 to 100000 lines, one a label");
        }
        return lines;
    }

    private static float[] parseNormalize(String s) {
        String[] p = s.split(",");
        try {
            if (p.length == 2) {
                float mean = Float.parseFloat(p[0].strip());
                float std = Float.parseFloat(p[1].strip());
                if (Float.isFinite(mean) && Float.isFinite(std) && std != 0) {
                    return new float[] {mean, std};
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                "--normalize expects MEAN,STD (finite numbers, STD not 0): " + s);
    }
}
