package dev.airlock.core.split;

import dev.airlock.core.fuel.ByteWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Outlines regions of one function at a time; see {@link Splitter}. */
final class Outliner {
    /** Outlining steps per function at most. */
    private static final int MAX_STEPS = 20_000;

    /**
     * Bodies with more bytes of code than this (none of the interpreters' or Sightglass's, whose
     * largest has 59 KB) have many regions outlined per step, not one: one region per step scans
     * and analyses the whole body again after each, quadratic in its size (a module with a 600 KB
     * function took 10 s to split).
     */
    static final int MANY_ABOVE = 65_536;

    /**
     * In those bodies, bytes of code scanned per byte of the body at most, over all steps; beyond
     * it the rest stays as it is (a hostile nest of blocks can make each step outline one region).
     */
    private static final int MANY_WORK = 16;

    /**
     * Bytes of code scanned per byte of the module at most, over all its functions and steps, plus
     * {@link #WORK_BASE}; beyond it the functions not yet split stay whole. The modules measured
     * scan from 1.9 (CPython: 17 MB for 8 MB) to 16 (ed25519) times their size; only a module built
     * so that each step outlines little gets near it.
     */
    static final int WORK_PER_BYTE = 64;

    /** See {@link #WORK_PER_BYTE}. */
    static final long WORK_BASE = 16L << 20;

    /** Bytes of code this module's steps may still scan. */
    private long left;

    private final Splitter.Model model;
    private final List<Body> bodies;
    private final Pieces pieces;
    private final int threshold;
    private final int access;
    private final int regionLimit;
    private final int min;
    private final Spills spills;
    private final boolean regroup;
    private final boolean expressions;
    private final Check check;

    /** Shown each analysis carried over to the next step, with the code and locals it is for. */
    interface Check {
        void carried(Liveness analysis, byte[] code, int locals);
    }

    Outliner(Splitter.Model model, List<Body> bodies, Spills spills, Splitter.Options options) {
        this.left = options.budget();
        this.regionLimit = options.regionLimit();
        this.expressions = options.expressions();
        this.regroup = options.regroup();
        this.check = options.check();
        this.spills = spills;
        this.model = model;
        this.bodies = bodies;
        this.threshold = options.threshold();
        this.access = options.accessWeight();
        this.min = Math.max(8, regionLimit / 16);
        this.pieces = new Pieces(model, bodies, spills);
    }

    /** Splits defined function {@code i} until it is small enough; whether it changed. */
    boolean splitFunction(int i) {
        Body b = bodies.get(i);
        if (b.sourceSize() <= threshold && access == 0) {
            return false; // without weights, as the module gives it: no need to parse it
        }
        long weight;
        try {
            weight = weight(b.code());
        } catch (RuntimeException e) {
            return false; // a body the pass cannot read stays as it is
        }
        if (b.sourceSize() <= threshold && weight <= threshold) {
            return false;
        }
        boolean changed = false;
        boolean regrouped = false;
        try {
            int type = model.funcTypes.get(model.imported + i);
            byte[] params = model.params.get(type);
            byte[] results = model.results.get(type);
            // expression regions only once the function has no other region left to outline,
            // and without the expressions option only in code without loops (keccak's 19 KB
            // function, whose stack is never empty between statements)
            boolean expr = false;
            long work = 0;
            long budget = (long) MANY_WORK * b.code().length; // this function's
            Liveness lv = null; // carried over from the step before when it could be
            for (int step = 0; step < MAX_STEPS && weight > regionLimit; step++) {
                boolean many = b.code().length > MANY_ABOVE;
                if (many && (work += b.code().length) > budget) {
                    break; // what is left stays in one piece: slower, never wrong
                }
                if ((left -= b.code().length) < 0) {
                    break; // the module's budget: the same
                }
                Scan s =
                        new Scan(
                                model,
                                b.code(),
                                expr ? Pieces.concat(params, b.locals()) : null,
                                spills.base(),
                                regionLimit,
                                min,
                                access);
                int lvLocals = params.length + b.locals().length;
                if (lv == null) {
                    lv = Liveness.of(b.code(), lvLocals);
                }
                // the regions of a size to outline (sorted after filtering: the same order, and
                // most of a big function's regions are too small or too large)
                List<Scan.Region> regions = new ArrayList<>();
                for (Scan.Region r : s.regions) {
                    if (s.size(r) <= regionLimit && s.size(r) >= min) {
                        regions.add(r);
                    }
                }
                // outside loops first (called once, not once per iteration), then the largest
                regions.sort(
                        Comparator.comparingInt((Scan.Region r) -> s.loops(r.enclosing()))
                                .thenComparing(
                                        Comparator.comparingInt((Scan.Region r) -> s.size(r))
                                                .reversed()));
                // one region per step below MANY_ABOVE, the analysis then carried over to the next
                Step done =
                        outline(
                                b,
                                params,
                                results,
                                s,
                                lv,
                                lvLocals,
                                regions,
                                many ? Integer.MAX_VALUE : 1);
                TreeMap<Integer, Cut> cuts = done.cuts();
                if (cuts.isEmpty()
                        && !expr
                        && b.code().length > threshold
                        && (expressions || !s.hasLoop())) {
                    expr = true;
                    continue;
                }
                if (cuts.isEmpty()) {
                    // what is left may be a switch whose cases cannot be outlined one by one
                    if (regrouped
                            || !regroup && model.profile.isEmpty()
                            || !Regroup.regroup(
                                    b,
                                    model.imported + i,
                                    params.length,
                                    regionLimit,
                                    model.profile,
                                    regroup)) {
                        break;
                    }
                    regrouped = true;
                    lv = null;
                    weight = weight(b.code());
                } else {
                    lv = carried(lv, cuts, b, params.length);
                    weight = done.weight();
                }
                changed = true;
            }
        } catch (RuntimeException e) {
            // a body the pass cannot read stays as it is (or as far as it got, each step whole)
        }
        return changed;
    }

    private long weight(byte[] code) {
        return Weights.of(code, access);
    }

    /**
     * The analysis for the next step: {@code lv} with its one region replaced by its call ({@link
     * Liveness#replaced}, exact for a region outlined from an exact analysis), or null (analyse
     * afresh) after a step of several regions, whose pieces came from one analysis of the step's
     * start and may pass more than is live.
     */
    private Liveness carried(Liveness lv, TreeMap<Integer, Cut> cuts, Body b, int params) {
        if (lv == null || cuts.size() != 1) {
            return null;
        }
        Map.Entry<Integer, Cut> only = cuts.firstEntry();
        int start = only.getKey();
        int locals = params + b.locals().length;
        Liveness next =
                lv.replaced(
                        b.code(),
                        start,
                        only.getValue().end(),
                        start + only.getValue().call().length,
                        locals);
        if (next != null && check != null) {
            check.carried(next, b.code(), locals);
        }
        return next;
    }

    /** Where an outlined region ends, and the call that replaces it. */
    private record Cut(int end, byte[] call) {}

    /** The regions a step outlined, by start, and the body's weight after it. */
    private record Step(TreeMap<Integer, Cut> cuts, long weight) {}

    /**
     * Outlines regions of {@code regions} (each of a size to outline) in their order, at most
     * {@code most}, each one that overlaps none outlined before, until the body would be small
     * enough; then splices all their calls in at once, and returns them by start (none: empty) with
     * the body's new weight. Every piece is made from the code and the analyses as they were at the
     * start of the step: a piece's neighbours turning into calls only makes fewer locals live, so
     * what the analysis says is live still covers what is, and a piece at most passes or returns a
     * local it need not.
     */
    private Step outline(
            Body b,
            byte[] params,
            byte[] results,
            Scan s,
            Liveness lv,
            int lvLocals,
            List<Scan.Region> regions,
            int most) {
        byte[] code = b.code();
        TreeMap<Integer, Cut> cuts = new TreeMap<>();
        long size = s.total();
        for (Scan.Region r : regions) {
            if (size <= regionLimit || cuts.size() == most) {
                break;
            }
            Map.Entry<Integer, Cut> before = cuts.floorEntry(r.end() - 1);
            if (before != null && before.getValue().end() > r.start()) {
                continue; // overlaps one outlined already
            }
            byte[] call = pieces.outline(b, params, results, s, lv, lvLocals, r);
            if (call != null) {
                cuts.put(r.start(), new Cut(r.end(), call));
                size -= s.size(r) - weight(call);
            }
        }
        if (cuts.isEmpty()) {
            return new Step(cuts, size);
        }
        ByteWriter nc = new ByteWriter(code.length);
        int at = 0;
        for (Map.Entry<Integer, Cut> e : cuts.entrySet()) {
            byte[] call = e.getValue().call();
            nc.bytes(code, at, e.getKey()).bytes(call, 0, call.length);
            at = e.getValue().end();
        }
        nc.bytes(code, at, code.length);
        b.set(b.locals(), nc.toByteArray());
        return new Step(cuts, size);
    }
}
