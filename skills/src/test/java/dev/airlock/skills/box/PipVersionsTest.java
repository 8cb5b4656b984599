package dev.airlock.skills.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python's version order and specifiers, as pip applies them when choosing a wheel. */
class PipVersionsTest {
    @Test
    void versionsSortAsPipSortsThem() {
        List<String> sorted =
                List.of(
                        "1.0.dev1",
                        "1.0a1",
                        "1.0a2",
                        "1.0b1",
                        "1.0rc1",
                        "1.0",
                        "1.0.post1",
                        "1.1",
                        "1.9",
                        "1.10",
                        "2.0");
        for (int i = 0; i + 1 < sorted.size(); i++) {
            assertThat(PipVersions.parse(sorted.get(i)))
                    .as(sorted.get(i) + " < " + sorted.get(i + 1))
                    .isLessThan(PipVersions.parse(sorted.get(i + 1)));
        }
        assertThat(PipVersions.parse("1.0")).isEqualTo(PipVersions.parse("1.0.0"));
        assertThat(PipVersions.parse("1.0+local")).isEqualTo(PipVersions.parse("1.0"));
        assertThat(PipVersions.parse("not-a-version")).isNull();
    }

    @Test
    void specifiersHoldAsWritten() {
        assertThat(PipVersions.spec("").allows("3.1", false)).isTrue();
        assertThat(PipVersions.spec(">=1.2,<2").allows("1.10", false)).isTrue();
        assertThat(PipVersions.spec(">=1.2,<2").allows("2.0", false)).isFalse();
        assertThat(PipVersions.spec(">=1.2,<2").allows("1.1", false)).isFalse();
        assertThat(PipVersions.spec("(>=1.2)").allows("1.2", false)).isTrue();
        assertThat(PipVersions.spec("==1.2.*").allows("1.2.7", false)).isTrue();
        assertThat(PipVersions.spec("==1.2.*").allows("1.3", false)).isFalse();
        assertThat(PipVersions.spec("!=1.2.*").allows("1.3", false)).isTrue();
        assertThat(PipVersions.spec("~=1.4.2").allows("1.4.9", false)).isTrue();
        assertThat(PipVersions.spec("~=1.4.2").allows("1.5", false)).isFalse();
        assertThat(PipVersions.spec("~=1.4").allows("1.9", false)).isTrue();
        assertThat(PipVersions.spec("~=1.4").allows("2.0", false)).isFalse();
        assertThat(PipVersions.spec("== 1.0").allows("1.0.0", false)).isTrue();
        assertThat(PipVersions.spec("!=1.0").allows("1.0", false)).isFalse();
        assertThat(PipVersions.spec("===1.0").allows("1.0.0", false)).isFalse();
        // pre-releases only when a clause names one
        assertThat(PipVersions.spec(">=1.0").allows("2.0rc1", false)).isFalse();
        assertThat(PipVersions.spec(">=2.0rc1").allows("2.0rc1", false)).isTrue();
        assertThat(PipVersions.spec(">=1.0").allows("2.0rc1", true)).isTrue();
        // no specifier: any version, even one that is not PEP 440's
        assertThat(PipVersions.spec("").allows("nightly", false)).isTrue();
        assertThat(PipVersions.spec(">=1").allows("nightly", false)).isFalse();
    }

    @Test
    void aClauseThatIsNotOneIsRefusedByName() {
        for (String bad : List.of(">>1", "=1.0", ">=", ">=1.0,", "~=x")) {
            assertThatThrownBy(() -> PipVersions.spec(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a version specifier");
        }
    }
}
