package dev.airlock.core.engine.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.ModuleRejectedException;
import dev.airlock.core.testing.Guests;
import org.junit.jupiter.api.Test;

/** A module said to be compiled ahead of time is refused, typed, when its machine is unusable. */
class PrecompiledLoadTest {
    private static final byte[] MODULE = Guests.wat("(module (func (export \"f\")))");

    @Test
    void aClassThatIsNotAMachineIsRefused() {
        ModuleLoader loader = new ModuleLoader(4, null, true);
        assertThatThrownBy(
                        () ->
                                loader.loadPrecompiled(
                                        MODULE, "java.lang.String", getClass().getClassLoader()))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageContaining("java.lang.String is not a machine");
    }

    @Test
    void aMissingClassIsRefused() {
        ModuleLoader loader = new ModuleLoader(4, null, true);
        assertThatThrownBy(
                        () ->
                                loader.loadPrecompiled(
                                        MODULE, "no.such.Machine", getClass().getClassLoader()))
                .isInstanceOf(ModuleRejectedException.class)
                .hasMessageStartingWith("cannot load machine no.such.Machine: ");
    }

    @Test
    void invalidBytesAreRefusedBeforeTheClassIsLoaded() {
        ModuleLoader loader = new ModuleLoader(4, null, true);
        assertThatThrownBy(
                        () ->
                                loader.loadPrecompiled(
                                        new byte[] {0, 'a', 's', 'm', 9, 9, 9, 9},
                                        "no.such.Machine",
                                        getClass().getClassLoader()))
                .isInstanceOf(ModuleRejectedException.class)
                .satisfies(
                        e ->
                                assertThat(((ModuleRejectedException) e).getMessage())
                                        .doesNotContain("no.such.Machine"));
    }
}
