package dev.airlock.nn.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The models the project makes itself. Run {@code Models classifier FILE} to (re)write the example
 * model, {@code Models matmul N K M FILE} for a benchmark model.
 */
public final class Models {
    /** The classifier's weights, 4 features by 3 classes, row-major. */
    public static final float[] CLASSIFIER_WEIGHTS = {
        1.0f, 0.0f, -1.0f,
        0.5f, 1.0f, 0.0f,
        -1.0f, 0.5f, 1.0f,
        0.0f, -0.5f, 1.5f
    };

    /** The classifier's biases, one per class. */
    public static final float[] CLASSIFIER_BIAS = {0.1f, 0.0f, -0.1f};

    private Models() {}

    /**
     * A linear classifier: input {@code features} float [1, 4]; outputs {@code scores} float [1, 3]
     * = features x {@link #CLASSIFIER_WEIGHTS} + {@link #CLASSIFIER_BIAS}, and {@code class} int64
     * [1], the index of the highest score.
     */
    public static byte[] classifier() {
        return new OnnxModel("airlock-classifier")
                .initializer("W", new long[] {4, 3}, CLASSIFIER_WEIGHTS)
                .initializer("b", new long[] {3}, CLASSIFIER_BIAS)
                .input("features", OnnxModel.FLOAT, 1, 4)
                .node("MatMul", List.of("features", "W"), List.of("h"))
                .node("Add", List.of("h", "b"), List.of("scores"))
                .node("ArgMax", List.of("scores"), List.of("class"), "axis", 1, "keepdims", 0)
                .output("scores", OnnxModel.FLOAT, 1, 3)
                .output("class", OnnxModel.INT64, 1)
                .toByteArray();
    }

    /**
     * {@code y = relu(x W)}: input {@code x} float [n, k], output {@code y} float [n, m], with
     * weights drawn from a seeded generator in [-1, 1).
     */
    public static byte[] matmul(int n, int k, int m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[k * m];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return new OnnxModel("airlock-matmul")
                .initializer("W", new long[] {k, m}, w)
                .input("x", OnnxModel.FLOAT, n, k)
                .node("MatMul", List.of("x", "W"), List.of("h"))
                .node("Relu", List.of("h"), List.of("y"))
                .output("y", OnnxModel.FLOAT, n, m)
                .toByteArray();
    }

    /**
     * {@code layers} times {@code x = relu(x W)} with one shared [k, k] weight: input {@code x}
     * float [n, k], output {@code y} float [n, k] ({@code n} negative: any number of rows); about
     * {@code 2 n k k layers} floating-point operations from a model of {@code 4 k k} bytes.
     */
    public static byte[] chain(int n, int k, int layers, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[k * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((r.nextDouble() * 2 - 1) / Math.sqrt(k));
        }
        OnnxModel m =
                new OnnxModel("airlock-chain")
                        .initializer("W", new long[] {k, k}, w)
                        .input("x", OnnxModel.FLOAT, n, k);
        String in = "x";
        for (int i = 0; i < layers; i++) {
            String out = i == layers - 1 ? "y" : "h" + i;
            m.node("MatMul", List.of(in, "W"), List.of("m" + i));
            m.node("Relu", List.of("m" + i), List.of(out));
            in = out;
        }
        return m.output("y", OnnxModel.FLOAT, n, k).toByteArray();
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("classifier")) {
            Files.write(Path.of(args[1]), classifier());
        } else if (args.length == 5 && args[0].equals("matmul")) {
            Files.write(
                    Path.of(args[4]),
                    matmul(
                            Integer.parseInt(args[1]),
                            Integer.parseInt(args[2]),
                            Integer.parseInt(args[3]),
                            1));
        } else {
            System.err.println("usage: Models classifier FILE | Models matmul N K M FILE");
            System.exit(2);
        }
    }
}
