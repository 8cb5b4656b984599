package dev.airlock.components.binary;

import java.util.List;

/**
 * A component as its binary format states it: definitions in order, each adding to one index space,
 * with references still as indices. Made by {@link ComponentParser}; checked and resolved by the
 * linker.
 */
public final class Ast {
    private Ast() {}

    /** Index spaces (sorts) of the component model. */
    public enum Sort {
        CORE_FUNC("core func"),
        CORE_TABLE("core table"),
        CORE_MEMORY("core memory"),
        CORE_GLOBAL("core global"),
        CORE_TAG("core tag"),
        CORE_TYPE("core type"),
        CORE_MODULE("core module"),
        CORE_INSTANCE("core instance"),
        FUNC("func"),
        VALUE("value"),
        TYPE("type"),
        COMPONENT("component"),
        INSTANCE("instance");

        private final String text;

        Sort(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A component: its definitions in order. */
    public record Component(List<Def> defs) {}

    /** One definition. */
    public sealed interface Def
            permits CoreModule,
                    CoreInstantiate,
                    CoreInline,
                    CoreTypeDef,
                    Nested,
                    Instantiate,
                    Inline,
                    Alias,
                    TypeDef,
                    Canon,
                    Import,
                    Export {}

    /** An embedded core module: its bytes. */
    public record CoreModule(byte[] bytes) implements Def {}

    /** A core module instantiated with named core instances as its import modules. */
    public record CoreInstantiate(int module, List<Named> args) implements Def {}

    /** A core instance made of exports of other core items. */
    public record CoreInline(List<SortIdx> exports) implements Def {}

    /** A core type (module or function type); kept only as a slot in the core type space. */
    public record CoreTypeDef() implements Def {}

    /** A nested component. */
    public record Nested(Component component) implements Def {}

    /** A component instantiated with named items as its imports. */
    public record Instantiate(int component, List<SortIdx> args) implements Def {}

    /** A component instance made of exports of other items. */
    public record Inline(List<SortIdx> exports) implements Def {}

    /**
     * An alias: of an export of a component instance ({@code core} false) or core instance ({@code
     * core} true), or, when {@code name} is null, of an outer definition ({@code instance} counts
     * scopes outwards, {@code index} the item).
     */
    public record Alias(Sort sort, boolean core, int instance, String name, int outer, int index)
            implements Def {}

    /** A type definition. */
    public record TypeDef(TypeAst type) implements Def {}

    /** A canonical function: lift, lower or a resource built-in. */
    public record Canon(CanonKind kind, int func, List<CanonOpt> opts, int type) implements Def {}

    /** What a {@link Canon} makes. */
    public enum CanonKind {
        LIFT,
        LOWER,
        RESOURCE_NEW,
        RESOURCE_DROP,
        RESOURCE_REP
    }

    /** A canonical option. */
    public record CanonOpt(CanonOptKind kind, int index) {}

    public enum CanonOptKind {
        UTF8,
        UTF16,
        LATIN1_UTF16,
        MEMORY,
        REALLOC,
        POST_RETURN
    }

    public record Import(String name, Extern type) implements Def {}

    /** An export; {@code ascribed} may be null. */
    public record Export(String name, Sort sort, int index, Extern ascribed) implements Def {}

    /** A name with a core instance index. */
    public record Named(String name, int instance) {}

    /** A named reference to an item of some sort. */
    public record SortIdx(String name, Sort sort, int index) {}

    /**
     * The type of an import or export: {@code sort} is CORE_MODULE, FUNC, VALUE, TYPE, COMPONENT or
     * INSTANCE; for TYPE, {@code subResource} says whether it is a fresh resource type, else {@code
     * index} is the type it equals.
     */
    public record Extern(Sort sort, int index, boolean subResource) {}

    /** A type as written, with references to other types as indices. */
    public sealed interface TypeAst
            permits Prim,
                    Ref,
                    RecordT,
                    VariantT,
                    ListT,
                    TupleT,
                    FlagsT,
                    EnumT,
                    OptionT,
                    ResultT,
                    OwnT,
                    BorrowT,
                    FuncT,
                    ResourceT,
                    InstanceT,
                    ComponentT {}

    /** A primitive value type, by its name in WIT. */
    public record Prim(String name) implements TypeAst {}

    /** A reference to a type by index. */
    public record Ref(int index) implements TypeAst {}

    public record Field(String name, TypeAst type) {}

    public record RecordT(List<Field> fields) implements TypeAst {}

    /** A case; {@code type} null when it has no payload. */
    public record VariantT(List<Field> cases) implements TypeAst {}

    public record ListT(TypeAst element) implements TypeAst {}

    public record TupleT(List<TypeAst> types) implements TypeAst {}

    public record FlagsT(List<String> names) implements TypeAst {}

    public record EnumT(List<String> names) implements TypeAst {}

    public record OptionT(TypeAst type) implements TypeAst {}

    /** {@code ok} and {@code error} may be null. */
    public record ResultT(TypeAst ok, TypeAst error) implements TypeAst {}

    public record OwnT(int resource) implements TypeAst {}

    public record BorrowT(int resource) implements TypeAst {}

    /** A function type; {@code result} null when there is none. */
    public record FuncT(List<Field> params, TypeAst result) implements TypeAst {}

    /** A resource type; {@code dtor} is a core function index or -1. */
    public record ResourceT(int dtor) implements TypeAst {}

    /** An instance type: its declarations. */
    public record InstanceT(List<Def> decls) implements TypeAst {}

    /** A component type: its declarations (imports among them). */
    public record ComponentT(List<Def> decls) implements TypeAst {}
}
