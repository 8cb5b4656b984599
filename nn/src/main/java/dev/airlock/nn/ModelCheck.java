package dev.airlock.nn;

import java.nio.charset.StandardCharsets;

/**
 * Refuses model bytes from a guest that could make ONNX Runtime read host files: an ONNX tensor may
 * keep its data in an external file ({@code TensorProto.external_data}, field 13, or {@code
 * data_location = EXTERNAL}, field 14), which ONNX Runtime would resolve on the host. The walk
 * follows every place a tensor can sit in a model (initializers, sparse initializers, attribute
 * tensors and subgraphs at any depth, functions, training graphs) and rejects ORT-format models
 * outright. Malformed protobuf is rejected too, before ONNX Runtime sees it.
 */
final class ModelCheck {
    private static final int MAX_DEPTH = 64;

    private enum Kind {
        MODEL,
        GRAPH,
        NODE,
        ATTRIBUTE,
        TENSOR,
        SPARSE,
        FUNCTION,
        TRAINING
    }

    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private ModelCheck() {}

    /** Why these bytes are refused, or {@code null} if they are a self-contained ONNX model. */
    static String problem(byte[] bytes) {
        if (bytes.length >= 8
                && new String(bytes, 4, 4, StandardCharsets.ISO_8859_1).equals("ORTM")) {
            return "ORT-format models are not accepted";
        }
        if (bytes.length == 0) {
            return "empty model";
        }
        try {
            walk(bytes, 0, bytes.length, Kind.MODEL, 0);
            return null;
        } catch (Bad e) {
            return e.getMessage();
        }
    }

    private static Kind child(Kind parent, int field) {
        switch (parent) {
            case MODEL:
                return field == 7
                        ? Kind.GRAPH
                        : field == 25 ? Kind.FUNCTION : field == 20 ? Kind.TRAINING : null;
            case GRAPH:
                return field == 1
                        ? Kind.NODE
                        : field == 5 ? Kind.TENSOR : field == 15 ? Kind.SPARSE : null;
            case NODE:
                return field == 5 ? Kind.ATTRIBUTE : null;
            case ATTRIBUTE:
                switch (field) {
                    case 5:
                    case 10:
                        return Kind.TENSOR;
                    case 6:
                    case 11:
                        return Kind.GRAPH;
                    case 22:
                    case 23:
                        return Kind.SPARSE;
                    default:
                        return null;
                }
            case SPARSE:
                return field == 1 || field == 2 ? Kind.TENSOR : null;
            case FUNCTION:
                return field == 7 ? Kind.NODE : field == 11 ? Kind.ATTRIBUTE : null;
            case TRAINING:
                return field == 1 || field == 2 ? Kind.GRAPH : null;
            default:
                return null;
        }
    }

    private static void walk(byte[] b, int from, int to, Kind kind, int depth) throws Bad {
        if (depth > MAX_DEPTH) {
            throw new Bad("model nested too deeply");
        }
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos, to);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field <= 0 || key >>> 3 > Integer.MAX_VALUE) {
                throw new Bad("malformed protobuf");
            }
            switch (wire) {
                case 0:
                    long v = varint(b, pos, to);
                    if (kind == Kind.TENSOR && field == 14 && v != 0) {
                        throw new Bad("tensor data in an external file");
                    }
                    break;
                case 1:
                    skip(pos, 8, to);
                    break;
                case 5:
                    skip(pos, 4, to);
                    break;
                case 2:
                    long len = varint(b, pos, to);
                    if (len < 0 || len > to - pos[0]) {
                        throw new Bad("malformed protobuf");
                    }
                    int start = pos[0];
                    int end = start + (int) len;
                    if (kind == Kind.TENSOR && (field == 13 || field == 14)) {
                        throw new Bad("tensor data in an external file");
                    }
                    Kind c = child(kind, field);
                    if (c != null) {
                        walk(b, start, end, c, depth + 1);
                    }
                    pos[0] = end;
                    break;
                default:
                    throw new Bad("malformed protobuf");
            }
        }
        if (pos[0] != to) {
            throw new Bad("malformed protobuf");
        }
    }

    private static void skip(int[] pos, int n, int to) throws Bad {
        if (to - pos[0] < n) {
            throw new Bad("malformed protobuf");
        }
        pos[0] += n;
    }

    private static long varint(byte[] b, int[] pos, int to) throws Bad {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= to) {
                throw new Bad("malformed protobuf");
            }
            int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new Bad("malformed protobuf");
    }
}
