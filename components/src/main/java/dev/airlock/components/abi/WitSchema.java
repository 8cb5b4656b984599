package dev.airlock.components.abi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airlock.components.types.WitType;
import java.math.BigInteger;

/**
 * JSON Schemas (draft 2020-12) of WIT types, as {@link JsonCheck} maps them: what a value passed to
 * a component function, or returned by it, looks like. A function's parameters are an object with
 * one property per parameter, all required, so that a tool caller (an MCP client) passes named
 * arguments.
 */
public final class WitSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;

    private WitSchema() {}

    /** The schema of a function's parameters, as an object of named arguments. */
    public static ObjectNode params(WitType.Func f) {
        ObjectNode o = F.objectNode();
        o.put("type", "object");
        ObjectNode props = o.putObject("properties");
        ArrayNode required = o.putArray("required");
        for (WitType.Field p : f.params()) {
            props.set(p.name(), of(p.type()));
            required.add(p.name());
        }
        o.put("additionalProperties", false);
        return o;
    }

    /** The schema of a function's result ({@code null} when it returns nothing). */
    public static ObjectNode result(WitType.Func f) {
        if (f.result() == null) {
            ObjectNode o = F.objectNode();
            o.put("type", "null");
            return o;
        }
        return of(f.result());
    }

    /** The schema of a value of type {@code t}. */
    public static ObjectNode of(WitType t) {
        return of(t, 0);
    }

    private static ObjectNode of(WitType t, int depth) {
        ObjectNode o = F.objectNode();
        if (depth > MAX_DEPTH) {
            return o;
        }
        int d = depth + 1;
        if (t instanceof WitType.Prim p) {
            prim(o, p);
        } else if (t instanceof WitType.ListOf l) {
            o.put("type", "array");
            o.set("items", of(l.element(), d));
        } else if (t instanceof WitType.Tuple tu) {
            o.put("type", "array");
            ArrayNode items = o.putArray("prefixItems");
            tu.types().forEach(x -> items.add(of(x, d)));
            o.put("minItems", tu.types().size());
            o.put("maxItems", tu.types().size());
        } else if (t instanceof WitType.Record r) {
            o.put("type", "object");
            ObjectNode props = o.putObject("properties");
            ArrayNode required = o.putArray("required");
            for (WitType.Field f : r.fields()) {
                props.set(f.name(), of(f.type(), d));
                required.add(f.name());
            }
            o.put("additionalProperties", false);
        } else if (t instanceof WitType.Variant v) {
            ArrayNode any = o.putArray("oneOf");
            for (WitType.Field c : v.cases()) {
                if (c.type() == null) {
                    any.addObject().put("const", c.name());
                }
                any.add(single(c.name(), c.type() == null ? nullSchema() : of(c.type(), d)));
            }
        } else if (t instanceof WitType.Enum e) {
            o.put("type", "string");
            ArrayNode names = o.putArray("enum");
            e.names().forEach(names::add);
        } else if (t instanceof WitType.Flags f) {
            o.put("type", "array");
            ObjectNode items = o.putObject("items");
            items.put("type", "string");
            ArrayNode names = items.putArray("enum");
            f.names().forEach(names::add);
            o.put("uniqueItems", true);
        } else if (t instanceof WitType.Option op) {
            ArrayNode any = o.putArray("oneOf");
            any.add(nullSchema());
            any.add(
                    op.type() instanceof WitType.Option
                            ? single("some", of(op.type(), d))
                            : of(op.type(), d));
        } else if (t instanceof WitType.Result r) {
            ArrayNode any = o.putArray("oneOf");
            any.add(single("ok", r.ok() == null ? nullSchema() : of(r.ok(), d)));
            any.add(single("error", r.error() == null ? nullSchema() : of(r.error(), d)));
        } else if (t instanceof WitType.Own || t instanceof WitType.Borrow) {
            o.put("type", "integer");
            o.put("minimum", 0);
            o.put("description", "a resource handle number");
        }
        return o;
    }

    private static ObjectNode nullSchema() {
        ObjectNode o = F.objectNode();
        o.put("type", "null");
        return o;
    }

    /** {@code {"name": payload}}, exactly that one property. */
    private static ObjectNode single(String name, ObjectNode payload) {
        ObjectNode o = F.objectNode();
        o.put("type", "object");
        o.putObject("properties").set(name, payload);
        o.putArray("required").add(name);
        o.put("additionalProperties", false);
        return o;
    }

    private static void prim(ObjectNode o, WitType.Prim p) {
        switch (p) {
            case BOOL -> o.put("type", "boolean");
            case S8 -> range(o, -128, 127);
            case U8 -> range(o, 0, 255);
            case S16 -> range(o, -32768, 32767);
            case U16 -> range(o, 0, 65535);
            case S32 -> range(o, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case U32 -> range(o, 0, 0xFFFF_FFFFL);
            case S64 -> range(o, Long.MIN_VALUE, Long.MAX_VALUE);
            case U64 -> {
                o.put("type", "integer");
                o.put("minimum", 0);
                o.put("maximum", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
            }
            case F32, F64 -> {
                ArrayNode any = o.putArray("oneOf");
                any.addObject().put("type", "number");
                ObjectNode special = any.addObject();
                special.put("type", "string");
                special.putArray("enum").add("NaN").add("Infinity").add("-Infinity");
            }
            case CHAR -> {
                o.put("type", "string");
                o.put("minLength", 1);
                o.put("maxLength", 1);
            }
            case STRING -> o.put("type", "string");
        }
    }

    private static void range(ObjectNode o, long min, long max) {
        o.put("type", "integer");
        o.put("minimum", min);
        o.put("maximum", max);
    }
}
