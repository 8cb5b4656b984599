package dev.airlock.core.link;

import dev.airlock.core.fuel.MeteringException;
import java.util.List;
import java.util.Objects;

/**
 * Links core modules that import each other's functions, tables, memories and globals (as a
 * WebAssembly component's core instances do) into one core module, so that they run as one
 * instance: one memory, one fuel counter, one snapshot, one mediation point for the imports left to
 * the host. Each part is instantiated once, in order; a part may import only from parts before it.
 *
 * <p>Every export of part {@code i} named {@code n} is exported as {@link #exportName(int, String)
 * i.n}; the memory, if any, also as {@code memory}. Start functions run in part order from one
 * start function. The result of instantiating the merged module differs from instantiating the
 * parts one by one only in when segments are applied: all parts' active element and data segments
 * are applied before any part's start function runs. Custom sections are dropped.
 *
 * <p>Supported: the core features Airlock's engine runs (multi-value, bulk memory, reference types,
 * SIMD) in parts with at most one memory between them; exception handling, typed references,
 * garbage collection and threads are refused, as is a table, memory or global that no part defines.
 */
public final class Merger {
    /** Where a part's import comes from. */
    public sealed interface Source permits Host, Export {}

    /** An import left to the host, under this module and name in the merged module. */
    public record Host(String module, String name) implements Source {
        public Host {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(name, "name");
        }
    }

    /** An export of an earlier part. */
    public record Export(int part, String name) implements Source {
        public Export {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Says where each import of a part comes from, or null when nothing supplies it. */
    @FunctionalInterface
    public interface Resolver {
        Source resolve(String module, String name);
    }

    /** A module and where its imports come from. */
    public record Part(byte[] module, Resolver imports) {
        public Part {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(imports, "imports");
        }
    }

    /** Why parts cannot be merged: one line. */
    public static final class LinkException extends Exception {
        private static final long serialVersionUID = 1L;

        public LinkException(String message) {
            super(message);
        }
    }

    private static final int MAX_PARTS = 1_000;

    private Merger() {}

    /** The name under which the merged module exports part {@code part}'s export {@code name}. */
    public static String exportName(int part, String name) {
        return part + "." + name;
    }

    /**
     * Merges the parts into one module.
     *
     * @throws LinkException if a part is malformed or uses what is not supported, an import is not
     *     supplied or names an export of another kind, or the parts have several memories
     */
    public static byte[] merge(List<Part> parts) throws LinkException {
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw new LinkException("between 1 and " + MAX_PARTS + " modules can be linked");
        }
        try {
            return new Merging(parts).write();
        } catch (MeteringException e) {
            throw new LinkException(e.getMessage());
        }
    }
}
