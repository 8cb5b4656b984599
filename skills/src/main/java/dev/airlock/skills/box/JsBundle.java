package dev.airlock.skills.box;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JavaScript of a box as one script for Airlock's JavaScript interpreter (QuickJS evaluating
 * global scripts, with no module loader and no file API): every {@code .js}, {@code .cjs} and
 * {@code .json} file of the box, each CommonJS file wrapped in a function, and a small {@code
 * require} that resolves as Node does for relative paths and {@code node_modules} folders ({@code
 * package.json}'s {@code main}, {@code index.js}). Of Node's built-in modules, {@link #AVAILABLE}
 * are there ({@code node-builtins.js} and the resources after it; {@code node-fs.js}: {@code fs}
 * reads the box's own text files and standard input, under a layer that keeps the run's writes in
 * memory); requiring another throws "Cannot find module"; the zlib module is bundled only where a
 * file names it. ES module files ({@code .mjs}, or {@code import}/{@code export} in a {@code .js}
 * file) are turned into CommonJS first ({@link EsModules}); {@code package.json}'s {@code exports}
 * is honoured.
 */
final class JsBundle {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Node's built-in modules that a box gives. */
    static final List<String> AVAILABLE =
            List.of(
                    "assert",
                    "assert/strict",
                    "buffer",
                    "console",
                    "crypto",
                    "events",
                    "fs",
                    "fs/promises",
                    "os",
                    "path",
                    "perf_hooks",
                    "process",
                    "querystring",
                    "readline",
                    "readline/promises",
                    "stream",
                    "stream/promises",
                    "string_decoder",
                    "timers",
                    "timers/promises",
                    "tty",
                    "url",
                    "util",
                    "zlib");

    /** The largest file that {@code fs} can read (bigger ones are left out of the bundle). */
    static final int MAX_FILE = 1 << 20;

    /** Node's built-in modules, which a box cannot give. */
    static final List<String> BUILTINS =
            List.of(
                    "child_process",
                    "cluster",
                    "dgram",
                    "dns",
                    "http",
                    "http2",
                    "https",
                    "net",
                    "tls",
                    "v8",
                    "vm",
                    "worker_threads");

    private static final Pattern ESM =
            Pattern.compile(
                    "(?m)^\\s*(import\\s+[\\w*{][^;]*\\sfrom\\s+['\"]|import\\s+['\"]|export\\s+(default|const|function|class|let|var|\\{|\\*))");
    private static final Pattern REQUIRE =
            Pattern.compile("require\\(\\s*['\"](?:node:)?([\\w/]+)['\"]\\s*\\)");

    /** The name of the zlib module in a string: only bundles whose files have it get zlib. */
    private static final Pattern ZLIB = Pattern.compile("['\"`](?:node:)?zlib['\"`]");

    private JsBundle() {}

    /**
     * The bundle of the box's files.
     *
     * @param warnings gets one line per Node built-in module a file requires
     * @throws BoxException for an ES module file whose imports or exports are not understood
     */
    static String of(Map<String, byte[]> rootfs, List<String> warnings) throws BoxException {
        StringBuilder defs = new StringBuilder();
        StringBuilder json = new StringBuilder();
        StringBuilder files = new StringBuilder();
        List<String> builtinSeen = new ArrayList<>();
        boolean zlib = false;
        for (Map.Entry<String, byte[]> f : rootfs.entrySet()) {
            String p = f.getKey();
            String src = new String(f.getValue(), StandardCharsets.UTF_8);
            try {
                if (p.endsWith(".json")) {
                    JSON.readTree(f.getValue());
                    json.append(JSON.writeValueAsString(p))
                            .append(": ")
                            .append(JSON.writeValueAsString(src))
                            .append(",\n");
                } else if (p.endsWith(".js") || p.endsWith(".cjs") || p.endsWith(".mjs")) {
                    if (src.startsWith("#!")) {
                        src = "//" + src.substring(2);
                    }
                    if (p.endsWith(".mjs") || ESM.matcher(src).find()) {
                        src = EsModules.toCommonJs(src, p);
                    }
                    zlib |= ZLIB.matcher(src).find();
                    Matcher m = REQUIRE.matcher(src);
                    while (m.find()) {
                        if (BUILTINS.contains(m.group(1))
                                && !builtinSeen.contains(p + m.group(1))) {
                            builtinSeen.add(p + m.group(1));
                            warnings.add(
                                    p
                                            + " requires Node's built-in '"
                                            + m.group(1)
                                            + "', which a box does not have (it will fail when it runs)");
                        }
                    }
                    defs.append(JSON.writeValueAsString(p))
                            .append(
                                    ": function (exports, require, module, __filename, __dirname) {\n")
                            .append(src)
                            .append("\n},\n");
                } else if (f.getValue().length <= MAX_FILE && utf8(f.getValue())) {
                    // any other text file, for fs to read
                    files.append(JSON.writeValueAsString(p))
                            .append(": ")
                            .append(JSON.writeValueAsString(src))
                            .append(",\n");
                }
            } catch (IOException e) {
                // a .json file that is not JSON stays a file only (require would fail as in Node)
            }
        }
        return PRELUDE.replace("/*DEFS*/", defs)
                .replace("/*JSON*/", json)
                .replace("/*FILES*/", files)
                .replace("/*NODE5*/", zlib ? NODE5 : "function (node) { return node; }")
                .replace("/*NODE4*/", NODE4)
                .replace("/*NODE3*/", NODE3)
                .replace("/*NODE2*/", NODE2)
                .replace("/*FS*/", FS)
                .replace("/*NODE*/", NODE)
                .replace("/*BUILTINS*/", toJson(BUILTINS));
    }

    private static boolean utf8(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** The built-in modules' source (node-builtins.js), one function of the box's files. */
    private static final String NODE = expression(resource("node-builtins.js"));

    /** fs over the box's files with a writable layer in memory (node-fs.js), likewise. */
    private static final String FS = expression(resource("node-fs.js"));

    /** Buffer and crypto (node-buffer-crypto.js), one function of the other built-ins. */
    private static final String NODE2 = expression(resource("node-buffer-crypto.js"));

    /** process.stdin, readline and string_decoder (node-stdin.js), likewise. */
    private static final String NODE3 = expression(resource("node-stdin.js"));

    /** stream and stream/promises (node-stream.js), likewise. */
    private static final String NODE4 = expression(resource("node-stream.js"));

    /**
     * zlib: deflate, inflate, gzip and crc32 (node-zlib.js), likewise; only in bundles whose files
     * name it, as it is over half as big as the other built-ins together, and every run of a box
     * parses its bundle.
     */
    private static final String NODE5 = expression(resource("node-zlib.js"));

    /** The file's one function expression, without its closing semicolon. */
    private static String expression(String source) {
        String s = source.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    private static String resource(String name) {
        try (java.io.InputStream in = JsBundle.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable resource " + name, e);
        }
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String PRELUDE =
            """
            // made by airlock box build: the box's CommonJS files and a require() over them
            (function () {
              const defs = {
            /*DEFS*/};
              const texts = {
            /*JSON*/};
              const files = {
            /*FILES*/};
              const node = (/*NODE5*/)((/*NODE4*/)((/*NODE3*/)((/*NODE2*/)((/*FS*/)((/*NODE*/)({ texts, files, sources: {} }))))));
              Object.defineProperty(globalThis, "Buffer", {
                get() { return node.buffer().Buffer; },
                configurable: true,
              });
              const builtins = new Set(/*BUILTINS*/);
              const cache = Object.create(null);
              const parsed = Object.create(null);
              const dirname = (p) => { const i = p.lastIndexOf("/"); return i <= 0 ? "/" : p.slice(0, i); };
              const norm = (p) => {
                const out = [];
                for (const s of p.split("/")) {
                  if (s === "" || s === ".") continue;
                  if (s === "..") out.pop(); else out.push(s);
                }
                return "/" + out.join("/");
              };
              const has = (f) => f in defs || f in texts;
              const json = (f) => (f in parsed ? parsed[f] : (parsed[f] = JSON.parse(texts[f])));
              function file(p) {
                for (const c of [p, p + ".js", p + ".cjs", p + ".mjs", p + ".json"]) if (has(c)) return c;
                if ((p + "/package.json") in texts) {
                  const pj = json(p + "/package.json");
                  const target = exported(pj.exports, ".");
                  const m = typeof target === "string" ? file(norm(p + "/" + target))
                    : typeof pj.main === "string" ? file(norm(p + "/" + pj.main)) : null;
                  if (m) return m;
                }
                for (const c of [p + "/index.js", p + "/index.cjs", p + "/index.mjs", p + "/index.json"]) if (has(c)) return c;
                return null;
              }
              // a package.json "exports" entry for a subpath ("." or "./x"): a string, or
              // conditions (require, node, import, default) in that order of preference
              function exported(exp, sub) {
                if (exp === undefined || exp === null) return undefined;
                if (typeof exp === "string" || Array.isArray(exp)) return sub === "." ? pick(exp) : undefined;
                const keys = Object.keys(exp);
                if (keys.length && keys.every((k) => k.startsWith("."))) return pick(exp[sub]);
                return sub === "." ? pick(exp) : undefined;
              }
              function pick(t) {
                if (typeof t === "string") return t;
                if (Array.isArray(t)) { for (const x of t) { const r = pick(x); if (r) return r; } return undefined; }
                if (t && typeof t === "object") {
                  for (const c of ["require", "node", "import", "default"]) if (c in t) { const r = pick(t[c]); if (r) return r; }
                }
                return undefined;
              }
              // a bare name with a subpath ("pkg/sub") through its package's "exports"
              function packageFile(d, name) {
                const parts = name.split("/");
                const n = name.startsWith("@") ? 2 : 1;
                const dir = norm(d + "/node_modules/" + parts.slice(0, n).join("/"));
                const sub = parts.length > n ? "./" + parts.slice(n).join("/") : ".";
                if (sub !== "." && (dir + "/package.json") in texts) {
                  const t = exported(json(dir + "/package.json").exports, sub);
                  if (typeof t === "string") return file(norm(dir + "/" + t));
                }
                return file(norm(d + "/node_modules/" + name));
              }
              const __airlockDefault = (m) => (m && m.__esModule ? m.default : m);
              const __airlockNs = (m) => {
                if (m && m.__esModule) return m;
                const ns = Object.create(null);
                if (m !== null && (typeof m === "object" || typeof m === "function")) {
                  for (const k of Object.keys(m)) ns[k] = m[k];
                }
                ns.default = m;
                return ns;
              };
              const __airlockExport = (exports, getters) => {
                for (const k of Object.keys(getters)) {
                  Object.defineProperty(exports, k, { enumerable: true, configurable: true, get: getters[k] });
                }
              };
              const __airlockStar = (exports, m) => {
                if (m === null || m === undefined) return;
                for (const k of Object.keys(m)) {
                  if (k !== "default" && !Object.prototype.hasOwnProperty.call(exports, k)) {
                    Object.defineProperty(exports, k, { enumerable: true, configurable: true, get: () => m[k] });
                  }
                }
              };
              const __airlockImport = (require, name) =>
                new Promise((ok) => ok(__airlockNs(require(name))));
              function notFound(name, from) {
                const builtin = name.startsWith("node:") || builtins.has(name);
                const e = new Error("Cannot find module '" + name + "'" + (builtin
                  ? " (Node's built-in modules are not available in Airlock's JavaScript interpreter)"
                  : " from " + from));
                e.code = "MODULE_NOT_FOUND";
                return e;
              }
              function resolve(name, from) {
                if (name.startsWith("./") || name.startsWith("../") || name.startsWith("/") || name === "." || name === "..") {
                  const f = file(norm(name.startsWith("/") ? name : dirname(from) + "/" + name));
                  if (f) return f;
                } else if (!name.startsWith("node:") && !builtins.has(name)) {
                  for (let d = dirname(from); ; d = dirname(d)) {
                    const f = packageFile(d, name);
                    if (f) return f;
                    if (d === "/") break;
                  }
                }
                throw notFound(name, from);
              }
              let main;
              function load(f) {
                if (f in cache) return cache[f].exports;
                if (!(f in defs)) return json(f);
                const module = { id: f, filename: f, exports: {}, loaded: false, children: [] };
                if (main === undefined) main = module;
                cache[f] = module;
                const require = (n) => {
                  // Node's own modules come first, as in Node
                  const b = typeof n === "string" && n.startsWith("node:") ? n.slice(5) : n;
                  if (Object.prototype.hasOwnProperty.call(node, b)) return node[b]();
                  return load(resolve(n, f));
                };
                require.resolve = (n) => resolve(n, f);
                require.cache = cache;
                require.main = main;
                defs[f].call(module.exports, module.exports, require, module, f, dirname(f));
                module.loaded = true;
                return module.exports;
              }
              // process.nextTick as Node orders it: the callbacks a script queues run when it
              // ends, before the promise jobs it queued (later ones in a job of their own)
              const ticks = [];
              let tickJob = false;
              function drainTicks() {
                tickJob = false;
                while (ticks.length) {
                  const [f, args] = ticks.shift();
                  try {
                    f(...args);
                  } catch (e) {
                    if (ticks.length && !tickJob) { tickJob = true; queueMicrotask(drainTicks); }
                    throw e;
                  }
                }
              }
              process.nextTick = (f, ...args) => {
                if (typeof f !== "function") throw new TypeError('The "callback" argument must be of type function');
                ticks.push([f, args]);
                if (!tickJob) { tickJob = true; queueMicrotask(drainTicks); }
              };
              globalThis.__airlockBox = {
                main(entry, argv, cwd) {
                  process.argv = ["node", entry].concat(argv);
                  process.cwd = () => cwd;
                  load(entry);
                  drainTicks();
                },
              };
            })();
            """;
}
