package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void helloWorldRunsAndIsCounted() {
        Guests.Run r = Guests.run(Guests.wat(Guests.helloWat("hello\n")), Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout()).isEqualTo("hello\n");
        assertThat(r.outcome().usage().stdoutBytes()).isEqualTo(6);
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(1);
        assertThat(r.outcome().usage().memoryPeakBytes()).isEqualTo(65536);
    }
}
