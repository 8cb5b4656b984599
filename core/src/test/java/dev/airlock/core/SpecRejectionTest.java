package dev.airlock.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airlock.core.testing.Guests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every binary {@code assert_malformed} and {@code assert_invalid} module of the core WebAssembly
 * spec tests ({@code testdata/wasm-spec}, unzipped to {@code
 * target/testdata/wasm-spec/core-v2/NAME/spec.json}, converted by {@code wast2json}) is refused by
 * {@link Airlock#load(byte[])} with a {@link ModuleRejectedException} whose reason is {@code
 * malformed} or {@code invalid} and whose message is not empty: never another exception, never a
 * hang. Text modules ({@code module_type} {@code text}) are {@code .wat} sources, not binaries, and
 * are skipped.
 */
class SpecRejectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Only a guard against hangs, not a performance bound. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    private static final Set<String> REASONS = Set.of("malformed", "invalid");

    /**
     * Modules the spec refuses but Chicory's parser and validator accept, by {@code NAME/file},
     * with the reason. Each still runs: while accepted it is reported as aborted; once refused it
     * fails, so that this list is kept honest.
     */
    static final Map<String, String> KNOWN_GAPS = new TreeMap<>();

    static {
        gap(
                "Chicory reads the reserved byte of memory.size and memory.grow as a LEB128 memory"
                        + " index (the multi-memory encoding), so a zero written in 2 to 5 bytes is"
                        + " accepted where Wasm 2.0 expects one zero byte",
                "binary",
                107,
                108,
                109,
                110,
                112,
                113,
                114,
                115);
    }

    private static void gap(String reason, String spec, int... modules) {
        for (int n : modules) {
            KNOWN_GAPS.put(spec + "/spec." + n + ".wasm", reason);
        }
    }

    @TestFactory
    Stream<DynamicNode> specModulesAreRejected() throws IOException {
        Path base = Guests.testdata().resolve("wasm-spec/core-v2");
        List<Path> specs;
        try (Stream<Path> dirs = Files.list(base)) {
            specs =
                    dirs.map(d -> d.resolve("spec.json"))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .toList();
        }
        assertFalse(specs.isEmpty(), "no spec tests under " + base);
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path spec : specs) {
            String name = spec.getParent().getFileName().toString();
            List<DynamicNode> tests = new ArrayList<>();
            for (JsonNode cmd : JSON.readTree(spec.toFile()).path("commands")) {
                String type = cmd.path("type").asText();
                if (!type.equals("assert_malformed") && !type.equals("assert_invalid")) {
                    continue;
                }
                if (!cmd.path("module_type").asText().equals("binary")) {
                    continue;
                }
                String file = cmd.path("filename").asText();
                String id = name + "/" + file;
                String display =
                        id
                                + " (line "
                                + cmd.path("line").asInt()
                                + ": "
                                + type
                                + " \""
                                + cmd.path("text").asText()
                                + "\")";
                Path wasm = spec.resolveSibling(file);
                tests.add(DynamicTest.dynamicTest(display, wasm.toUri(), () -> check(id, wasm)));
            }
            if (!tests.isEmpty()) {
                nodes.add(DynamicContainer.dynamicContainer(name, tests));
            }
        }
        return nodes.stream();
    }

    private static void check(String id, Path wasm) throws IOException {
        byte[] bytes = Files.readAllBytes(wasm);
        ModuleRejectedException rejected =
                assertTimeoutPreemptively(
                        HANG_GUARD,
                        () -> {
                            try {
                                Guests.AIRLOCK.load(bytes);
                                return null;
                            } catch (ModuleRejectedException e) {
                                return e;
                            }
                        },
                        id + " did not finish loading");
        String gap = KNOWN_GAPS.get(id);
        if (rejected == null) {
            if (gap != null) {
                Assumptions.abort("known gap: " + gap);
            }
            fail(id + " was accepted");
        }
        if (gap != null) {
            fail(id + " is listed as a known gap but is rejected now; remove it from KNOWN_GAPS");
        }
        assertTrue(
                REASONS.contains(rejected.reason()),
                id + ": reason " + rejected.reason() + ": " + rejected.getMessage());
        assertTrue(
                rejected.getMessage() != null && !rejected.getMessage().isBlank(),
                id + ": empty message");
    }
}
