package dev.airlock.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code airlock batch --spark MASTER INPUT.jsonl -o OUT.jsonl} (and {@code spark-submit --class
 * dev.airlock.spark.BatchMain}): the lines of a JSON Lines file run as {@link AirlockBatch} rows on
 * a Spark cluster, results written in input order. A line holds {@code id} (any JSON, echoed),
 * {@code language}, {@code code}, {@code stdin}, {@code tests}, {@code files} (path to text) and
 * {@code limits} ({@code timeoutMs}, {@code memoryBytes}, {@code fuel}); a line that is not such an
 * object comes back {@code rejected} with kind {@code input}, without running.
 */
public final class BatchMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final StructType INPUT =
            new StructType()
                    .add("line", DataTypes.LongType, false)
                    .add("id", DataTypes.StringType, true)
                    .add("language", DataTypes.StringType, true)
                    .add("code", DataTypes.StringType, true)
                    .add("stdin", DataTypes.StringType, true)
                    .add("tests", DataTypes.StringType, true)
                    .add(
                            "files",
                            DataTypes.createMapType(DataTypes.StringType, DataTypes.BinaryType),
                            true)
                    .add("timeoutMs", DataTypes.LongType, true)
                    .add("memoryBytes", DataTypes.LongType, true)
                    .add("fuel", DataTypes.LongType, true)
                    .add("module", DataTypes.StringType, true)
                    .add("args", DataTypes.createArrayType(DataTypes.StringType), true)
                    .add("packages", DataTypes.createArrayType(DataTypes.StringType), true);

    private BatchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** Runs the command; its exit status (0, or 2 for a usage error). */
    static int run(String[] args, PrintStream err) {
        String master = null;
        Path input = null;
        Path output = null;
        BatchOptions.Builder options = BatchOptions.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--spark") || a.equals("--master")) && i + 1 < args.length) {
                master = args[++i];
            } else if (a.equals("--packages") && i + 1 < args.length) {
                String v = args[++i];
                int eq = v.indexOf('=');
                try {
                    if (eq <= 0) {
                        throw new IllegalArgumentException("expected NAME=DIR, got " + v);
                    }
                    Path dir = Path.of(v.substring(eq + 1)).toAbsolutePath().normalize();
                    if (!Files.isDirectory(dir)) {
                        throw new IllegalArgumentException("not a folder: " + dir);
                    }
                    options.packageFolder(v.substring(0, eq), dir.toString());
                } catch (IllegalArgumentException e) {
                    err.println("airlock: batch: --packages: " + e.getMessage());
                    return 2;
                }
            } else if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length) {
                output = Path.of(args[++i]);
            } else if (a.startsWith("-") || input != null) {
                err.println("airlock: batch: unknown or misplaced argument: " + a);
                return 2;
            } else {
                input = Path.of(a);
            }
        }
        if (input == null || output == null) {
            err.println(
                    "airlock: batch: usage: batch --spark MASTER [--packages NAME=DIR]... INPUT.jsonl -o OUT.jsonl");
            return 2;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("airlock: batch: cannot read " + input);
            return 2;
        }
        SparkSession.Builder b = SparkSession.builder().appName("airlock-batch");
        if (master != null) {
            b.master(master);
        }
        SparkSession spark = b.getOrCreate();
        try {
            Map<Long, ObjectNode> results = new TreeMap<>();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                long line = i + 1;
                try {
                    rows.add(row(line, lines.get(i)));
                } catch (IllegalArgumentException e) {
                    ObjectNode o = JSON.createObjectNode();
                    o.putNull("id");
                    o.put("line", line);
                    o.put("status", "rejected");
                    o.put("kind", "input");
                    o.put("message", e.getMessage());
                    results.put(line, o);
                }
            }
            int partitions = Math.max(1, spark.sparkContext().defaultParallelism() * 2);
            Dataset<Row> in = spark.createDataFrame(rows, INPUT).repartition(partitions);
            for (Row r : AirlockBatch.run(in, options.build()).collectAsList()) {
                results.put(r.getLong(0), result(r));
            }
            try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                for (ObjectNode o : results.values()) {
                    w.write(JSON.writeValueAsString(o));
                    w.write('\n');
                }
            }
            err.println("airlock: batch: " + results.size() + " rows -> " + output);
            return 0;
        } catch (IOException e) {
            err.println("airlock: batch: cannot write " + output);
            return 1;
        } finally {
            spark.stop();
        }
    }

    /** An input line as a row. */
    static Row row(long line, String text) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (!(n instanceof ObjectNode)) {
            throw new IllegalArgumentException("a JSON object is expected");
        }
        JsonNode limits = n.path("limits");
        return RowFactory.create(
                line,
                n.has("id") ? n.get("id").toString() : null,
                text(n, "language"),
                text(n, "code"),
                text(n, "stdin"),
                text(n, "tests"),
                files(n.get("files")),
                number(limits, "timeoutMs"),
                number(limits, "memoryBytes"),
                number(limits, "fuel"),
                text(n, "module"),
                strings(n.get("args"), "args"),
                strings(n.get("packages"), "packages"));
    }

    /** A line's array of strings ({@code args}, {@code packages}), or null. */
    private static String[] strings(JsonNode a, String field) {
        if (a == null || a.isNull()) {
            return null;
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        String[] out = new String[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isTextual()) {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
            out[i] = a.get(i).asText();
        }
        return out;
    }

    /**
     * A line's files as the HTTP API takes them: an object of guest path to text, or to {@code
     * {"base64": "..."}} for bytes; null when there are none.
     */
    private static scala.collection.Map<String, byte[]> files(JsonNode files) {
        if (files == null || files.isNull()) {
            return null;
        }
        if (!files.isObject()) {
            throw new IllegalArgumentException("files must be an object of path to content");
        }
        java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (var it = files.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                m.put(e.getKey(), v.asText().getBytes(StandardCharsets.UTF_8));
            } else if (v.isObject() && v.size() == 1 && v.path("base64").isTextual()) {
                try {
                    m.put(
                            e.getKey(),
                            java.util.Base64.getDecoder().decode(v.get("base64").asText()));
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException(
                            "files: " + e.getKey() + " is not valid base64");
                }
            } else {
                throw new IllegalArgumentException(
                        "files: " + e.getKey() + " must be text or {\"base64\": \"...\"}");
            }
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(m);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    private static Long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException("limits." + field + " must be a whole number");
        }
        return v.asLong();
    }

    /** A file's content as the HTTP API gives it: text, or {"base64": ...} for other bytes. */
    private static JsonNode fileContent(byte[] bytes) {
        boolean text = true;
        for (byte b : bytes) {
            text &= b != 0;
        }
        if (text) {
            try {
                return JSON.getNodeFactory()
                        .textNode(
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .decode(java.nio.ByteBuffer.wrap(bytes))
                                        .toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                // not UTF-8: base64 below
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("base64", java.util.Base64.getEncoder().encodeToString(bytes));
        return o;
    }

    /** A result row as the result line: id, line, then the outcome's fields. */
    static ObjectNode result(Row r) {
        ObjectNode o = JSON.createObjectNode();
        String id = r.getAs("id");
        try {
            o.set("id", id == null ? null : JSON.readTree(id));
        } catch (IOException e) {
            o.put("id", id);
        }
        o.put("line", r.<Long>getAs("line"));
        o.put("status", r.<String>getAs("status"));
        put(o, "exitCode", r.getAs("exitCode"));
        put(o, "kind", r.getAs("kind"));
        o.put("message", r.<String>getAs("message"));
        o.put("stdout", r.<String>getAs("stdout"));
        o.put("stderr", r.<String>getAs("stderr"));
        ObjectNode usage = o.putObject("usage");
        usage.put("wallMillis", r.<Long>getAs("wallMillis"));
        usage.put("memoryPeakBytes", r.<Long>getAs("memoryPeakBytes"));
        put(usage, "fuel", r.getAs("fuelUsed"));
        usage.put("hostCalls", r.<Long>getAs("hostCalls"));
        scala.collection.Map<String, byte[]> changed = r.getAs("changedFiles");
        if (changed != null) {
            ObjectNode files = o.putObject("files");
            scala.jdk.javaapi.CollectionConverters.asJava(changed)
                    .forEach((path, bytes) -> files.set(path, fileContent(bytes)));
        }
        var denials = o.putArray("denials");
        for (Object d : r.getList(r.fieldIndex("denials"))) {
            denials.add(String.valueOf(d));
        }
        Object passed = r.getAs("passed");
        if (passed != null) {
            o.put("passed", (Boolean) passed);
        }
        return o;
    }

    private static void put(ObjectNode o, String field, Object v) {
        if (v == null) {
            return;
        }
        o.set(field, JSON.valueToTree(v));
    }
}
