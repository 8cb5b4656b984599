package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every Python sandbox is restored from one image in which {@code random} is already imported (and
 * seeded once): each sandbox must seed it again from its own policy's random source, and a policy
 * that denies randomness or the clock must still run programs.
 */
class PythonRandomTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    private static String draw(Policy policy) {
        Capture c = new Capture();
        Execution e =
                CI.run(
                        Language.PYTHON,
                        "import random\nprint(random.random(), random.getrandbits(64))",
                        policy,
                        c.stdio());
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        return c.out();
    }

    @Test
    void eachSandboxDrawsItsOwnNumbers() {
        Policy real = Policy.defaults();
        assertThat(draw(real)).isNotEqualTo(draw(real));
    }

    @Test
    void aSeededPolicyDrawsTheSameNumbersEveryTime() {
        Policy one = Policy.builder().random(RandomMode.seeded(7)).build();
        Policy other = Policy.builder().random(RandomMode.seeded(8)).build();
        assertThat(draw(one)).isEqualTo(draw(one)).isNotEqualTo(draw(other));
    }

    @Test
    void programsRunWhenRandomnessAndTheClockAreDenied() {
        Policy denied = Policy.builder().random(RandomMode.DENY).clock(ClockMode.DENY).build();
        assertThat(draw(denied)).matches("0\\.\\d+ \\d+\n");
    }
}
