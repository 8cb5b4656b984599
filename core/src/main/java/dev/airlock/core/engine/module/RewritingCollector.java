package dev.airlock.core.engine.module;

import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import java.util.function.Predicate;
import org.objectweb.asm.tree.MethodNode;

/**
 * Chicory's class collector with {@link PieceReturns}, {@link InterruptChecks}, {@link
 * StackPointerWrites}, {@link OpcodeCalls} and {@link FlatAccesses} applied to each class before it
 * is loaded (and so before the module cache stores it), and {@link IndirectCalls} to the main
 * class.
 */
final class RewritingCollector extends ClassLoadingCollector {
    /**
     * Whether the rewrite is off: the system property {@code airlock.jit.rewrite=off} (for
     * comparisons; the module cache keeps such classes apart).
     */
    static final boolean OFF = "off".equals(System.getProperty("airlock.jit.rewrite"));

    /**
     * Whether {@link InterruptChecks} is off: the system property {@code airlock.jit.checks=plain}
     * (for comparisons; the module cache keeps such classes apart).
     */
    static final boolean PLAIN_CHECKS = "plain".equals(System.getProperty("airlock.jit.checks"));

    private final int firstPiece;

    /**
     * @param firstPiece the index of the first function the splitter added (imported functions
     *     included), or 0 if the module was not split
     */
    RewritingCollector(int firstPiece) {
        this.firstPiece = firstPiece;
    }

    @Override
    public void put(String name, byte[] bytes) {
        super.put(name, rewrite(name, bytes, firstPiece));
    }

    @Override
    public void putMainClass(String name, byte[] bytes) {
        byte[] main = rewrite(name, bytes, firstPiece);
        super.putMainClass(name, OFF ? main : IndirectCalls.rewrite(main));
    }

    /**
     * The class with its pieces' returns and its functions' interrupt checks rewritten, its writes
     * of the stack pointer checked ({@link StackPointerWrites}) and its comparisons and loads in
     * huge functions put in place ({@link OpcodeCalls}, {@link FlatAccesses}), all in one read and
     * one write of the class; where that fails, one pass at a time ({@link #onePassEach}).
     */
    static byte[] rewrite(String name, byte[] bytes, int firstPiece) {
        if (OFF) {
            return bytes;
        }
        Predicate<MethodNode> plain =
                m -> returnsAndChecks(m, firstPiece) | StackPointerWrites.replace(m);
        byte[] once =
                ClassRewrite.rewriteInOnePass(
                        bytes, RewritingCollector::isFunction, plain, RewritingCollector::inPlace);
        return once != null ? once : onePassEach(bytes, firstPiece);
    }

    /**
     * The same changes one pass at a time, where the single pass failed: a pass that fails leaves
     * the class as it was and the next still applies ({@link StackPointerWrites} in particular,
     * which cannot fail).
     */
    static byte[] onePassEach(byte[] bytes, int firstPiece) {
        byte[] out =
                ClassRewrite.rewrite(
                        bytes,
                        RewritingCollector::isFunction,
                        m -> returnsAndChecks(m, firstPiece));
        out =
                ClassRewrite.rewrite(
                        out, RewritingCollector::isFunction, StackPointerWrites::replace);
        return ClassRewrite.rewriteComputingFrames(
                out, RewritingCollector::isFunction, RewritingCollector::inPlace);
    }

    /**
     * A huge function's comparisons ({@link OpcodeCalls}) and loads ({@link FlatAccesses}) put in
     * place of helper calls: the changes that add branches, after which the frames are computed.
     * Both decide on the method's size before either has added code, so that one pass never brings
     * a function over the other's threshold.
     */
    private static boolean inPlace(MethodNode m) {
        int size = FlatAccesses.sizeWithoutFrames(m);
        boolean compares = OpcodeCalls.replace(m, size);
        return FlatAccesses.replace(m, size) | compares;
    }

    /** Whether a method of a compiled class is one of the module's functions. */
    private static boolean isFunction(String method) {
        return method.startsWith("func_");
    }

    /** A piece's returns and a function's interrupt checks (unless {@link #PLAIN_CHECKS}). */
    private static boolean returnsAndChecks(MethodNode m, int firstPiece) {
        boolean returns = PieceReturns.isPiece(m.name, firstPiece) && PieceReturns.replace(m);
        boolean checks = !PLAIN_CHECKS && InterruptChecks.replace(m);
        return returns | checks;
    }
}
