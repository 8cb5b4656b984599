package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a rejection or a compiler note says of a failure that came without a message: never the name
 * of a Java class, which would reach the user in {@code malformed module: ...}.
 */
class ModuleParserDescribeTest {
    @Test
    void aFailureWithoutAMessageIsDescribedWithoutItsClass() {
        for (Throwable t :
                new Throwable[] {
                    new IndexOutOfBoundsException(),
                    new IllegalArgumentException(" "),
                    new StackOverflowError()
                }) {
            assertThat(ModuleParser.describe(t))
                    .isNotBlank()
                    .doesNotContain("Exception")
                    .doesNotContain("Error");
        }
        assertThat(ModuleParser.describe(new IllegalArgumentException("bad section 12")))
                .isEqualTo("bad section 12");
    }
}
