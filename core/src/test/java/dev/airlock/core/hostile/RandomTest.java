package dev.airlock.core.hostile;

import static dev.airlock.core.hostile.Hostile.ENOTCAPABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import dev.airlock.core.Status;
import org.junit.jupiter.api.Test;

/**
 * Guests that ask for random bytes. Seeded, the bytes are the same for the same seed in every run
 * and differ between seeds; real, they differ between runs; denied, {@code random_get} fails with
 * {@code ENOTCAPABLE}, leaves the buffer untouched and is recorded as a denial of rule {@code
 * random.deny}.
 */
class RandomTest {
    /**
     * Fills 4096..4127 with 0xAA, asks for 32 random bytes there, prints the errno and the 32 bytes
     * as hex; then asks again for 100000 bytes (more than one 4 KiB chunk) at 8192 and prints the
     * errno and the last 8 bytes as hex (memory is grown to 3 pages first).
     */
    private static final byte[] PROBE =
            Hostile.guest(
                    """
                    (data (i32.const 256) "0123456789abcdef")
                    (func $hex (param $p i32) (param $n i32) (local $i i32) (local $b i32)
                      (loop $each
                        (local.set $b (i32.load8_u (i32.add (local.get $p) (local.get $i))))
                        (i32.store8 (i32.add (i32.const 2048) (i32.shl (local.get $i) (i32.const 1)))
                          (i32.load8_u (i32.add (i32.const 256) (i32.shr_u (local.get $b) (i32.const 4)))))
                        (i32.store8 (i32.add (i32.const 2049) (i32.shl (local.get $i) (i32.const 1)))
                          (i32.load8_u (i32.add (i32.const 256) (i32.and (local.get $b) (i32.const 15)))))
                        (local.set $i (i32.add (local.get $i) (i32.const 1)))
                        (br_if $each (i32.lt_u (local.get $i) (local.get $n))))
                      (call $print (i32.const 2048) (i32.shl (local.get $n) (i32.const 1)))
                      (call $nl))
                    (func (export "_start")
                      (drop (memory.grow (i32.const 2)))
                      (memory.fill (i32.const 4096) (i32.const 0xaa) (i32.const 32))
                      (call $say (call $random_get (i32.const 4096) (i32.const 32)))
                      (call $hex (i32.const 4096) (i32.const 32))
                      (memory.fill (i32.const 8192) (i32.const 0xaa) (i32.const 100000))
                      (call $say (call $random_get (i32.const 8192) (i32.const 100000)))
                      (call $hex (i32.const 108184) (i32.const 8)))
                    """);

    private static Policy random(RandomMode mode) {
        return Policy.builder().random(mode).build();
    }

    private static String run(RandomMode mode) {
        Hostile.Result r = Hostile.run(PROBE, random(mode));
        assertThat(r.outcome().status()).as("%s", r.outcome()).isEqualTo(Status.OK);
        return r.stdout();
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        String a = run(RandomMode.seeded(42));
        String b = run(RandomMode.seeded(42));
        assertThat(a).isEqualTo(b);
        assertThat(a).matches("0\n[0-9a-f]{64}\n0\n[0-9a-f]{16}\n");
        // not the untouched filler
        assertThat(a).doesNotContain("aaaaaaaaaaaaaaaa");
    }

    @Test
    void differentSeedsGiveDifferentBytes() {
        String a = run(RandomMode.seeded(42));
        String b = run(RandomMode.seeded(43));
        String c = run(RandomMode.seeded(-42));
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
        assertThat(b).isNotEqualTo(c);
        assertThat(a.split("\n")[1]).isNotEqualTo(b.split("\n")[1]);
    }

    @Test
    void realRandomnessDiffersBetweenRuns() {
        String a = run(RandomMode.REAL);
        String b = run(RandomMode.REAL);
        assertThat(a).matches("0\n[0-9a-f]{64}\n0\n[0-9a-f]{16}\n");
        assertThat(a.split("\n")[1]).isNotEqualTo(b.split("\n")[1]);
    }

    @Test
    void deniedRandomnessFailsAndIsRecorded() {
        Hostile.Result r = Hostile.run(PROBE, random(RandomMode.DENY));
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.stdout())
                .isEqualTo(Script.lines(ENOTCAPABLE, "aa".repeat(32), ENOTCAPABLE, "aa".repeat(8)));
        Denial d =
                new Denial(
                        "wasi_snapshot_preview1.random_get", "random.deny", "randomness is denied");
        assertThat(r.outcome().denials()).containsExactly(d, d);
    }
}
