package dev.airlock.lang;

import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs each program of {@code py-conformance/NAME.py} (together they import and use over a hundred
 * standard modules: sqlite3, bz2, lzma, zoneinfo, asyncio, unittest, doctest, xml and more) in a
 * fresh interpreter and compares its stdout with {@code NAME.out}, what a native CPython of the
 * same version printed ({@code regenerate.sh}).
 */
class PyConformanceTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    static final Policy POLICY =
            Policy.builder()
                    .limits(
                            Limits.builder()
                                    .timeout(Duration.ofMinutes(2))
                                    .memoryBytes(512L << 20)
                                    .build())
                    .build();

    /**
     * Programs whose output is known to differ from the native interpreter's, with the reason. Keep
     * it short: fix the runtime rather than add to it.
     */
    static final Map<String, String> EXPECTED_DIFFERENCES = Map.of();

    static final ConformanceSuite SUITE =
            new ConformanceSuite(
                    "py-conformance", ".py", Language.PYTHON, POLICY, EXPECTED_DIFFERENCES);

    @AfterAll
    static void close() {
        CI.close();
    }

    @Test
    void thereAreEnoughProgramsEachWithItsExpectedOutput() throws Exception {
        SUITE.checkLayout(15);
    }

    @TestFactory
    Stream<DynamicTest> eachProgramPrintsWhatCPythonPrints() throws Exception {
        return SUITE.tests(CI);
    }
}
