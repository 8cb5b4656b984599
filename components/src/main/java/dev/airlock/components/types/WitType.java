package dev.airlock.components.types;

import java.util.List;

/**
 * A component value type, resolved: references to other types are the types themselves. Records,
 * variants, enums, flags and resources are compared by identity when naming them (two structurally
 * equal records may have different names).
 */
public sealed interface WitType
        permits WitType.Prim,
                WitType.Record,
                WitType.Variant,
                WitType.ListOf,
                WitType.Tuple,
                WitType.Flags,
                WitType.Enum,
                WitType.Option,
                WitType.Result,
                WitType.Own,
                WitType.Borrow {

    /** The primitive types. */
    enum Prim implements WitType {
        BOOL("bool"),
        S8("s8"),
        U8("u8"),
        S16("s16"),
        U16("u16"),
        S32("s32"),
        U32("u32"),
        S64("s64"),
        U64("u64"),
        F32("f32"),
        F64("f64"),
        CHAR("char"),
        STRING("string");

        private final String wit;

        Prim(String wit) {
            this.wit = wit;
        }

        /** Its name in WIT. */
        public String wit() {
            return wit;
        }

        /** The primitive named {@code name} in WIT, or null. */
        public static Prim of(String name) {
            for (Prim p : values()) {
                if (p.wit.equals(name)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A named field or case; {@code type} is null for a case without payload. */
    record Field(String name, WitType type) {}

    /** Whether a type holds an owned or borrowed resource handle anywhere in it. */
    static boolean mentionsResource(WitType t) {
        if (t == null) {
            return false;
        }
        if (t instanceof Own || t instanceof Borrow) {
            return true;
        }
        if (t instanceof Record r) {
            return r.fields().stream().anyMatch(f -> mentionsResource(f.type()));
        }
        if (t instanceof Variant v) {
            return v.cases().stream().anyMatch(f -> mentionsResource(f.type()));
        }
        if (t instanceof ListOf l) {
            return mentionsResource(l.element());
        }
        if (t instanceof Tuple tu) {
            return tu.types().stream().anyMatch(WitType::mentionsResource);
        }
        if (t instanceof Option o) {
            return mentionsResource(o.type());
        }
        if (t instanceof Result r) {
            return mentionsResource(r.ok()) || mentionsResource(r.error());
        }
        return false;
    }

    record Record(List<Field> fields) implements WitType {}

    record Variant(List<Field> cases) implements WitType {}

    record ListOf(WitType element) implements WitType {}

    record Tuple(List<WitType> types) implements WitType {}

    record Flags(List<String> names) implements WitType {}

    record Enum(List<String> names) implements WitType {}

    record Option(WitType type) implements WitType {}

    /** {@code ok} and {@code error} may be null. */
    record Result(WitType ok, WitType error) implements WitType {}

    record Own(Resource resource) implements WitType {}

    record Borrow(Resource resource) implements WitType {}

    /**
     * A resource type, compared by identity. {@code defined} is true for resources the component
     * defines (their handles are created by the component), false for imported ones.
     */
    final class Resource {
        private final boolean defined;
        private final Object dtor;

        public Resource(boolean defined, Object dtor) {
            this.defined = defined;
            this.dtor = dtor;
        }

        public boolean defined() {
            return defined;
        }

        /** The destructor (a resolved core function), or null. */
        public Object dtor() {
            return dtor;
        }
    }

    /** A function type; {@code result} is null when there is none. */
    record Func(List<Field> params, WitType result) {}
}
