package dev.airlock.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.fuel.CostTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Semantic preservation: the core spec tests ({@code testdata/wasm-spec} of the repository) run on
 * each module as it is and on its metered copy with an ample budget, in Chicory's interpreter.
 * Every command that passes on the original passes on the metered copy; the metering pass refuses
 * or the validator rejects every malformed or invalid module, and the pass never crashes. The
 * counts are printed and written to {@code target/fuel-spec-counts.txt}.
 */
class FuelSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong COMMANDS = new AtomicLong();
    private static final AtomicLong PLAIN = new AtomicLong();
    private static final AtomicLong METERED = new AtomicLong();
    private static final AtomicLong FUEL = new AtomicLong();
    private static final List<String> LINES = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> meteredModulesPassWhatTheOriginalsPass() throws IOException {
        return SpecScript.perScript(".*", spec -> check(spec));
    }

    private static void check(Path spec) throws IOException {
        JsonNode script = JSON.readTree(spec.toFile());
        String name = spec.getParent().getFileName().toString();
        List<SpecScript.Result> plain =
                new SpecScript(spec.getParent(), false, CostTable.defaults()).run(script);
        SpecScript m = new SpecScript(spec.getParent(), true, CostTable.defaults());
        List<SpecScript.Result> metered = m.run(script);
        assertThat(metered).hasSameSizeAs(plain);
        if (name.equals(System.getProperty("airlock.spec.debug"))) {
            plain.stream()
                    .filter(r -> !r.passed())
                    .limit(40)
                    .forEach(
                            r ->
                                    System.out.println(
                                            name + " line " + r.line() + ": " + r.detail()));
        }
        List<String> lost = new ArrayList<>();
        long p = 0;
        long q = 0;
        for (int i = 0; i < plain.size(); i++) {
            SpecScript.Result a = plain.get(i);
            SpecScript.Result b = metered.get(i);
            p += a.passed() ? 1 : 0;
            q += b.passed() ? 1 : 0;
            if (a.passed() && !b.passed()) {
                lost.add("line " + b.line() + " " + b.type() + ": " + b.detail());
            }
        }
        COMMANDS.addAndGet(plain.size());
        PLAIN.addAndGet(p);
        METERED.addAndGet(q);
        FUEL.addAndGet(m.fuelUsed());
        synchronized (LINES) {
            LINES.add(
                    String.format(
                            Locale.ROOT,
                            "%-36s %6d commands %6d pass %6d pass metered",
                            name,
                            plain.size(),
                            p,
                            q));
        }
        assertThat(m.crashes()).as("crashes of the metering pass").isEmpty();
        assertThat(m.exhausted()).as("ran out of fuel").isFalse();
        assertThat(lost).as(name + ": passed unmetered, failed metered").isEmpty();
    }

    @AfterAll
    static void report() throws IOException {
        List<String> out = new ArrayList<>(LINES);
        out.sort(null);
        out.add(
                String.format(
                        Locale.ROOT,
                        "TOTAL %d commands: %d pass unmetered, %d pass metered (fuel used %d)",
                        COMMANDS.get(),
                        PLAIN.get(),
                        METERED.get(),
                        FUEL.get()));
        System.out.println(out.get(out.size() - 1));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/fuel-spec-counts.txt"), out);
    }
}
