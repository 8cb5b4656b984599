package dev.airlock.spark;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a DataFrame of programs in Airlock on Spark's executors: each row is one sandboxed run, and
 * comes back with its own columns (an {@code id}, say) followed by the {@linkplain #RESULT result
 * columns}. Evaluation pipelines (grading generated code, reward signals, dataset filtering) use it
 * to run many untrusted programs without a client loop.
 *
 * <pre>{@code
 * Dataset<Row> programs = spark.read().json("programs.jsonl");   // id, language, code, stdin
 * Dataset<Row> results = AirlockBatch.run(programs, BatchOptions.defaults());
 * results.select("id", "status", "stdout").show();
 * }</pre>
 *
 * <p>Columns read from each row (absent or null: the {@link BatchOptions} default): {@code code}
 * (string, required), {@code language} ({@code python}, {@code javascript} or {@code wasm}: a WASI
 * module in {@code module}, base64 or binary, run with {@code args}, an array of strings, after its
 * program name; no files or tests), {@code stdin} (string), {@code tests} (code run after the
 * program in the same interpreter, such as a HumanEval check: the row {@code passed} when both end
 * {@code ok}), {@code files} (a map of guest path to text, written under {@code /workspace} before
 * the program runs), {@code timeoutMs}, {@code memoryBytes} and {@code fuel} (positive whole
 * numbers). Every other column passes through unchanged.
 *
 * <p>Every run starts with nothing: no files, network, environment or host access beyond what the
 * default policy grants (the interpreters' own files, stdout, stderr, the clock and randomness,
 * which {@link BatchOptions.Builder#deterministic} freezes and seeds). One shared interpreter per
 * executor JVM restores a warm image for every row, so the interpreters start once per executor.
 *
 * <p>A row never fails the job: a program that loops, exhausts memory or floods its output ends at
 * its limit ({@code status} {@code limit}), a row with bad input is {@code rejected} (the {@code
 * message} says why), and a fault of Airlock's is {@code error}.
 */
public final class AirlockBatch {
    /**
     * The result columns, appended to the input's: {@code status} (the outcome: {@code ok}, {@code
     * exit}, {@code trap}, {@code limit}, {@code rejected}, {@code error}), {@code exitCode} (null
     * unless the program exited), {@code kind} (the trap or limit, such as {@code time} or {@code
     * memory}), {@code message} (one line), {@code stdout}, {@code stderr}, {@code wallMillis},
     * {@code memoryPeakBytes}, {@code fuelUsed} (null without a fuel budget), {@code hostCalls},
     * {@code denials} (each {@code "call: rule"}) and {@code passed} (for a row with {@code tests}:
     * whether the program and its tests ended {@code ok}; else null) and {@code changedFiles} (the
     * files a Python or JavaScript row created or changed under {@code /workspace}, path to bytes;
     * null for other rows).
     */
    public static final StructType RESULT =
            new StructType(
                    new StructField[] {
                        DataTypes.createStructField("status", DataTypes.StringType, false),
                        DataTypes.createStructField("exitCode", DataTypes.IntegerType, true),
                        DataTypes.createStructField("kind", DataTypes.StringType, true),
                        DataTypes.createStructField("message", DataTypes.StringType, false),
                        DataTypes.createStructField("stdout", DataTypes.StringType, false),
                        DataTypes.createStructField("stderr", DataTypes.StringType, false),
                        DataTypes.createStructField("wallMillis", DataTypes.LongType, false),
                        DataTypes.createStructField("memoryPeakBytes", DataTypes.LongType, false),
                        DataTypes.createStructField("fuelUsed", DataTypes.LongType, true),
                        DataTypes.createStructField("hostCalls", DataTypes.LongType, false),
                        DataTypes.createStructField(
                                "denials",
                                DataTypes.createArrayType(DataTypes.StringType, false),
                                false),
                        DataTypes.createStructField("passed", DataTypes.BooleanType, true),
                        DataTypes.createStructField(
                                "changedFiles",
                                DataTypes.createMapType(
                                        DataTypes.StringType, DataTypes.BinaryType, false),
                                true)
                    });

    private AirlockBatch() {}

    /** Runs every row with the {@linkplain BatchOptions#defaults() default options}. */
    public static Dataset<Row> run(Dataset<Row> programs) {
        return run(programs, BatchOptions.defaults());
    }

    /**
     * Runs every row of {@code programs} under {@code options}. Lazy, as Spark transformations are:
     * the runs happen when the result is computed.
     *
     * @throws IllegalArgumentException if {@code programs} has no {@code code} column, or already
     *     has a column named like a result column
     */
    public static Dataset<Row> run(Dataset<Row> programs, BatchOptions options) {
        Objects.requireNonNull(options, "options");
        StructType in = programs.schema();
        StructType out = outputSchema(in);
        MapPartitionsFunction<Row, Row> f = rows -> new Runs(rows, in, options);
        return programs.mapPartitions(f, Encoders.row(out));
    }

    /**
     * The schema of {@link #run}'s result for input {@code in}: its columns, then {@link
     * #RESULT}'s.
     *
     * @throws IllegalArgumentException as {@link #run(Dataset, BatchOptions)}
     */
    public static StructType outputSchema(StructType in) {
        List<String> names = java.util.Arrays.asList(in.fieldNames());
        if (!names.contains("code") && !names.contains("module")) {
            throw new IllegalArgumentException(
                    "the programs need a 'code' column (or 'module' for wasm rows)");
        }
        StructType out = in;
        for (StructField f : RESULT.fields()) {
            if (java.util.Arrays.asList(in.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException(
                        "the programs already have a '" + f.name() + "' column (a result column)");
            }
            out = out.add(f);
        }
        return out;
    }

    /** A partition's rows, each run when it is asked for (one at a time per task). */
    private static final class Runs implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final StructType schema;
        private final BatchOptions options;

        Runs(Iterator<Row> rows, StructType schema, BatchOptions options) {
            this.rows = rows;
            this.schema = schema;
            this.options = options;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            return RowRunner.run(rows.next(), schema, options);
        }
    }
}
