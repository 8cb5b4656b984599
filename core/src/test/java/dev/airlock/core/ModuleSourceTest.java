package dev.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules in the text format, sizes in every common spelling, and mount specs. */
class ModuleSourceTest {
    @TempDir Path tmp;

    @Test
    void textIsAssembledAndBinaryPassesThrough() throws Exception {
        byte[] text =
                "(; a block comment ;)\n;; a line comment\n(module (func (export \"f\")))"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(ModuleSource.isText(text)).isTrue();
        byte[] wasm = ModuleSource.toBinary(text);
        assertThat(ModuleSource.isBinary(wasm)).isTrue();
        assertThat(ModuleSource.toBinary(wasm)).isSameAs(wasm);
        Path file = tmp.resolve("m.wat");
        Files.write(file, text);
        assertThat(Airlock.builder().build().load(file).sha256())
                .isEqualTo(Airlock.builder().build().load(wasm).sha256());
    }

    @Test
    void neitherFormatIsLeftForTheLoaderAndBadTextIsMalformed() {
        byte[] junk = "not a module".getBytes(StandardCharsets.UTF_8);
        assertThat(ModuleSource.isText(junk)).isFalse();
        assertThat(ModuleSource.isBinary(junk)).isFalse();
        assertThatThrownBy(
                        () ->
                                ModuleSource.toBinary(
                                        "(module (func (i32.nope)))"
                                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageStartingWith("invalid WebAssembly text format: ")
                .satisfies(
                        e ->
                                assertThat(((ModuleRejectedException) e).reason())
                                        .isEqualTo("malformed"));
        assertThatThrownBy(() -> ModuleSource.read(tmp.resolve("missing.wat")))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessage("no such file: " + tmp.resolve("missing.wat"));
    }

    @Test
    void sizeUnitsAreBinaryHoweverWritten() {
        for (String s :
                new String[] {
                    "256MB", "256M", "256m", "256MiB", "256mib", "256 MB", "262144K", "262144KB"
                }) {
            assertThat(Size.parse(s)).as(s).isEqualTo(256L << 20);
        }
        assertThat(Size.parse("1GB")).isEqualTo(1L << 30);
        assertThat(Size.parse("512")).isEqualTo(512);
        assertThatThrownBy(() -> Size.parse("5TB"))
                .hasMessage(
                        "unknown size unit 'TB' in '5TB' (use B, K, M or G, also written KB or KiB, MB or MiB, GB or GiB)");
    }

    @Test
    void aMountSaysWhichPartIsWrong() {
        assertThatThrownBy(() -> Mount.parse("a:b:rx"))
                .hasMessage(
                        "invalid mount mode 'rx' in 'a:b:rx' (use ro or rw: HOST:GUEST[:ro|:rw])");
        assertThatThrownBy(() -> Mount.parse("a:/b:x"))
                .hasMessageStartingWith("invalid mount mode 'x'");
        assertThatThrownBy(() -> Mount.parse("a:b")).hasMessage("guest path must be absolute: b");
        assertThat(Mount.parse("a:b:/data:rw"))
                .isEqualTo(new Mount(Path.of("a:b"), "/data", Mount.Mode.READ_WRITE));
        assertThat(Mount.parse("a:/data").mode()).isEqualTo(Mount.Mode.READ_ONLY);
    }
}
