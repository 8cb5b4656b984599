package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.fuel.CostTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The function splitter on the whole spec corpus: every module is split with a tiny threshold (so
 * that nearly every function of more than a few instructions is outlined, many times over), once as
 * it is and once metered, and run compiled; every command that passes on the original module in the
 * interpreter passes on the split one.
 */
class SplitSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THRESHOLD = Integer.getInteger("airlock.split.test.threshold", 24);
    private static final AtomicLong SPLIT = new AtomicLong();

    @TestFactory
    Stream<DynamicTest> splitModulesPassWhatTheOriginalsPass() throws IOException {
        return SpecScript.perScript(
                System.getProperty("airlock.split.test.filter", ".*"), spec -> check(spec));
    }

    private static void check(Path spec) throws IOException {
        JsonNode script = JSON.readTree(spec.toFile());
        for (boolean metered : new boolean[] {false, true}) {
            List<SpecScript.Result> plain =
                    new SpecScript(spec.getParent(), metered, CostTable.defaults(), 0, true)
                            .run(script);
            SpecScript s =
                    new SpecScript(
                            spec.getParent(), metered, CostTable.defaults(), THRESHOLD, true);
            List<SpecScript.Result> split = s.run(script);
            SPLIT.addAndGet(s.splitModules());
            assertThat(split).hasSameSizeAs(plain);
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                SpecScript.Result a = plain.get(i);
                SpecScript.Result b = split.get(i);
                if (a.passed() && !b.passed()) {
                    lost.add(
                            (metered ? "metered " : "")
                                    + "line "
                                    + b.line()
                                    + " "
                                    + b.type()
                                    + ": "
                                    + b.detail());
                }
            }
            assertThat(lost).as("commands that fail once split").isEmpty();
        }
    }

    @AfterAll
    static void someModulesWereSplit() {
        System.out.println("split spec: " + SPLIT.get() + " modules split");
        assertThat(SPLIT.get()).as("modules the splitter changed").isPositive();
    }
}
