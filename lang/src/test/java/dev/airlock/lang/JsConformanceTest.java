package dev.airlock.lang;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs each program of {@code js-conformance/NAME.js} in a fresh interpreter, as {@code airlock js}
 * does, and compares its stdout with {@code NAME.out}, what Node 20 printed for it ({@code
 * regenerate.sh}).
 */
class JsConformanceTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    /**
     * A frozen clock: timers then fire in the order of their due times however slow the machine
     * (with a real clock, a timer that fires late delays an interval's next run, as in Node).
     */
    static final Policy POLICY = Policy.builder().clock(ClockMode.FROZEN).build();

    /**
     * Programs whose output is known to differ from Node's, with the reason. Keep it short: fix the
     * runtime rather than add to it.
     */
    static final Map<String, String> EXPECTED_DIFFERENCES = Map.of();

    static final ConformanceSuite SUITE =
            new ConformanceSuite(
                    "js-conformance", ".js", Language.JAVASCRIPT, POLICY, EXPECTED_DIFFERENCES);

    @AfterAll
    static void close() {
        CI.close();
    }

    @Test
    void thereAreEnoughProgramsEachWithItsExpectedOutput() throws Exception {
        SUITE.checkLayout(40);
    }

    @TestFactory
    Stream<DynamicTest> eachProgramPrintsWhatNodePrints() throws Exception {
        return SUITE.tests(CI);
    }
}
