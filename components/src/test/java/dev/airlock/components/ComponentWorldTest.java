package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ComponentWorldTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ComponentWorldTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void printsTheWorldOfTheTestComponent() throws Exception {
        Component c = Component.load(resource("types.wasm"));
        String wit = c.wit();
        System.out.println(wit);
        assertThat(wit).contains("export test:types/echo;");
        assertThat(wit).contains("export add: func(a: u32, b: u32) -> u32;");
        assertThat(wit).contains("record point { x: s32, y: s32 }");
        assertThat(wit).contains("echo-points: func(x: list<point>) -> list<point>;");
        assertThat(wit).contains("resource counter {");
        assertThat(c.functions()).contains("add", "test:types/echo#echo-string");
        assertThat(c.refusal(dev.airlock.core.Policy.defaults())).isNull();
    }

    @Test
    void importsArePrintedAndRefusedBeforeRunning() throws Exception {
        Component c = Component.load(resource("imports.wasm"));
        assertThat(c.wit())
                .contains("  import test:io/poll@0.1.0;\n")
                .contains("  import log: func(msg: string);\n")
                .contains("  export seven: func() -> u32;\n")
                .contains("package test:io@0.1.0 {\n  interface clock {\n")
                .contains("use test:io/poll@0.1.0.{pollable};")
                .contains("type instant = u64;")
                .contains("subscribe: func(when: u64) -> pollable;");
        assertThat(c.imports()).containsExactly("test:io/poll@0.1.0", "test:io/clock@0.1.0", "log");
        assertThat(c.refusal(dev.airlock.core.Policy.defaults()))
                .isEqualTo("component import 'test:io/poll@0.1.0' is not supplied");
        assertThatThrownBy(
                        () ->
                                ComponentInstance.create(
                                        dev.airlock.core.Airlock.create(),
                                        c,
                                        dev.airlock.core.Policy.defaults()))
                .isInstanceOf(ComponentException.class)
                .hasMessage("component import 'test:io/poll@0.1.0' is not supplied")
                .extracting(e -> ((ComponentException) e).kind())
                .isEqualTo(ComponentException.Kind.UNKNOWN_IMPORT);
    }
}
