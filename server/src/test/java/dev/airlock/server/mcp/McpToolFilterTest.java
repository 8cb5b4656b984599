package dev.airlock.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncListFilter;
import io.modelcontextprotocol.server.McpSyncListFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The skill list filter is asked in the thread that walks the tool list. The SDK's own adapter asks
 * it on another thread, and Reactor's filterWhen then sometimes drops the items after an answer
 * that arrives while the walk is still going (a tools/list once answered only run_python).
 */
class McpToolFilterTest {
    @Test
    void theFilterIsAskedInTheWalkingThreadAndNoItemIsLost() {
        Set<Thread> askedIn = ConcurrentHashMap.newKeySet();
        McpSyncListFilter<Integer> odd =
                (ctx, n) -> {
                    askedIn.add(Thread.currentThread());
                    return n % 2 == 1;
                };
        McpAsyncListFilter<Integer> filter = McpServers.inPlace(odd);
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        List<Integer> want = items.stream().filter(n -> n % 2 == 1).toList();
        for (int round = 0; round < 500; round++) {
            List<Integer> got =
                    Flux.fromIterable(items)
                            .filterWhen(n -> filter.isVisible(McpTransportContext.EMPTY, n))
                            .collectList()
                            .block();
            assertThat(got).isEqualTo(want);
        }
        assertThat(new ArrayList<>(askedIn)).containsExactly(Thread.currentThread());
    }
}
