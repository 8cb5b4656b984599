package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(c.unsupportedReason()).isNull();
    }
}
