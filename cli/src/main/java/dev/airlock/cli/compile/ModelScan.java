package dev.airlock.cli.compile;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the ONNX Runtime API does not tell about a model: its IR version, the operator sets it
 * imports and the operators its nodes use (by domain and type, in the main graph, in subgraphs at
 * any depth and in model-local functions). Reads only those fields of the {@code ModelProto}
 * protobuf; the model has already passed WASI-NN's own check (well-formed, no external data).
 */
public final class ModelScan {
    private static final int MAX_DEPTH = 64;

    /** The IR version (0 when absent). */
    public long irVersion;

    /** Imported operator sets: domain ("" the default, ai.onnx) to version. */
    public final Map<String, Long> opsets = new LinkedHashMap<>();

    /** Nodes by "domain:type" (the default domain written as plain "type"), sorted. */
    public final Map<String, Integer> operators = new TreeMap<>();

    /** Whether the model has a main graph. */
    public boolean hasGraph;

    /** Node count. */
    public int nodeCount;

    /** The domains the nodes use, "" the default. */
    public final java.util.Set<String> nodeDomains = new java.util.TreeSet<>();

    private ModelScan() {}

    /** Scans model bytes already known to be well-formed protobuf. */
    public static ModelScan of(byte[] b) {
        ModelScan s = new ModelScan();
        s.model(b, 0, b.length);
        return s;
    }

    private void model(byte[] b, int from, int to) {
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire == 0) {
                long v = varint(b, pos);
                if (field == 1) {
                    irVersion = v;
                }
            } else if (wire == 2) {
                int len = (int) varint(b, pos);
                int start = pos[0];
                if (field == 7) {
                    hasGraph = true;
                    graph(b, start, start + len, 0);
                } else if (field == 8) {
                    opset(b, start, start + len);
                } else if (field == 25) {
                    function(b, start, start + len);
                }
                pos[0] = start + len;
            } else {
                skip(wire, b, pos);
            }
        }
    }

    private void opset(byte[] b, int from, int to) {
        String domain = "";
        long version = 0;
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos);
            int wire = (int) (key & 7);
            if (wire == 2 && key >>> 3 == 1) {
                int len = (int) varint(b, pos);
                domain = new String(b, pos[0], len, StandardCharsets.UTF_8);
                pos[0] += len;
            } else if (wire == 0 && key >>> 3 == 2) {
                version = varint(b, pos);
            } else {
                skip(wire, b, pos);
            }
        }
        opsets.put(domain, version);
    }

    private void function(byte[] b, int from, int to) {
        eachMessage(b, from, to, 7, (s, e) -> node(b, s, e, 1));
    }

    private void graph(byte[] b, int from, int to, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        eachMessage(b, from, to, 1, (s, e) -> node(b, s, e, depth));
    }

    private void node(byte[] b, int from, int to, int depth) {
        String type = "";
        String domain = "";
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire != 2) {
                skip(wire, b, pos);
                continue;
            }
            int len = (int) varint(b, pos);
            int start = pos[0];
            if (field == 4) {
                type = new String(b, start, len, StandardCharsets.UTF_8);
            } else if (field == 7) {
                domain = new String(b, start, len, StandardCharsets.UTF_8);
            } else if (field == 5) {
                // an attribute: its graphs (g = 6, graphs = 11) are subgraphs
                eachMessage(b, start, start + len, 6, (s, e) -> graph(b, s, e, depth + 1));
                eachMessage(b, start, start + len, 11, (s, e) -> graph(b, s, e, depth + 1));
            }
            pos[0] = start + len;
        }
        String d = domain.equals("ai.onnx") ? "" : domain;
        nodeDomains.add(d);
        operators.merge(d.isEmpty() ? type : d + ":" + type, 1, Integer::sum);
        nodeCount++;
    }

    private interface Range {
        void accept(int from, int to);
    }

    private static void eachMessage(byte[] b, int from, int to, int wanted, Range r) {
        int[] pos = {from};
        while (pos[0] < to) {
            long key = varint(b, pos);
            int wire = (int) (key & 7);
            if (wire != 2) {
                skip(wire, b, pos);
                continue;
            }
            int len = (int) varint(b, pos);
            int start = pos[0];
            if (key >>> 3 == wanted) {
                r.accept(start, start + len);
            }
            pos[0] = start + len;
        }
    }

    private static void skip(int wire, byte[] b, int[] pos) {
        switch (wire) {
            case 0:
                varint(b, pos);
                break;
            case 1:
                pos[0] += 8;
                break;
            case 5:
                pos[0] += 4;
                break;
            default:
                throw new IllegalStateException("malformed protobuf");
        }
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("malformed protobuf");
    }
}
