package dev.airlock.springai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The configuration metadata the build writes lists every property with its text and default. */
class ConfigurationMetadataTest {
    @Test
    void everyPropertyIsDescribedWithItsDefault() throws Exception {
        JsonNode root;
        try (InputStream in =
                getClass()
                        .getClassLoader()
                        .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("metadata written by the configuration processor").isNotNull();
            root = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode p : root.path("properties")) {
            byName.put(p.path("name").asText(), p);
        }
        assertThat(byName)
                .containsOnlyKeys(
                        "airlock.tools.enabled",
                        "airlock.tools.timeout",
                        "airlock.tools.memory",
                        "airlock.tools.max-output",
                        "airlock.tools.max-result-chars",
                        "airlock.tools.sessions",
                        "airlock.tools.max-sessions",
                        "airlock.tools.languages");
        byName.forEach(
                (name, p) ->
                        assertThat(p.path("description").asText())
                                .as(name)
                                .isNotBlank()
                                .contains("default"));
        // every default the metadata states is the one a fresh properties object holds
        AirlockToolsProperties fresh = new AirlockToolsProperties();
        assertThat(byName.get("airlock.tools.enabled").path("defaultValue").asBoolean(false))
                .isEqualTo(fresh.isEnabled());
        assertThat(byName.get("airlock.tools.sessions").path("defaultValue").asBoolean(true))
                .isEqualTo(fresh.isSessions());
        assertThat(Duration.parse("PT" + text(byName, "timeout").toUpperCase(Locale.ROOT)))
                .isEqualTo(fresh.getTimeout());
        assertThat(DataSize.parse(text(byName, "memory"))).isEqualTo(fresh.getMemory());
        assertThat(DataSize.parse(text(byName, "max-output"))).isEqualTo(fresh.getMaxOutput());
        assertThat(byName.get("airlock.tools.max-result-chars").path("defaultValue").asInt())
                .isEqualTo(fresh.getMaxResultChars());
        assertThat(byName.get("airlock.tools.max-sessions").path("defaultValue").asInt())
                .isEqualTo(fresh.getMaxSessions());
        List<String> languages = new ArrayList<>();
        byName.get("airlock.tools.languages")
                .path("defaultValue")
                .forEach(l -> languages.add(l.asText().toUpperCase(Locale.ROOT)));
        assertThat(languages).isEqualTo(fresh.getLanguages().stream().map(Enum::name).toList());
        assertThat(byName.get("airlock.tools.timeout").path("type").asText())
                .isEqualTo("java.time.Duration");
    }

    private static String text(Map<String, JsonNode> byName, String name) {
        JsonNode v = byName.get("airlock.tools." + name).path("defaultValue");
        assertThat(v.isTextual()).as(name + " has a default").isTrue();
        return v.asText();
    }
}
