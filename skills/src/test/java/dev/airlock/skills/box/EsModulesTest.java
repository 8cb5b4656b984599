package dev.airlock.skills.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The ES module transform on its own: what it rewrites, what it leaves alone (the words import and
 * export in strings, templates, comments, regular expressions and property names), that every line
 * stays where it was, and that what it does not understand is named by file and line.
 */
class EsModulesTest {

    static String cjs(String src) throws BoxException {
        String out = EsModules.toCommonJs(src, "/app/m.js");
        assertThat(out.split("\n", -1)).as("lines kept").hasSameSizeAs(src.split("\n", -1));
        return out;
    }

    @Test
    void importsBecomeRequiresWhereTheyStand() throws Exception {
        String out =
                cjs(
                        "import a, { b as c, default as d } from './x.js';\n"
                                + "import * as ns from \"y\";\n"
                                + "import 'z' with { type: 'json' };\n"
                                + "console.log(a, c, d, ns);\n");
        assertThat(out)
                .contains("const __airlock_m0 = require('./x.js');")
                .contains("const a = __airlockDefault(__airlock_m0);")
                .contains("const c = __airlock_m0[\"b\"];")
                .contains("const d = __airlockDefault(__airlock_m0);")
                .contains("const ns = __airlockNs(__airlock_m1);")
                .contains("require('z');")
                .doesNotContain("import ");
    }

    @Test
    void exportsBecomeGettersOnTheFirstLine() throws Exception {
        String out =
                cjs(
                        "export const x = 1, { y, z: [w] } = o;\n"
                                + "export async function f() {}\n"
                                + "export class K {}\n"
                                + "export {\n  x as ex,\n  f as default\n};\n"
                                + "export { q as r } from './q.js';\n"
                                + "export * from './all.js';\n");
        String first = out.substring(0, out.indexOf('\n'));
        assertThat(first)
                .startsWith("\"use strict\";")
                .contains("\"x\": () => x", "\"y\": () => y", "\"w\": () => w", "\"f\": () => f")
                .contains("\"K\": () => K", "\"ex\": () => x", "\"default\": () => f")
                .contains("\"r\": () => __airlock_m0[\"q\"]")
                .contains("const x = 1, { y, z: [w] } = o;");
        assertThat(out)
                .contains("\nasync function f() {}\n")
                .contains("\nclass K {}\n")
                .contains("__airlockStar(exports, __airlock_m1);")
                .doesNotContain("export ");
    }

    @Test
    void defaultExportsOfEveryKind() throws Exception {
        assertThat(cjs("export default function () { return 1; }\n"))
                .contains("function __airlock_default() { return 1; }")
                .contains("{value: \"default\"}");
        assertThat(cjs("export default class extends Base {}\n"))
                .contains("class __airlock_default extends Base {}");
        assertThat(cjs("export default class Named {}\n")).contains("\"default\": () => Named");
        assertThat(cjs("export default { a: 1 };\n"))
                .contains("const __airlock_default = { a: 1 };");
    }

    @Test
    void theWordsInsideStringsCommentsTemplatesAndRegexesStay() throws Exception {
        String src =
                "const s = 'import x from \"y\"';\n"
                        + "// export default 1\n"
                        + "/* import a from 'b' */\n"
                        + "const t = `export ${ {a: `import ${1}`}.a } end`;\n"
                        + "const r = /export default \"/g;\n"
                        + "const o = { import: 1, export: 2 }; o.import; o.export;\n"
                        + "const m = import.meta.url; import('./lazy.js');\n"
                        + "export const done = true;\n";
        String out = cjs(src);
        assertThat(out)
                .contains("'import x from \"y\"'")
                .contains("// export default 1")
                .contains("/* import a from 'b' */")
                .contains("`export ${ {a: `import ${1}`}.a } end`")
                .contains("/export default \"/g")
                .contains("{ import: 1, export: 2 }; o.import; o.export;")
                .contains("({url: \"file://\" + __filename")
                .contains("__airlockImport.bind(null, require)('./lazy.js')")
                .contains("const done = true;");
    }

    @Test
    void whatIsNotUnderstoodIsNamedByFileAndLine() {
        assertThatThrownBy(() -> EsModules.toCommonJs("\n\nimport { a b } from 'x';\n", "/m.js"))
                .isInstanceOf(BoxException.class)
                .hasMessage("/m.js:3: ',' or '}' was expected");
        assertThatThrownBy(() -> EsModules.toCommonJs("export = 1;\n", "/m.js"))
                .hasMessageContaining("/m.js:1: this export form is not supported");
        assertThatThrownBy(() -> EsModules.toCommonJs("import x 'y';\n", "/m.js"))
                .hasMessageContaining("'from' was expected");
        assertThatThrownBy(() -> EsModules.toCommonJs("import.nope;\n", "/m.js"))
                .hasMessageContaining("import.nope is not supported");
    }
}
