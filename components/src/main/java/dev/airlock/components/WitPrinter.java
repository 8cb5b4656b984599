package dev.airlock.components;

import dev.airlock.components.types.WitType;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a linked component's world as WIT: a {@code world} with its imports and exports, then each
 * imported or exported interface in a {@code package} block, its types named by the names the
 * component exports them under. Types the component never names are printed in place. The text is
 * cut at {@value #LIMIT} characters.
 */
final class WitPrinter {
    static final int LIMIT = 1 << 20;

    private static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Full() {
            super(null, null, false, false);
        }
    }

    private final StringBuilder out = new StringBuilder();
    private Map<Object, String> names = new IdentityHashMap<>();
    private final Map<Object, String> owner = new IdentityHashMap<>();
    private final Map<Object, String> ownerName = new IdentityHashMap<>();

    private WitPrinter() {}

    static String print(Linker.Linked linked) {
        WitPrinter p = new WitPrinter();
        try {
            p.world(linked);
        } catch (Full e) {
            p.out.setLength(LIMIT);
            p.out.append("\n// ... (cut at ").append(LIMIT).append(" characters)\n");
        }
        return p.out.toString();
    }

    private WitPrinter add(String s) {
        out.append(s);
        if (out.length() > LIMIT) {
            throw new Full();
        }
        return this;
    }

    private void world(Linker.Linked linked) {
        Map<String, Items.Instance> interfaces = new LinkedHashMap<>();
        add("package root:component;\n\nworld root {\n");
        names = new IdentityHashMap<>();
        for (Map.Entry<String, Object> e : linked.imports().entrySet()) {
            nameType(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : linked.root().exports().entrySet()) {
            nameType(e.getKey(), e.getValue());
        }
        item("import", linked.imports(), interfaces);
        item("export", linked.root().exports(), interfaces);
        add("}\n");
        for (Map.Entry<String, Items.Instance> e : interfaces.entrySet()) {
            iface(e.getKey(), e.getValue());
        }
    }

    private void nameType(String name, Object v) {
        if (isNamed(v)) {
            names.putIfAbsent(v, name);
        }
    }

    private void item(String dir, Map<String, Object> items, Map<String, Items.Instance> ifaces) {
        for (Map.Entry<String, Object> e : items.entrySet()) {
            Object v = e.getValue();
            String name = e.getKey();
            if (v instanceof Items.Lifted l) {
                add("  " + dir + " " + name + ": ").func(l.type(), false).add(";\n");
            } else if (v instanceof Items.ImportedFunc f) {
                add("  " + dir + " " + name + ": ").func(f.type(), false).add(";\n");
            } else if (v instanceof Items.Instance in) {
                add("  " + dir + " " + name + ";\n");
                ifaces.put(name, in);
            } else if (v instanceof WitType.Resource) {
                add("  " + dir + " " + "resource " + name + ";\n");
            } else if (v instanceof WitType w) {
                add("  " + dir + " ").typeDef(name, w, Map.of()).add("\n");
            } else if (v instanceof Items.ImportedOther o) {
                add("  // " + dir + " " + name + ": a " + o.what() + " (not expressible in WIT)\n");
            }
        }
    }

    private void iface(String fullName, Items.Instance in) {
        String pkg = null;
        String name = fullName;
        int slash = fullName.indexOf('/');
        if (slash > 0) {
            pkg = fullName.substring(0, slash);
            name = fullName.substring(slash + 1);
            int at = name.indexOf('@');
            if (at >= 0) {
                pkg = pkg + name.substring(at);
                name = name.substring(0, at);
            }
        }
        Map<Object, String> outer = names;
        names = new IdentityHashMap<>(outer);
        Map<Object, String> local = new IdentityHashMap<>();
        for (Map.Entry<String, Object> e : in.exports().entrySet()) {
            Object v = e.getValue();
            if (isNamed(v) && !local.containsKey(v)) {
                local.put(v, e.getKey());
                names.put(v, e.getKey());
            }
        }
        String indent = pkg == null ? "  " : "    ";
        add("\n");
        if (pkg != null) {
            add("package " + pkg + " {\n  ");
        }
        add("interface " + name + " {\n");
        Map<String, Object> fs = new LinkedHashMap<>();
        in.exports()
                .forEach(
                        (k, v) -> {
                            WitType.Func f = funcType(v);
                            if (f != null) {
                                fs.put(k, f);
                            }
                        });
        for (Map.Entry<String, Object> e : in.exports().entrySet()) {
            Object v = e.getValue();
            String k = e.getKey();
            if (!(v instanceof WitType || v instanceof WitType.Resource)) {
                continue;
            }
            String from = owner.get(v);
            if (from != null && !from.equals(fullName)) {
                String orig = ownerName.get(v);
                add(indent + "use " + from + ".{" + (orig.equals(k) ? k : orig + " as " + k))
                        .add("};\n");
            } else if (isNamed(v) && !local.get(v).equals(k)) {
                add(indent + "type " + k + " = " + local.get(v) + ";\n");
            } else if (v instanceof WitType.Resource) {
                resource(indent, k, fs);
            } else {
                add(indent).typeDef(k, (WitType) v, Map.of()).add("\n");
            }
        }
        for (Map.Entry<String, Object> e : fs.entrySet()) {
            if (e.getKey().startsWith("[")) {
                continue;
            }
            add(indent + e.getKey() + ": ").func((WitType.Func) e.getValue(), false).add(";\n");
        }
        add(pkg == null ? "}\n" : "  }\n}\n");
        for (Map.Entry<Object, String> e : local.entrySet()) {
            if (!owner.containsKey(e.getKey())) {
                owner.put(e.getKey(), fullName);
                ownerName.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<Object, String> e : local.entrySet()) {
            outer.putIfAbsent(e.getKey(), e.getValue());
        }
        names = outer;
    }

    /** Whether a type is printed by name (primitives never are: aliases of them are not kept). */
    private static boolean isNamed(Object v) {
        return v instanceof WitType.Resource
                || (v instanceof WitType && !(v instanceof WitType.Prim));
    }

    private static WitType.Func funcType(Object v) {
        if (v instanceof Items.Lifted l) {
            return l.type();
        }
        if (v instanceof Items.ImportedFunc f) {
            return f.type();
        }
        return null;
    }

    private void resource(String indent, String name, Map<String, Object> fs) {
        add(indent + "resource " + name + " {\n");
        for (Map.Entry<String, Object> e : fs.entrySet()) {
            WitType.Func f = (WitType.Func) e.getValue();
            String k = e.getKey();
            if (k.equals("[constructor]" + name)) {
                add(indent + "  constructor").params(f, false).add(";\n");
            } else if (k.startsWith("[method]" + name + ".")) {
                add(indent + "  " + k.substring(name.length() + 9) + ": ").func(f, true).add(";\n");
            } else if (k.startsWith("[static]" + name + ".")) {
                add(indent + "  " + k.substring(name.length() + 9) + ": static ")
                        .func(f, false)
                        .add(";\n");
            }
        }
        add(indent + "}\n");
    }

    private WitPrinter func(WitType.Func f, boolean method) {
        add("func").params(f, method);
        if (f.result() != null) {
            add(" -> ").ref(f.result());
        }
        return this;
    }

    private WitPrinter params(WitType.Func f, boolean method) {
        add("(");
        List<WitType.Field> ps = f.params();
        boolean first = true;
        for (int i = method && !ps.isEmpty() ? 1 : 0; i < ps.size(); i++) {
            add(first ? "" : ", ").add(ps.get(i).name() + ": ").ref(ps.get(i).type());
            first = false;
        }
        return add(")");
    }

    private WitPrinter typeDef(String name, WitType w, Map<String, Object> unused) {
        if (w instanceof WitType.Record r) {
            add(name.isEmpty() ? "record {" : "record " + name + " {");
            fields(r.fields(), ": ");
            return add(" }");
        }
        if (w instanceof WitType.Variant v) {
            add(name.isEmpty() ? "variant {" : "variant " + name + " {");
            fields(v.cases(), "(");
            return add(" }");
        }
        if (w instanceof WitType.Enum e) {
            return add(
                    "enum "
                            + name
                            + (name.isEmpty() ? "" : " ")
                            + "{ "
                            + String.join(", ", e.names())
                            + " }");
        }
        if (w instanceof WitType.Flags f) {
            return add(
                    "flags "
                            + name
                            + (name.isEmpty() ? "" : " ")
                            + "{ "
                            + String.join(", ", f.names())
                            + " }");
        }
        String self = names.remove(w);
        add("type " + name + " = ").ref(w).add(";");
        if (self != null) {
            names.put(w, self);
        }
        return this;
    }

    private void fields(List<WitType.Field> fs, String sep) {
        boolean first = true;
        for (WitType.Field f : fs) {
            add(first ? " " : ", ").add(f.name());
            first = false;
            if (f.type() != null) {
                add(sep).ref(f.type());
                if (sep.equals("(")) {
                    add(")");
                }
            }
        }
    }

    private WitPrinter ref(WitType t) {
        String n = names.get(t);
        if (n != null) {
            return add(n);
        }
        if (t instanceof WitType.Prim p) {
            return add(p.wit());
        }
        if (t instanceof WitType.ListOf l) {
            return add("list<").ref(l.element()).add(">");
        }
        if (t instanceof WitType.Option o) {
            return add("option<").ref(o.type()).add(">");
        }
        if (t instanceof WitType.Result r) {
            if (r.ok() == null && r.error() == null) {
                return add("result");
            }
            add("result<");
            if (r.ok() == null) {
                add("_");
            } else {
                ref(r.ok());
            }
            if (r.error() != null) {
                add(", ").ref(r.error());
            }
            return add(">");
        }
        if (t instanceof WitType.Tuple tu) {
            add("tuple<");
            for (int i = 0; i < tu.types().size(); i++) {
                add(i == 0 ? "" : ", ").ref(tu.types().get(i));
            }
            return add(">");
        }
        if (t instanceof WitType.Own o) {
            return add(resourceName(o.resource()));
        }
        if (t instanceof WitType.Borrow b) {
            return add("borrow<" + resourceName(b.resource()) + ">");
        }
        return typeDef("", t, Map.of());
    }

    private String resourceName(WitType.Resource r) {
        String n = names.get(r);
        return n == null ? "resource" : n;
    }
}
