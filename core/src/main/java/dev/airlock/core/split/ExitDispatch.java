package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteWriter;
import java.util.List;

/** What follows the call of an outlined piece: the branch its exit code asks for. */
final class ExitDispatch {
    private ExitDispatch() {}

    /**
     * Writes the caller's dispatch on a piece's exit code in local {@code x} (0: carry on; j: the
     * j-th escape; one past the escapes: return the {@code retCount} values held in the locals
     * after {@code x}): a {@code br_if} for a single escape, one {@code br_table} for several. A
     * compare per escape made these dispatches most of a huge function's remaining skeleton, and
     * each compare is a call in the compiled code.
     */
    static void write(
            ByteWriter call, int x, List<Integer> escapes, boolean returns, int retCount) {
        int n = escapes.size();
        if (n == 0 && !returns) {
            return;
        }
        if (n == 1 && !returns) {
            call.u8(0x20).u32(x).u8(0x0D).u32(escapes.get(0));
            return;
        }
        if (n == 0) {
            call.u8(0x20).u32(x).u8(0x04).u8(0x40);
            pushReturn(call, x, retCount);
            call.u8(0x0B);
            return;
        }
        int inner = returns ? 2 : 1;
        int carryOn = returns ? 1 : 0;
        call.u8(0x02).u8(0x40);
        if (returns) {
            call.u8(0x02).u8(0x40);
        }
        call.u8(0x20).u32(x).u8(0x0E).u32(n + 1 + (returns ? 1 : 0));
        call.u32(carryOn);
        for (int e : escapes) {
            call.u32(e + inner);
        }
        if (returns) {
            call.u32(0);
        }
        call.u32(carryOn);
        if (returns) {
            call.u8(0x0B);
            pushReturn(call, x, retCount);
        }
        call.u8(0x0B);
    }

    private static void pushReturn(ByteWriter call, int x, int retCount) {
        for (int i = 0; i < retCount; i++) {
            call.u8(0x20).u32(x + 1 + i);
        }
        call.u8(0x0F);
    }
}
