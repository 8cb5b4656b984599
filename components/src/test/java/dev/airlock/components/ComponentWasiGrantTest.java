package dev.airlock.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airlock.core.Airlock;
import dev.airlock.core.ClockMode;
import dev.airlock.core.Policy;
import dev.airlock.core.RandomMode;
import org.junit.jupiter.api.Test;

/**
 * Components that import what the policy does not grant, each refused before anything of it runs:
 * sockets (never granted), clocks and randomness under a policy that denies them, and a function
 * that no WASI 0.2 interface has, declared in a real interface's name.
 */
class ComponentWasiGrantTest {
    static final Airlock AIRLOCK = Airlock.create();

    static ComponentException refused(String file, Policy policy) throws Exception {
        Component c = Component.load(ComponentWorldTest.resource("wasi/" + file));
        try {
            ComponentInstance.create(AIRLOCK, c, policy).close();
        } catch (ComponentException e) {
            return e;
        }
        throw new AssertionError(file + " was instantiated");
    }

    @Test
    void socketsAreNeverGranted() throws Exception {
        ComponentException e = refused("sockets.wasm", Policy.defaults());
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.UNKNOWN_IMPORT);
        assertThat(e.getMessage())
                .isEqualTo(
                        "component import 'wasi:sockets/network@0.2.0' is not granted (no"
                                + " sockets)");
    }

    @Test
    void aDeniedClockRefusesAComponentThatImportsOne() throws Exception {
        ComponentException e =
                refused("probe.wasm", Policy.builder().clock(ClockMode.DENY).build());
        assertThat(e.getMessage()).endsWith("is not granted (the policy denies the clock)");
        assertThat(e.getMessage()).startsWith("component import 'wasi:clocks/");
    }

    @Test
    void deniedRandomnessRefusesAComponentThatImportsIt() throws Exception {
        ComponentException e =
                refused("probe.wasm", Policy.builder().random(RandomMode.DENY).build());
        assertThat(e.getMessage())
                .isEqualTo(
                        "component import 'wasi:random/random@0.2.12' is not granted (the policy"
                                + " denies randomness)");
    }

    @Test
    void aFunctionWasiDoesNotHaveIsNotSupplied() throws Exception {
        ComponentException e = refused("unknown.wasm", Policy.defaults());
        assertThat(e.kind()).isEqualTo(ComponentException.Kind.UNKNOWN_IMPORT);
        assertThat(e.getMessage())
                .isEqualTo(
                        "component import 'wasi:cli/environment@0.2.0#get-secrets' is not"
                                + " supplied");
    }

    @Test
    void aComponentWithoutRunIsNoCommand() throws Exception {
        Component c = Component.load(ComponentWorldTest.resource("types.wasm"));
        try (ComponentInstance ci = ComponentInstance.create(AIRLOCK, c, Policy.defaults())) {
            assertThatThrownBy(() -> ci.runCommand(dev.airlock.core.Stdio.discard()))
                    .isInstanceOf(ComponentException.class)
                    .hasMessage(
                            "the component exports no wasi:cli/run (call its functions with"
                                    + " airlock call)");
        }
    }
}
