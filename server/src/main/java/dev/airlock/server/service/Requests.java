package dev.airlock.server.service;

import dev.airlock.audit.store.TenantLimits;
import dev.airlock.core.Limits;
import dev.airlock.core.Policy;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.HttpImport;
import dev.airlock.core.net.NetRule;
import dev.airlock.lang.Language;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.api.FileContent;
import dev.airlock.server.api.RequestLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a request asks for and turns it into a {@link Policy}: every problem is a 400 that
 * names the field, before anything runs.
 */
final class Requests {
    /** Where the guest's files live; request paths are relative to it or absolute under it. */
    static final String WORKSPACE = "/workspace";

    static final int MAX_FILES = 1000;
    static final int MAX_PATH = 1024;
    static final int MAX_ENV = 256;
    static final int MAX_ARGS = 1024;

    private Requests() {}

    /** The language a request names: python, javascript or (for {@code wasm}) null. */
    static Language language(String name, boolean wasmAllowed) {
        if (name == null) {
            throw ApiException.badRequest(
                    "language is required (python, javascript" + (wasmAllowed ? " or wasm)" : ")"));
        }
        if (wasmAllowed && name.equals("wasm")) {
            return null;
        }
        if (name.equals("python")) {
            return Language.PYTHON;
        }
        if (name.equals("javascript")) {
            return Language.JAVASCRIPT;
        }
        throw ApiException.badRequest(
                "unknown language '"
                        + name
                        + "' (expected python, javascript"
                        + (wasmAllowed ? " or wasm)" : ")"));
    }

    /** The request's limits within the tenant's ceilings; absent ones take the defaults. */
    static Limits limits(
            RequestLimits asked, TenantLimits ceiling, Limits defaults, boolean fuelAllowed) {
        RequestLimits r = asked == null ? RequestLimits.NONE : asked;
        Limits.Builder b = defaults.toBuilder();
        long maxTimeout = ceiling.maxTimeout().toMillis();
        long timeout =
                within(
                        r.timeoutMs(),
                        "limits.timeoutMs",
                        maxTimeout,
                        defaults.timeout().toMillis());
        b.timeout(Duration.ofMillis(timeout));
        b.memoryBytes(
                within(
                        r.memoryBytes(),
                        "limits.memoryBytes",
                        ceiling.maxMemoryBytes(),
                        defaults.memoryBytes()));
        b.maxOutputBytes(
                within(
                        r.maxOutputBytes(),
                        "limits.maxOutputBytes",
                        ceiling.maxOutputBytes(),
                        defaults.maxOutputBytes()));
        if (r.fuel() != null) {
            if (!fuelAllowed) {
                throw ApiException.badRequest(
                        "limits.fuel is only for wasm: the interpreters start from unmetered images"
                                + " (use limits.timeoutMs)");
            }
            b.fuel(within(r.fuel(), "limits.fuel", ceiling.maxFuel(), 0));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("limits: " + e.getMessage());
        }
    }

    private static long within(Long asked, String field, long ceiling, long fallback) {
        if (asked == null) {
            return Math.min(fallback, ceiling);
        }
        if (asked <= 0) {
            throw ApiException.badRequest(field + " must be positive: " + asked);
        }
        if (asked > ceiling) {
            throw ApiException.badRequest(
                    field + " " + asked + " is above this tenant's ceiling of " + ceiling);
        }
        return asked;
    }

    /** A policy with the request's environment, arguments, stdin and limits. */
    static Policy policy(Map<String, String> env, List<String> args, String stdin, Limits limits) {
        Policy.Builder p = Policy.builder().limits(limits);
        if (env != null) {
            if (env.size() > MAX_ENV) {
                throw ApiException.badRequest("env: at most " + MAX_ENV + " variables");
            }
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (e.getValue() == null) {
                    throw ApiException.badRequest("env." + e.getKey() + " must be a string");
                }
                try {
                    p.env(e.getKey(), e.getValue());
                } catch (IllegalArgumentException x) {
                    throw ApiException.badRequest("env: " + x.getMessage());
                }
            }
        }
        if (args != null) {
            if (args.size() > MAX_ARGS) {
                throw ApiException.badRequest("args: at most " + MAX_ARGS);
            }
            if (args.contains(null)) {
                throw ApiException.badRequest("args must be strings");
            }
            try {
                p.args(args);
            } catch (IllegalArgumentException x) {
                throw ApiException.badRequest("args: " + x.getMessage());
            }
        }
        if (stdin != null) {
            p.stdin(stdin.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return p.build();
        } catch (IllegalArgumentException x) {
            throw ApiException.badRequest(x.getMessage());
        }
    }

    /** The most rules a request may ask for. */
    static final int MAX_NET_RULES = 64;

    /** The most secrets a request may name. */
    static final int MAX_SECRETS = 64;

    /**
     * Adds the network a request asks for ({@code allowNet}) to its policy: each rule must parse
     * and lie within one of the server's rules; the server's limits, transport and resolver apply.
     * The secrets it names ({@code secrets}) must be the server's and allowed to its tenant ({@code
     * mayUse}); each goes where the server's injections say, if the request's rules reach there.
     * Messages name secrets, never their values.
     */
    static Policy network(
            Policy policy,
            List<String> allowNet,
            List<String> secrets,
            Egress server,
            java.util.function.Predicate<String> mayUse) {
        boolean named = secrets != null && !secrets.isEmpty();
        if (allowNet == null || allowNet.isEmpty()) {
            if (named) {
                throw ApiException.badRequest(
                        "secrets: a request that names secrets needs allowNet rules that reach"
                                + " them");
            }
            return policy;
        }
        if (!server.granted()) {
            throw ApiException.badRequest("allowNet: this server grants no network");
        }
        if (allowNet.size() > MAX_NET_RULES) {
            throw ApiException.badRequest("allowNet: at most " + MAX_NET_RULES + " rules");
        }
        List<NetRule> rules = new java.util.ArrayList<>();
        for (String text : allowNet) {
            NetRule rule;
            try {
                rule = NetRule.parse(text);
            } catch (IllegalArgumentException x) {
                throw ApiException.badRequest("allowNet: " + x.getMessage());
            }
            if (server.rules().stream().noneMatch(r -> r.covers(rule))) {
                throw ApiException.badRequest(
                        "allowNet: " + rule + " is not within this server's network rules");
            }
            rules.add(rule);
        }
        List<String> names = named ? secretNames(secrets, server, mayUse) : List.of();
        Egress e = server.narrow(rules, server.limits(), names);
        for (String name : names) {
            if (e.injections().stream().noneMatch(i -> i.secret().equals(name))) {
                throw ApiException.badRequest(
                        "secrets: "
                                + name
                                + " goes to "
                                + String.join(
                                        ", ",
                                        server.injections().stream()
                                                .filter(i -> i.secret().equals(name))
                                                .map(i -> i.destination().toString())
                                                .toList())
                                + ", which no rule in allowNet reaches");
            }
        }
        return HttpImport.grant(policy.toBuilder(), e).build();
    }

    /** The secret names of a request, checked: known to the server and allowed to the tenant. */
    private static List<String> secretNames(
            List<String> secrets, Egress server, java.util.function.Predicate<String> mayUse) {
        if (secrets.size() > MAX_SECRETS) {
            throw ApiException.badRequest("secrets: at most " + MAX_SECRETS + " names");
        }
        List<String> out = new java.util.ArrayList<>();
        for (String name : secrets) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
                throw ApiException.badRequest(
                        "secrets: invalid secret name (letters, digits, _; 1 to 64)");
            }
            // an unknown name and one the tenant may not use read the same
            if (!mayUse.test(name)) {
                List<String> yours = server.secretNames().stream().filter(mayUse).sorted().toList();
                throw ApiException.badRequest(
                        "secrets: unknown secret "
                                + name
                                + (yours.isEmpty()
                                        ? " (this server has no secrets for you)"
                                        : " (yours: " + String.join(", ", yours) + ")"));
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The request's files by absolute guest path under {@code /workspace}. */
    static Map<String, byte[]> files(Map<String, FileContent> files) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (files == null) {
            return out;
        }
        if (files.size() > MAX_FILES) {
            throw ApiException.badRequest("files: at most " + MAX_FILES);
        }
        for (Map.Entry<String, FileContent> f : files.entrySet()) {
            if (f.getValue() == null) {
                throw ApiException.badRequest("files." + f.getKey() + " must not be null");
            }
            out.put(guestPath(f.getKey()), f.getValue().bytes());
        }
        return out;
    }

    /**
     * A path as the guest sees it: relative paths are under {@code /workspace}; absolute ones must
     * be; no {@code .}, {@code ..} or empty segment, no NUL.
     *
     * @throws ApiException 400 for a path that would escape the workspace
     */
    static String guestPath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
            throw ApiException.badRequest("file path must be 1.." + MAX_PATH + " characters");
        }
        String rel;
        if (path.startsWith("/")) {
            if (!path.startsWith(WORKSPACE + "/")) {
                throw ApiException.badRequest(
                        "file path " + quote(path) + " is outside " + WORKSPACE);
            }
            rel = path.substring(WORKSPACE.length() + 1);
        } else {
            rel = path;
        }
        for (String seg : rel.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw ApiException.badRequest(
                        "file path " + quote(path) + " must not have empty, '.' or '..' parts");
            }
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                if (c == 0 || c == '\\') {
                    throw ApiException.badRequest(
                            "file path " + quote(path) + " has a forbidden character");
                }
            }
        }
        return WORKSPACE + "/" + rel;
    }

    private static String quote(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + t.replace("\u0000", "\\0") + "'";
    }
}
