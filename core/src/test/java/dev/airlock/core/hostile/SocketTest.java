package dev.airlock.core.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Denial;
import dev.airlock.core.Mount;
import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import dev.airlock.core.event.Decision;
import dev.airlock.core.event.HostCallEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guests that try the network: every {@code sock_*} call, on every plausible descriptor (stdio, a
 * preopened directory, numbers never opened), fails as on a host without sockets ({@code ENOTSOCK}
 * for an open descriptor, {@code EBADF} for any other, as the WASI test suite expects) and is
 * recorded as a denial of rule {@code net.sockets}. Nothing is sent anywhere, not even to stdout.
 */
class SocketTest {
    private static final long ENOTSOCK = 57;
    private static final long EBADF = 8;
    private static final String RULE = "net.sockets";
    private static final String DETAIL = "sockets are not granted";

    @TempDir Path dir;

    /** The four socket calls on descriptor {@code fd}, each errno printed. */
    private static String probes(int fd) {
        return String.format(
                """
                (call $say (call $sock_accept (i32.const %1$d) (i32.const 0) (i32.const 512)))
                (call $say (call $sock_recv (i32.const %1$d) (i32.const 32) (i32.const 1)
                                            (i32.const 0) (i32.const 520) (i32.const 524)))
                (call $say (call $sock_send (i32.const %1$d) (i32.const 32) (i32.const 1)
                                            (i32.const 0) (i32.const 528)))
                (call $say (call $sock_shutdown (i32.const %1$d) (i32.const 2)))
                """,
                fd);
    }

    @Test
    void everySocketCallIsDeniedOnEveryDescriptor() {
        StringBuilder body = new StringBuilder();
        for (int fd = 0; fd <= 10; fd++) {
            body.append(probes(fd));
        }
        byte[] wasm =
                Hostile.guest(
                        """
                        (data (i32.const 4096) "GET / HTTP/1.0\\r\\n\\r\\n")
                        (func (export "_start")
                          ;; one iovec: the request bytes
                          (i32.store (i32.const 32) (i32.const 4096))
                          (i32.store (i32.const 36) (i32.const 18))
                          ;; results that must stay untouched
                          (i64.store (i32.const 512) (i64.const -1))
                          (i64.store (i32.const 520) (i64.const -1))
                          (i64.store (i32.const 528) (i64.const -1))
                        """
                                + body
                                + """
                          (call $say64 (i64.load (i32.const 512)))
                          (call $say64 (i64.load (i32.const 520)))
                          (call $say64 (i64.load (i32.const 528))))
                        """);
        Hostile.Result r =
                Hostile.run(
                        wasm,
                        Policy.builder()
                                .mount(new Mount(dir, "/data", Mount.Mode.READ_WRITE))
                                .build());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        // fds 0-2 are stdio and 3 the preopen: open, never sockets; 4-10 are not open
        List<Object> expected = new ArrayList<>(Collections.nCopies(16, ENOTSOCK));
        expected.addAll(Collections.nCopies(28, EBADF));
        expected.addAll(List.of(-1, -1, -1));
        assertThat(r.stdout()).isEqualTo(Script.lines(expected.toArray()));
        assertThat(r.stdout()).doesNotContain("GET");

        List<Denial> denials = new ArrayList<>();
        for (int fd = 0; fd <= 10; fd++) {
            for (String call : List.of("sock_accept", "sock_recv", "sock_send", "sock_shutdown")) {
                denials.add(new Denial("wasi_snapshot_preview1." + call, RULE, DETAIL));
            }
        }
        assertThat(r.outcome().denials()).containsExactlyElementsOf(denials);

        List<HostCallEvent> sock =
                r.hostCalls().stream().filter(e -> e.call().contains(".sock_")).toList();
        assertThat(sock).hasSize(44);
        for (int i = 0; i < sock.size(); i++) {
            HostCallEvent e = sock.get(i);
            assertThat(e.decision()).isEqualTo(Decision.DENY);
            assertThat(e.rule()).isEqualTo(RULE);
            assertThat(e.result()).isEqualTo(i < 16 ? ENOTSOCK : EBADF);
        }
    }

    @Test
    void deniedSocketCallsCannotBeUsedToFloodTheDenialList() {
        // 1000 denied calls: all are counted and audited, at most 100 are kept in the outcome
        byte[] wasm =
                Hostile.guest(
                        """
                        (func (export "_start") (local $i i32)
                          (loop $more
                            (drop (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 512)))
                            (local.set $i (i32.add (local.get $i) (i32.const 1)))
                            (br_if $more (i32.lt_u (local.get $i) (i32.const 1000)))))
                        """);
        Hostile.Result r = Hostile.run(wasm, Policy.defaults());
        assertThat(r.outcome().status()).isEqualTo(Status.OK);
        assertThat(r.outcome().usage().hostCalls()).isEqualTo(1000);
        assertThat(r.hostCalls()).hasSize(1000);
        assertThat(r.outcome().denials()).hasSize(100).allMatch(d -> d.rule().equals(RULE));
    }
}
