package dev.airlock.skills;

import static dev.airlock.skills.ManifestFields.MAX_ITEMS;
import static dev.airlock.skills.ManifestFields.MAX_TEXT;
import static dev.airlock.skills.ManifestFields.bool;
import static dev.airlock.skills.ManifestFields.invalid;
import static dev.airlock.skills.ManifestFields.list;
import static dev.airlock.skills.ManifestFields.names;
import static dev.airlock.skills.ManifestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.airlock.core.Durations;
import dev.airlock.core.Mount;
import dev.airlock.core.Size;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.net.NetRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parser of a {@code skill.json}'s {@code capabilities}: its mounts (with the guest paths a
 * skill may ask for), env names, clock, random, tools, skills, models and network.
 */
final class CapabilitiesParser {
    private CapabilitiesParser() {}

    static Manifest.Capabilities capabilities(JsonNode n) throws SkillException {
        if (n == null) {
            return Manifest.Capabilities.NONE;
        }
        String w = "capabilities";
        if (!n.isObject()) {
            throw invalid(w + ": expected an object");
        }
        Json.onlyKeys(
                n, w, Set.of("mounts", "env", "clock", "random", "tools", "skills", "nn", "net"));
        List<Manifest.MountGrant> mounts = new ArrayList<>();
        Set<String> guests = new HashSet<>();
        JsonNode ms = list(n, "mounts", w);
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String where = w + ".mounts[" + i + "]";
            if (!m.isObject()) {
                throw invalid(where + ": expected an object {guest, mode, purpose}");
            }
            Json.onlyKeys(m, where, Set.of("guest", "mode", "purpose"));
            String guest = text(m, "guest", true, 255, where);
            String why = guestProblem(guest);
            if (why != null) {
                throw invalid(where + ".guest: " + why);
            }
            if (!guests.add(guest)) {
                throw invalid(where + ".guest: duplicate " + guest);
            }
            String mode = text(m, "mode", true, 8, where);
            if (!mode.equals("ro") && !mode.equals("rw")) {
                throw invalid(where + ".mode: expected ro or rw");
            }
            String purpose = text(m, "purpose", true, MAX_TEXT, where);
            mounts.add(
                    new Manifest.MountGrant(
                            guest,
                            mode.equals("rw") ? Mount.Mode.READ_WRITE : Mount.Mode.READ_ONLY,
                            purpose));
        }
        return new Manifest.Capabilities(
                List.copyOf(mounts),
                names(n, "env", Manifest.ENV, w),
                bool(n, "clock", w),
                bool(n, "random", w),
                names(n, "tools", Manifest.TOOL, w),
                names(n, "skills", Manifest.SKILL_REF, w),
                names(n, "nn", Manifest.MODEL, w),
                net(n.get("net"), w + ".net"));
    }

    /**
     * {@code "net": ["RULE", ...]} or {@code "net": {"allow": ["RULE", ...], "limits": {"requests":
     * N, "bytesOut": "SIZE", "bytesIn": "SIZE", "timeout": "DURATION", "concurrent": N}}}.
     */
    private static Manifest.NetGrant net(JsonNode n, String w) throws SkillException {
        if (n == null) {
            return Manifest.NetGrant.NONE;
        }
        JsonNode allow;
        JsonNode limits = null;
        if (n.isArray()) {
            allow = n;
        } else if (n.isObject()) {
            Json.onlyKeys(n, w, Set.of("allow", "limits"));
            allow = n.get("allow");
            limits = n.get("limits");
            if (allow == null || !allow.isArray()) {
                throw invalid(w + ".allow: expected a list of network rules");
            }
        } else {
            throw invalid(w + ": expected a list of network rules or an object {allow, limits}");
        }
        String at = n.isArray() ? w : w + ".allow";
        if (allow.isEmpty()) {
            throw invalid(at + ": expected at least one network rule");
        }
        if (allow.size() > MAX_ITEMS) {
            throw invalid(at + ": more than " + MAX_ITEMS + " rules");
        }
        List<NetRule> rules = new ArrayList<>();
        for (int i = 0; i < allow.size(); i++) {
            JsonNode r = allow.get(i);
            if (!r.isTextual() || r.asText().length() > 512) {
                throw invalid(at + "[" + i + "]: expected a network rule (a string)");
            }
            try {
                NetRule rule = NetRule.parse(r.asText());
                if (!rules.contains(rule)) {
                    rules.add(rule);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(at + "[" + i + "]: " + e.getMessage());
            }
        }
        if (limits == null) {
            return new Manifest.NetGrant(rules, null, null, null, null, null);
        }
        String lw = w + ".limits";
        if (!limits.isObject()) {
            throw invalid(lw + ": expected an object");
        }
        Json.onlyKeys(
                limits, lw, Set.of("requests", "bytesOut", "bytesIn", "timeout", "concurrent"));
        try {
            Integer requests = count(limits, "requests", lw, 0);
            Integer concurrent = count(limits, "concurrent", lw, 1);
            Long out =
                    limits.has("bytesOut")
                            ? Size.parse(text(limits, "bytesOut", true, 32, lw))
                            : null;
            Long in =
                    limits.has("bytesIn")
                            ? Size.parse(text(limits, "bytesIn", true, 32, lw))
                            : null;
            Duration timeout =
                    limits.has("timeout")
                            ? Durations.parse(text(limits, "timeout", true, 32, lw))
                            : null;
            Manifest.NetGrant g =
                    new Manifest.NetGrant(rules, requests, out, in, timeout, concurrent);
            // checks the values as limits (sizes not negative, timeout within 10 minutes)
            g.limits(NetLimits.defaults());
            return g;
        } catch (IllegalArgumentException e) {
            throw invalid(lw + ": " + e.getMessage());
        }
    }

    private static Integer count(JsonNode n, String key, String where, int min)
            throws SkillException {
        JsonNode v = n.get(key);
        if (v == null) {
            return null;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < min) {
            throw invalid(where + "." + key + ": expected an integer of at least " + min);
        }
        return v.asInt();
    }

    /** Why a declared guest path is not acceptable, or {@code null}. */
    static String guestProblem(String guest) {
        if (!guest.startsWith("/") || guest.equals("/")) {
            return "must be an absolute folder other than /";
        }
        if (guest.endsWith("/") || guest.contains("//") || guest.contains("\\")) {
            return "must be a plain absolute path such as /data";
        }
        for (String part : guest.substring(1).split("/")) {
            if (part.equals(".") || part.equals("..") || part.contains(":")) {
                return "must not contain ., .. or :";
            }
        }
        if (guest.equals(SkillRunner.SKILL_DIR) || guest.startsWith(SkillRunner.SKILL_DIR + "/")) {
            return SkillRunner.SKILL_DIR + " is reserved for the skill's own files";
        }
        if (guest.equals("/workspace") || guest.startsWith("/workspace/")) {
            return "/workspace is the interpreters' working folder";
        }
        return null;
    }
}
