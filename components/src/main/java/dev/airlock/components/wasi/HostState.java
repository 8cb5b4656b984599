package dev.airlock.components.wasi;

import dev.airlock.components.abi.AbiTrap;
import java.util.HashMap;
import java.util.Map;

/**
 * The host side of one component instance's WASI 0.2 resources: streams, pollables, descriptors and
 * directory listings, by representation (the number the component's handle table holds).
 */
public final class HostState {
    /** The most host objects one instance holds. */
    static final int MAX = 1 << 16;

    /** A stream reading a preview 1 descriptor: standard input (no offset) or a file's. */
    static final class InStream {
        final int fd;
        long offset;
        boolean closed;

        /** The bytes of an in-memory stream (an HTTP body), or null for a descriptor's. */
        final byte[] data;

        InStream(int fd, long offset) {
            this.fd = fd;
            this.offset = offset;
            this.data = null;
        }

        InStream(byte[] data) {
            this.fd = -1;
            this.offset = 0;
            this.data = data;
        }
    }

    /** A stream writing a descriptor: standard output or error (no offset), or a file. */
    static final class OutStream {
        final int fd;
        long offset;
        final boolean append;

        /** Where an in-memory stream (an HTTP body) goes, and how much it takes; else null. */
        final java.io.ByteArrayOutputStream sink;

        final int max;

        OutStream(int fd, long offset, boolean append) {
            this.fd = fd;
            this.offset = offset;
            this.append = append;
            this.sink = null;
            this.max = 0;
        }

        OutStream(java.io.ByteArrayOutputStream sink, int max) {
            this.fd = -1;
            this.offset = -1;
            this.append = false;
            this.sink = sink;
            this.max = max;
        }
    }

    /** The error of a stream operation that failed: the preview 1 errno behind it. */
    record IoError(int errno) {}

    /** A pollable: ready at once, or at a monotonic clock instant (nanoseconds). */
    record Pollable(long deadline) {}

    /** A file or folder: a preview 1 descriptor and the flags it was opened with. */
    record Descriptor(int fd, int flags, boolean preopen) {}

    /** A folder's entries, read once: names and descriptor types. */
    static final class Listing {
        final java.util.List<String> names;
        final java.util.List<Integer> types;
        int next;

        Listing(java.util.List<String> names, java.util.List<Integer> types) {
            this.names = names;
            this.types = types;
        }
    }

    private final Map<Integer, Object> objects = new HashMap<>();
    private int next = 1;
    private java.util.List<Object[]> preopens;

    /** Keeps a host object; returns its representation. */
    public int add(Object o) {
        if (objects.size() >= MAX) {
            throw new AbiTrap("too many WASI resources (" + MAX + ")");
        }
        while (objects.containsKey(next) || next <= 0) {
            next = next <= 0 ? 1 : next + 1;
        }
        objects.put(next, o);
        return next++;
    }

    /** The host object of a representation, or null. */
    public Object object(int rep) {
        return objects.get(rep);
    }

    /**
     * An independent copy for a snapshot: streams on standard input, output and error, preopened
     * folders, pollables, errors and folder listings are copied.
     *
     * @throws IllegalStateException naming what cannot be copied: a file opened since the start
     *     (its descriptor is not in the snapshot), an HTTP request or response, another component's
     *     handle
     */
    public HostState copy() {
        HostState h = new HostState();
        for (Map.Entry<Integer, Object> e : objects.entrySet()) {
            Object o = e.getValue();
            Object c;
            if (o instanceof InStream in && in.fd >= 0 && in.fd <= 2) {
                InStream x = new InStream(in.fd, in.offset);
                x.closed = in.closed;
                c = x;
            } else if (o instanceof InStream in && in.data != null) {
                InStream x = new InStream(in.data);
                x.offset = in.offset;
                x.closed = in.closed;
                c = x;
            } else if (o instanceof OutStream out
                    && out.sink == null
                    && out.fd >= 1
                    && out.fd <= 2) {
                c = new OutStream(out.fd, out.offset, out.append);
            } else if (o instanceof Descriptor d && d.preopen()) {
                c = d;
            } else if (o instanceof Pollable || o instanceof IoError) {
                c = o;
            } else if (o instanceof Listing l) {
                Listing x = new Listing(l.names, l.types);
                x.next = l.next;
                c = x;
            } else {
                throw new IllegalStateException(
                        "cannot snapshot a component holding "
                                + (o instanceof Descriptor
                                                || o instanceof InStream
                                                || o instanceof OutStream
                                        ? "a file opened since it started"
                                        : o.getClass().getEnclosingClass() == HttpObjects.class
                                                ? "an HTTP request or response"
                                                : "a resource of another component"));
            }
            h.objects.put(e.getKey(), c);
        }
        h.next = next;
        h.preopens = preopens;
        return h;
    }

    /** Forgets a dropped resource; returns its object (null if none). */
    public Object drop(int rep) {
        return objects.remove(rep);
    }

    /** The preopened folders (descriptor, guest path), found once. */
    java.util.List<Object[]> preopens(Call c) {
        if (preopens == null) {
            preopens = Sys.preopens(c);
        }
        return preopens;
    }
}
