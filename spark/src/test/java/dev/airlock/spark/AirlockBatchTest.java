package dev.airlock.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few hundred rows at local[2], hostile ones among them (endless loops, memory bombs, output
 * floods, bad input): every row comes back, with its id, its outcome and its output.
 */
class AirlockBatchTest {
    static SparkSession spark;

    static final StructType INPUT =
            new StructType()
                    .add("id", DataTypes.LongType, false)
                    .add("language", DataTypes.StringType, true)
                    .add("code", DataTypes.StringType, true)
                    .add("stdin", DataTypes.StringType, true)
                    .add("timeoutMs", DataTypes.LongType, true)
                    .add("memoryBytes", DataTypes.LongType, true);

    @BeforeAll
    static void start() {
        spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("airlock-batch-test")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.shuffle.partitions", "2")
                        .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static Row row(long id, String lang, String code, String stdin, Long timeoutMs, Long mem) {
        return RowFactory.create(id, lang, code, stdin, timeoutMs, mem);
    }

    static Map<Long, Row> byId(Dataset<Row> results) {
        Map<Long, Row> m = new HashMap<>();
        for (Row r : results.collectAsList()) {
            m.put(r.getLong(0), r);
        }
        return m;
    }

    @Test
    void everyRowComesBackWithItsOutcomeHostileOnesIncluded() {
        List<Row> rows = new ArrayList<>();
        // ordinary programs: 240 of them, both languages, some reading stdin
        for (long i = 0; i < 240; i++) {
            if (i % 3 == 0) {
                rows.add(row(i, "python", "print(sum(range(" + i + ")))", null, null, null));
            } else if (i % 3 == 1) {
                rows.add(row(i, "javascript", "console.log(" + i + " * 2)", null, null, null));
            } else {
                rows.add(
                        row(
                                i,
                                null, // the default language: python
                                "import sys; print(sys.stdin.read().upper())",
                                "row " + i,
                                null,
                                null));
            }
        }
        rows.add(row(1000, "python", "while True: pass", null, 1500L, null));
        rows.add(row(1001, "javascript", "for (;;) {}", null, 1500L, null));
        rows.add(row(1002, "python", "x = bytearray(512 * 1024 * 1024)", null, null, 64L << 20));
        rows.add(row(1003, "python", "while True: print('x' * 4096)", null, 5000L, null));
        rows.add(row(1004, "python", "def f(:\n  pass", null, null, null));
        rows.add(row(1005, "python", "import sys; sys.exit(3)", null, null, null));
        rows.add(row(1006, "cobol", "DISPLAY 'HI'", null, null, null));
        rows.add(row(1007, "python", null, null, null, null));
        rows.add(row(1008, "python", "print(1)", null, -5L, null));
        rows.add(row(1009, "python", "open('/etc/passwd').read()", null, null, null));
        Dataset<Row> in = spark.createDataFrame(rows, INPUT).repartition(4);
        Dataset<Row> out =
                AirlockBatch.run(in, BatchOptions.builder().maxOutputBytes(64 * 1024).build());
        assertThat(out.schema().fieldNames())
                .startsWith("id", "language", "code", "stdin", "timeoutMs", "memoryBytes")
                .endsWith(
                        "status",
                        "exitCode",
                        "kind",
                        "message",
                        "stdout",
                        "stderr",
                        "wallMillis",
                        "memoryPeakBytes",
                        "fuelUsed",
                        "hostCalls",
                        "denials",
                        "passed",
                        "changedFiles");
        Map<Long, Row> got = byId(out);
        assertThat(got).hasSize(rows.size());
        for (long i = 0; i < 240; i++) {
            Row r = got.get(i);
            String expected =
                    i % 3 == 0
                            ? (i * (i - 1) / 2) + "\n"
                            : i % 3 == 1 ? (i * 2) + "\n" : "ROW " + i + "\n";
            assertThat(r.<String>getAs("stdout")).as("row %d", i).isEqualTo(expected);
            assertThat(r.<String>getAs("status")).as("row %d", i).isEqualTo("ok");
        }
        assertThat(status(got, 1000)).isEqualTo("limit/time");
        assertThat(status(got, 1001)).isEqualTo("limit/time");
        // a memory bomb ends at the limit or as Python's own MemoryError (exit 1)
        assertThat(status(got, 1002)).isIn("limit/memory", "exit/null");
        assertThat(got.get(1002L).<String>getAs("stderr") + status(got, 1002))
                .containsAnyOf("MemoryError", "limit/memory");
        assertThat(status(got, 1003)).isEqualTo("limit/output");
        assertThat(status(got, 1004)).isEqualTo("exit/null");
        assertThat(got.get(1004L).<String>getAs("stderr")).contains("SyntaxError");
        assertThat(got.get(1005L).<Integer>getAs("exitCode")).isEqualTo(3);
        assertThat(status(got, 1006)).isEqualTo("rejected/input");
        assertThat(got.get(1006L).<String>getAs("message")).contains("unknown language 'cobol'");
        assertThat(status(got, 1007)).isEqualTo("rejected/input");
        assertThat(got.get(1007L).<String>getAs("message")).contains("no code");
        assertThat(status(got, 1008)).isEqualTo("rejected/input");
        assertThat(got.get(1008L).<String>getAs("message")).contains("timeoutMs must be positive");
        // nothing of the host is there: the file does not exist in the sandbox
        assertThat(status(got, 1009)).isEqualTo("exit/null");
        assertThat(got.get(1009L).<String>getAs("stderr")).contains("FileNotFoundError");
        for (Row r : got.values()) {
            assertThat(r.<String>getAs("message") + r.<String>getAs("stderr"))
                    .doesNotContain("Exception", "dev.airlock", "java.");
        }
    }

    /** "status/kind" of row {@code id}. */
    static String status(Map<Long, Row> got, long id) {
        Row r = got.get(id);
        return r.<String>getAs("status") + "/" + r.<String>getAs("kind");
    }

    @Test
    void deterministicRunsGiveTheSameResultsOnEveryExecutor() {
        List<Row> rows = new ArrayList<>();
        String code = "import random, time; print(random.random(), time.time())";
        for (long i = 0; i < 8; i++) {
            rows.add(row(i, "python", code, null, null, null));
        }
        Dataset<Row> in = spark.createDataFrame(rows, INPUT).repartition(2);
        Map<Long, Row> got =
                byId(AirlockBatch.run(in, BatchOptions.builder().deterministic(42).build()));
        String first = got.get(0L).getAs("stdout");
        assertThat(first).endsWith(" 946684800.0\n");
        for (Row r : got.values()) {
            assertThat(r.<String>getAs("stdout")).isEqualTo(first);
        }
        Map<Long, Row> other =
                byId(AirlockBatch.run(in, BatchOptions.builder().deterministic(43).build()));
        assertThat(other.get(0L).<String>getAs("stdout")).isNotEqualTo(first);
    }

    @Test
    void rowsWithTestsGetAVerdict() {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType, false)
                        .add("code", DataTypes.StringType, false)
                        .add("tests", DataTypes.StringType, true);
        String add = "def add(a, b):\n    return a + b\n";
        String wrong = "def add(a, b):\n    return a - b\n";
        String check = "assert add(2, 3) == 5\nassert add(-1, 1) == 0\n";
        List<Row> rows =
                List.of(
                        RowFactory.create("right", add, check),
                        RowFactory.create("wrong", wrong, check),
                        RowFactory.create("loops", "while True: pass", check),
                        RowFactory.create("untested", add, null));
        Map<String, Row> got = new HashMap<>();
        for (Row r :
                AirlockBatch.run(
                                spark.createDataFrame(rows, schema),
                                BatchOptions.builder()
                                        .timeout(java.time.Duration.ofSeconds(2))
                                        .build())
                        .collectAsList()) {
            got.put(r.getString(0), r);
        }
        assertThat(got.get("right").<Boolean>getAs("passed")).isTrue();
        assertThat(got.get("wrong").<Boolean>getAs("passed")).isFalse();
        assertThat(got.get("wrong").<String>getAs("stderr")).contains("AssertionError");
        assertThat(got.get("loops").<Boolean>getAs("passed")).isFalse();
        assertThat(got.get("loops").<String>getAs("status")).isEqualTo("limit");
        assertThat(got.get("untested").isNullAt(got.get("untested").fieldIndex("passed"))).isTrue();
        assertThat(got.get("untested").<String>getAs("status")).isEqualTo("ok");
    }

    @Test
    void filesAreWrittenBeforeTheProgramRuns() {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType, false)
                        .add("code", DataTypes.StringType, false)
                        .add(
                                "files",
                                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
                                true);
        String read = "print(open('/workspace/data.txt').read().upper())";
        List<Row> rows =
                List.of(
                        RowFactory.create(
                                "given",
                                read,
                                scala.jdk.javaapi.CollectionConverters.asScala(
                                        Map.of("/workspace/data.txt", "abc"))),
                        RowFactory.create("none", read, null),
                        RowFactory.create(
                                "relative",
                                "print(1)",
                                scala.jdk.javaapi.CollectionConverters.asScala(
                                        Map.of("../outside.txt", "x"))));
        Map<String, Row> got = new HashMap<>();
        for (Row r : AirlockBatch.run(spark.createDataFrame(rows, schema)).collectAsList()) {
            got.put(r.getString(0), r);
        }
        assertThat(got.get("given").<String>getAs("stdout")).isEqualTo("ABC\n");
        // each row has its own sandbox: the file is not there for the next one
        assertThat(got.get("none").<String>getAs("stderr")).contains("FileNotFoundError");
        assertThat(got.get("relative").<String>getAs("status")).isEqualTo("rejected");
        assertThat(got.get("relative").<String>getAs("kind")).isEqualTo("input");
    }

    @Test
    void bytesGoInAndChangedFilesComeBack() {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType, false)
                        .add("code", DataTypes.StringType, false)
                        .add(
                                "files",
                                DataTypes.createMapType(DataTypes.StringType, DataTypes.BinaryType),
                                true);
        String code =
                "data = open('/workspace/in.bin', 'rb').read()\n"
                        + "open('/workspace/out.bin', 'wb').write(bytes(reversed(data)))\n"
                        + "open('/workspace/note.txt', 'w').write('done')\n"
                        + "print(len(data))";
        List<Row> rows =
                List.of(
                        RowFactory.create(
                                "bin",
                                code,
                                scala.jdk.javaapi.CollectionConverters.asScala(
                                        Map.of(
                                                "/workspace/in.bin",
                                                new byte[] {0, 1, (byte) 255}))));
        Row r = AirlockBatch.run(spark.createDataFrame(rows, schema)).collectAsList().get(0);
        assertThat(r.<String>getAs("stdout")).as(r.<String>getAs("stderr")).isEqualTo("3\n");
        Map<String, byte[]> changed =
                scala.jdk.javaapi.CollectionConverters.asJava(
                        r.<scala.collection.Map<String, byte[]>>getAs("changedFiles"));
        assertThat(changed.keySet()).contains("/workspace/out.bin", "/workspace/note.txt");
        assertThat(changed.get("/workspace/out.bin")).containsExactly((byte) 255, 1, 0);
        assertThat(
                        new String(
                                changed.get("/workspace/note.txt"),
                                java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("done");
    }

    @Test
    void wasmRowsRunTheirModuleWithTheirArguments() throws Exception {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType, false)
                        .add("language", DataTypes.StringType, false)
                        .add("module", DataTypes.StringType, true)
                        .add("args", DataTypes.createArrayType(DataTypes.StringType), true)
                        .add("timeoutMs", DataTypes.LongType, true);
        String hello =
                java.util.Base64.getEncoder()
                        .encodeToString(
                                java.nio.file.Files.readAllBytes(
                                        java.nio.file.Path.of("../examples/hello.wasm")));
        List<Row> rows =
                List.of(
                        RowFactory.create("args", "wasm", hello, new String[] {"one", "two"}, null),
                        RowFactory.create("bare", "wasm", hello, null, null),
                        RowFactory.create("garbage", "wasm", "AAAA", null, null),
                        RowFactory.create("not-base64", "wasm", "%%%", null, null),
                        RowFactory.create("missing", "wasm", null, null, null));
        Map<String, Row> got = new HashMap<>();
        for (Row r : AirlockBatch.run(spark.createDataFrame(rows, schema)).collectAsList()) {
            got.put(r.getString(0), r);
        }
        assertThat(got.get("args").<String>getAs("status")).isEqualTo("ok");
        assertThat(got.get("args").<String>getAs("stdout"))
                .isEqualTo("Hello from inside Airlock! Arguments:\none\ntwo\n");
        assertThat(got.get("bare").<String>getAs("stdout"))
                .isEqualTo("Hello from inside Airlock! Arguments:\n");
        // not a module: refused as the HTTP API refuses it; bad rows are input errors
        assertThat(got.get("garbage").<String>getAs("status")).isEqualTo("rejected");
        assertThat(got.get("not-base64").<String>getAs("message")).contains("not base64");
        assertThat(got.get("missing").<String>getAs("kind")).isEqualTo("input");
    }

    @Test
    void inputWithoutCodeOrWithAResultColumnIsRefusedAtOnce() {
        StructType noCode = new StructType().add("id", DataTypes.LongType);
        assertThatThrownBy(() -> AirlockBatch.outputSchema(noCode))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'code'");
        StructType clash = INPUT.add("status", DataTypes.StringType);
        assertThatThrownBy(() -> AirlockBatch.outputSchema(clash)).hasMessageContaining("'status'");
        assertThatThrownBy(() -> BatchOptions.builder().language("cobol"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchOptions.builder().memoryBytes(10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
