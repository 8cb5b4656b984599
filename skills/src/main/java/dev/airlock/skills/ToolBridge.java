package dev.airlock.skills;

import dev.airlock.core.Airlock;
import dev.airlock.core.Outcome;
import dev.airlock.core.Policy;
import dev.airlock.core.Stdio;
import dev.airlock.core.event.EventSink;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The tool bridge of wasm skills: whether a skill imports the host module {@link
 * SkillRunner#TOOL_MODULE}, and how such a skill runs, as an instance linked to that module's
 * {@code call} and {@code answer}.
 */
final class ToolBridge {
    private ToolBridge() {}

    /**
     * Whether a wasm skill imports the tool bridge for modules ({@link SkillRunner#TOOL_MODULE}).
     */
    static boolean callsTools(Registry.Installed skill) {
        for (ImportCheck.Need n : skill.checked().needs()) {
            for (String i : n.imports()) {
                if (i.startsWith(SkillRunner.TOOL_MODULE + ".")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs a wasm skill that calls tools as an instance linked to {@link SkillRunner#TOOL_MODULE},
     * unmetered.
     */
    static Outcome run(
            Airlock airlock,
            Registry.Installed skill,
            Policy policy,
            Stdio stdio,
            EventSink events) {
        java.util.concurrent.atomic.AtomicReference<byte[]> last =
                new java.util.concurrent.atomic.AtomicReference<>(new byte[0]);
        List<dev.airlock.core.HostImport.ValueType> i32x4 =
                List.of(
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32,
                        dev.airlock.core.HostImport.ValueType.I32);
        List<dev.airlock.core.HostImport.ValueType> i32 =
                List.of(dev.airlock.core.HostImport.ValueType.I32);
        dev.airlock.core.LinkedImport call =
                new dev.airlock.core.LinkedImport(
                        SkillRunner.TOOL_MODULE,
                        "call",
                        i32x4,
                        i32,
                        (guest, a) -> {
                            long np = a[0] & 0xffffffffL;
                            long nl = a[1] & 0xffffffffL;
                            long ap = a[2] & 0xffffffffL;
                            long al = a[3] & 0xffffffffL;
                            if (nl + al > dev.airlock.core.Tool.MAX_REQUEST_BYTES
                                    || np + nl > guest.size()
                                    || ap + al > guest.size()) {
                                return new long[] {-1};
                            }
                            String name =
                                    new String(guest.readBytes(np, nl), StandardCharsets.UTF_8);
                            String args =
                                    new String(guest.readBytes(ap, al), StandardCharsets.UTF_8);
                            byte[] answer =
                                    guest.callTool(name, args).getBytes(StandardCharsets.UTF_8);
                            last.set(answer);
                            return new long[] {answer.length};
                        });
        dev.airlock.core.LinkedImport answer =
                new dev.airlock.core.LinkedImport(
                        SkillRunner.TOOL_MODULE,
                        "answer",
                        List.of(
                                dev.airlock.core.HostImport.ValueType.I32,
                                dev.airlock.core.HostImport.ValueType.I32),
                        i32,
                        (guest, a) -> {
                            long p = a[0] & 0xffffffffL;
                            long cap = a[1] & 0xffffffffL;
                            byte[] b = last.get();
                            int n = (int) Math.min(b.length, cap);
                            if (p + n > guest.size()) {
                                return new long[] {-1};
                            }
                            guest.writeBytes(p, b, 0, n);
                            return new long[] {n};
                        });
        dev.airlock.core.InstanceSetup setup =
                dev.airlock.core.InstanceSetup.builder()
                        .events(events)
                        .link(call)
                        .link(answer)
                        .build();
        // instances cannot be metered; such skills declare no fuel (checked at install)
        Policy unmetered =
                policy.toBuilder().limits(policy.limits().toBuilder().noFuel().build()).build();
        try (dev.airlock.core.GuestInstance gi =
                airlock.instantiate(skill.checked().module(), unmetered, setup)) {
            return gi.call("_start", stdio).outcome();
        } catch (dev.airlock.core.ModuleRejectedException e) {
            return airlock.rejected(e, events);
        }
    }
}
