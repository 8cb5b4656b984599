package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteReader;
import dev.airlock.core.fuel.Decoder;

/**
 * What the splitter's thresholds measure: a function's code bytes, plus {@code access} more for
 * each memory load or store. HotSpot's C2 inlines into a method only until the method's own
 * bytecode and what it inlined reach 8,000 bytes ({@code DesiredMethodLimit}, which a product JVM
 * cannot change); every load and store is a call of Chicory's helpers, about 66 bytes of bytecode
 * once inlined against the 2 to 7 bytes of the WebAssembly instruction. A function of crypto code
 * under the byte threshold (xchacha20's, 1.8 KB with 140 loads and stores) spent the budget
 * halfway, and each access after that was a real call. Counting accesses heavier splits such
 * functions into pieces whose helpers HotSpot inlines whole.
 */
final class Weights {
    private Weights() {}

    /** The extra weight of the instruction with opcode {@code op} (as {@link Decoder#op}). */
    static int extra(int op, int access) {
        return op >= 0x28 && op <= 0x3E ? access : 0;
    }

    /** The weight of {@code code}, a sequence of whole instructions. */
    static long of(byte[] code, int access) {
        if (access == 0) {
            return code.length;
        }
        ByteReader r = new ByteReader(code, 0, code.length);
        Decoder d = new Decoder();
        long total = 0;
        while (!r.atEnd()) {
            int pos = r.pos();
            d.next(r);
            total += (r.pos() - pos) + extra(d.op, access);
        }
        return total;
    }
}
