package dev.airlock.nn;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a guest may do with {@code wasi_ephemeral_nn}: the capability {@code nn}. Off by default:
 * under {@link #none()} every call is refused as {@code nn.none}. A grant built with {@link
 * #builder()} names the models that {@code load_by_name} may load, whether {@code load} may build a
 * model from bytes the guest passes, and the run's quotas. Immutable.
 *
 * <p>Defaults of a built grant: no models; loading from bytes not granted ({@link
 * Builder#maxModelBytes} 0); at most 1,000 computations, 8 graphs and 32 execution contexts per
 * run; tensors (inputs and outputs) of at most 64 MiB; ONNX Runtime's own thread count; the CPU.
 * Time spent in inference counts against the run's timeout, which stops a computation under way.
 */
public final class NnGrant {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final NnGrant NONE = new NnGrant(new Builder(), false);

    private final boolean granted;
    private final Map<String, Path> models;
    private final long maxModelBytes;
    private final long maxComputations;
    private final long maxTensorBytes;
    private final int maxGraphs;
    private final int maxContexts;
    private final int threads;
    private final boolean cuda;

    private NnGrant(Builder b, boolean granted) {
        this.granted = granted;
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(b.models));
        this.maxModelBytes = b.maxModelBytes;
        this.maxComputations = b.maxComputations;
        this.maxTensorBytes = b.maxTensorBytes;
        this.maxGraphs = b.maxGraphs;
        this.maxContexts = b.maxContexts;
        this.threads = b.threads;
        this.cuda = b.cuda;
    }

    /** No capability: every {@code wasi_ephemeral_nn} call is refused ({@code nn.none}). */
    public static NnGrant none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the capability is granted at all. */
    public boolean granted() {
        return granted;
    }

    /** The models {@code load_by_name} may load: name to {@code .onnx} file. */
    public Map<String, Path> models() {
        return models;
    }

    /** The largest model {@code load} may build from guest bytes; 0: {@code load} not granted. */
    public long maxModelBytes() {
        return maxModelBytes;
    }

    public long maxComputations() {
        return maxComputations;
    }

    public long maxTensorBytes() {
        return maxTensorBytes;
    }

    public int maxGraphs() {
        return maxGraphs;
    }

    public int maxContexts() {
        return maxContexts;
    }

    /** ONNX Runtime's intra-op threads; 0: its default. */
    public int threads() {
        return threads;
    }

    /** Whether sessions use the CUDA execution provider (needs the {@code -Pgpu} build). */
    public boolean cuda() {
        return cuda;
    }

    @Override
    public String toString() {
        if (!granted) {
            return "NnGrant{none}";
        }
        return "NnGrant{models="
                + models.keySet()
                + ", maxModelBytes="
                + maxModelBytes
                + ", maxComputations="
                + maxComputations
                + ", maxTensorBytes="
                + maxTensorBytes
                + ", maxGraphs="
                + maxGraphs
                + ", maxContexts="
                + maxContexts
                + (cuda ? ", cuda" : "")
                + "}";
    }

    /** Builds a granted {@link NnGrant}; setters reject bad values at once. */
    public static final class Builder {
        private final Map<String, Path> models = new LinkedHashMap<>();
        private long maxModelBytes;
        private long maxComputations = 1_000;
        private long maxTensorBytes = 64L << 20;
        private int maxGraphs = 8;
        private int maxContexts = 32;
        private int threads;
        private boolean cuda;

        private Builder() {}

        /**
         * Grants the model at {@code file} under {@code name} for {@code load_by_name}. The file is
         * read when the guest loads it (a missing or broken file then gives {@code runtime_error}).
         *
         * @throws IllegalArgumentException if the name is not 1 to 64 of {@code [A-Za-z0-9._-]}
         *     starting with a letter or digit, or is granted twice
         */
        public Builder model(String name, Path file) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "invalid model name '"
                                + name
                                + "' (1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or"
                                + " digit)");
            }
            if (models.putIfAbsent(name, file) != null) {
                throw new IllegalArgumentException("model granted twice: " + name);
            }
            return this;
        }

        /**
         * Lets {@code load} build a model from up to {@code bytes} bytes that the guest passes
         * (default 0: not granted). Only self-contained ONNX models are accepted: one that refers
         * to external data files is refused as {@code invalid_encoding}.
         */
        public Builder maxModelBytes(long bytes) {
            this.maxModelBytes = nonNegative(bytes, "maxModelBytes");
            return this;
        }

        /** Computations per run (default 1,000). */
        public Builder maxComputations(long n) {
            this.maxComputations = nonNegative(n, "maxComputations");
            return this;
        }

        /** The largest input or output tensor, in bytes (default 64 MiB). */
        public Builder maxTensorBytes(long bytes) {
            this.maxTensorBytes = nonNegative(bytes, "maxTensorBytes");
            return this;
        }

        /** Graphs loaded per run (default 8). */
        public Builder maxGraphs(int n) {
            this.maxGraphs = (int) nonNegative(n, "maxGraphs");
            return this;
        }

        /** Execution contexts per run (default 32). */
        public Builder maxContexts(int n) {
            this.maxContexts = (int) nonNegative(n, "maxContexts");
            return this;
        }

        /** ONNX Runtime's intra-op threads (default 0: its own default). */
        public Builder threads(int n) {
            this.threads = (int) nonNegative(n, "threads");
            return this;
        }

        /** Run on the CUDA execution provider (default false); needs the {@code -Pgpu} build. */
        public Builder cuda(boolean cuda) {
            this.cuda = cuda;
            return this;
        }

        public NnGrant build() {
            return new NnGrant(this, true);
        }

        private static long nonNegative(long v, String what) {
            if (v < 0) {
                throw new IllegalArgumentException(what + " must be >= 0: " + v);
            }
            return v;
        }
    }
}
