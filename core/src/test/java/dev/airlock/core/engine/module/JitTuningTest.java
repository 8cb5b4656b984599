package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JitTuningTest {
    private static String printDirectives() throws Exception {
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
        assertThat(JitTuning.addDirective(123_456)).isTrue();
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
    void directiveTextNamesTheLimit() {
        assertThat(JitTuning.directive(400_000))
                .isEqualTo(
                        "[{ match: \"com/dylibso/chicory/$gen/*.func_*\","
                                + " c2: { MaxNodeLimit: 400000 } }]");
    }
}
