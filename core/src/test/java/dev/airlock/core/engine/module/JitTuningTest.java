package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JitTuningTest {
    /** The JVM's compiler directives as HotSpot prints them. */
    static String printDirectives() throws Exception {
        return String.valueOf(
                ManagementFactory.getPlatformMBeanServer()
                        .invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "compilerDirectivesPrint",
                                new Object[] {new String[0]},
                                new String[] {String[].class.getName()}));
    }

    @Test
    void directiveRaisesTheNodeLimitOfGuestFunctionsOnly() throws Exception {
        assertThat(JitTuning.addDirective(JitTuning.directive(123_456))).isTrue();
        String printed = printDirectives();
        int at = printed.indexOf("matching: " + JitTuning.MATCH);
        assertThat(at).isGreaterThanOrEqualTo(0);
        String ours = printed.substring(at, printed.indexOf("Directive:", at));
        assertThat(ours).contains("MaxNodeLimit:123456");
        // the default directive, for every other method, keeps C2's own limit
        String rest = printed.substring(printed.indexOf("matching: *.*"));
        assertThat(rest).contains("MaxNodeLimit:80000").doesNotContain("MaxNodeLimit:123456");
    }

    @Test
    void c1DirectiveExcludesTheNamedFunctionsOnly() throws Exception {
        String method = "com/dylibso/chicory/$gen/MTest0000000000000Machine.func_77";
        assertThat(JitTuning.addDirective(JitTuning.c1Directive(List.of(method), 400_000)))
                .isTrue();
        String printed = printDirectives();
        int at = printed.indexOf("matching: " + method);
        assertThat(at).isGreaterThanOrEqualTo(0);
        String ours = printed.substring(at, printed.indexOf("Directive:", at));
        // HotSpot prints the directive once per compiler: C1's excludes, C2's raises the limit
        assertThat(ours).contains("Exclude:true").contains("MaxNodeLimit:400000");
        String rest = printed.substring(printed.indexOf("matching: *.*"));
        assertThat(rest).doesNotContain("Exclude:true");
    }

    @Test
    void c1DirectiveTextListsTheFunctions() {
        assertThat(JitTuning.c1Directive(List.of("a/B.func_1", "a/B.func_9"), 400_000))
                .isEqualTo(
                        "[{ match: [\"a/B.func_1\", \"a/B.func_9\"], c1: { Exclude: true },"
                                + " c2: { MaxNodeLimit: 400000 } }]");
        assertThat(JitTuning.c1Directive(List.of("a/B.func_1"), 80_000))
                .isEqualTo("[{ match: [\"a/B.func_1\"], c1: { Exclude: true } }]");
    }

    @Test
    void directiveTextNamesTheLimit() {
        assertThat(JitTuning.directive(400_000))
                .isEqualTo(
                        "[{ match: \"com/dylibso/chicory/$gen/*.func_*\","
                                + " c2: { MaxNodeLimit: 400000 } }]");
    }

    @Test
    void methodsTheJvmStartedWithOrAlreadyNamedAreNotNamedAgain() {
        assertThat(JitTuning.covered(" a/B.func_1,a/B.func_2,, "))
                .containsExactlyInAnyOrder("a/B.func_1", "a/B.func_2");
        assertThat(JitTuning.covered(null)).isEmpty();
        java.util.Set<String> excluded = new java.util.HashSet<>(List.of("a/B.func_3"));
        java.util.Map<String, Integer> sizes =
                java.util.Map.of(
                        "a/B.func_1",
                        9000,
                        "a/B.func_3",
                        9000,
                        "a/B.func_4",
                        9000,
                        "a/B.func_5",
                        7999);
        assertThat(JitTuning.fresh(sizes, 8000, JitTuning.covered("a/B.func_1"), excluded))
                .containsExactly("a/B.func_4");
        assertThat(excluded).containsExactlyInAnyOrder("a/B.func_3", "a/B.func_4");
        assertThat(JitTuning.fresh(sizes, 8000, JitTuning.covered("a/B.func_1"), excluded))
                .isEmpty();
    }

    @Test
    void theStartDirectivesAreAFileTheJvmTakesAndNameWhatWasExcluded() {
        String method = "com/dylibso/chicory/$gen/MStart000000000000Machine.func_5";
        JitTuning.excludeFromC1(java.util.Map.of(method, 20_000));
        String json = JitTuning.startDirectives();
        assertThat(json)
                .startsWith("[{ match: [")
                .contains("\"" + method + "\"")
                .contains("c1: { Exclude: true }")
                .endsWith(
                        "{ match: \"com/dylibso/chicory/$gen/*.func_*\","
                                + " c2: { MaxNodeLimit: 400000 } }]");
        assertThat(JitTuning.startCovered().split(",")).contains(method);
        // the same text, added as a directives file, is accepted by HotSpot's parser
        assertThat(JitTuning.addDirective(json)).isTrue();
    }
}
