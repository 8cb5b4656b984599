// Node's fs for apps in boxes, made by JsBundle into every box's bundle right after
// node-builtins.js: the box's own files (text, bundled at build time) and standard input (fd 0),
// under a writable layer that lives in memory for one run: files written, appended, copied,
// renamed or removed and folders made are seen by every later call of the same run, and are gone
// when it ends (nothing reaches the host). /tmp exists. Callback and promises forms. One function
// of the other built-ins.
(function (node) {
  "use strict";
  const once = (make) => { let m; return () => (m === undefined ? (m = make()) : m); };
  const box = node.__box;
  delete node.__box;

  const fs = once(() => {
    const P = node.path();
    const encoder = new TextEncoder();
    const errnos = { ENOENT: -2, EISDIR: -21, ENOTDIR: -20, EEXIST: -17, ENOTEMPTY: -39 };
    const error = (code, syscall, p, what, dest) => {
      const e = new Error(`${code}: ${what}, ${syscall} '${p}'` + (dest === undefined ? "" : ` -> '${dest}'`));
      e.code = code;
      e.errno = errnos[code];
      e.syscall = syscall;
      e.path = p;
      if (dest !== undefined) e.dest = dest;
      return e;
    };
    // the layer: written files (bytes), removed box files, made and removed folders
    const written = new Map();
    const removed = new Set();
    const madeDirs = new Set(["/tmp"]);
    const removedDirs = new Set();
    const boxText = (f) => (f in box.files ? box.files[f] : f in box.texts ? box.texts[f] : box.sources[f]);
    const isFile = (f) => written.has(f) || (!removed.has(f) && boxText(f) !== undefined);
    const bytesOf = (f) => (written.has(f) ? written.get(f) : encoder.encode(boxText(f)));
    const allFiles = () => {
      const out = [...written.keys()];
      for (const m of [box.files, box.texts, box.sources]) for (const f in m) if (!removed.has(f) && !written.has(f)) out.push(f);
      return out;
    };
    const isDir = (d) => {
      if (d === "/") return true;
      if (madeDirs.has(d)) return true;
      if (removedDirs.has(d)) return false;
      const prefix = d + "/";
      return allFiles().some((f) => f.startsWith(prefix)) || [...madeDirs].some((m) => m.startsWith(prefix));
    };
    const where = (p) => {
      if (p instanceof URL) p = decodeURIComponent(p.pathname);
      if (typeof p !== "string") throw new TypeError("a path must be a string (file descriptors other than 0 are not supported)");
      return P.resolve(p);
    };
    const encodingOf = (o) => (typeof o === "string" ? o : o && o.encoding ? o.encoding : null);
    const contents = (bytes, enc) => {
      if (!enc) return bytes.slice();
      if (enc === "utf8" || enc === "utf-8") return new TextDecoder().decode(bytes);
      return globalThis.Buffer.from(bytes).toString(enc);
    };
    const toBytes = (data, enc) => {
      if (typeof data === "string") {
        return !enc || enc === "utf8" || enc === "utf-8" ? encoder.encode(data) : new Uint8Array(globalThis.Buffer.from(data, enc));
      }
      if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      return encoder.encode(String(data));
    };
    const parentMustExist = (f, syscall, p) => {
      const parent = P.dirname(f);
      if (isFile(parent)) throw error("ENOTDIR", syscall, p, "not a directory");
      if (!isDir(parent)) throw error("ENOENT", syscall, p, "no such file or directory");
    };
    const put = (f, bytes) => {
      written.set(f, bytes);
      removed.delete(f);
      for (let d = P.dirname(f); d !== "/"; d = P.dirname(d)) removedDirs.delete(d);
    };
    const drop = (f) => {
      written.delete(f);
      if (boxText(f) !== undefined) removed.add(f);
    };
    const stat = (p) => {
      const f = where(p);
      const times = { mtimeMs: 0, mtime: new Date(0), atime: new Date(0), ctime: new Date(0), birthtime: new Date(0) };
      if (isFile(f)) {
        const mine = written.has(f);
        return { size: bytesOf(f).length, isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false, mode: mine ? 0o100644 : 0o100444, ...times };
      }
      if (isDir(f)) return { size: 0, isFile: () => false, isDirectory: () => true, isSymbolicLink: () => false, mode: madeDirs.has(f) ? 0o40755 : 0o40555, ...times };
      throw error("ENOENT", "stat", p, "no such file or directory");
    };
    const entries = (d) => {
      const prefix = d === "/" ? "/" : d + "/";
      const names = new Set();
      for (const f of allFiles().concat([...madeDirs])) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split("/")[0]);
      return [...names].filter((n) => n !== "").sort();
    };
    const F = {
      readFileSync(p, o) {
        const enc = encodingOf(o);
        if (p === 0 || p === "/dev/stdin") return contents(encoder.encode(airlock.readStdin()), enc);
        const f = where(p);
        if (isFile(f)) return contents(bytesOf(f), enc);
        if (isDir(f)) throw error("EISDIR", "read", p, "illegal operation on a directory");
        throw error("ENOENT", "open", p, "no such file or directory");
      },
      existsSync(p) {
        try { const f = where(p); return isFile(f) || isDir(f); } catch (e) { return false; }
      },
      accessSync(p) {
        if (!F.existsSync(p)) throw error("ENOENT", "access", p, "no such file or directory");
      },
      statSync(p, o) {
        try { return stat(p); } catch (e) { if (o && o.throwIfNoEntry === false && e.code === "ENOENT") return undefined; throw e; }
      },
      lstatSync: (p, o) => F.statSync(p, o),
      readdirSync(p, o) {
        const d = where(p);
        if (isFile(d)) throw error("ENOTDIR", "scandir", p, "not a directory");
        if (!isDir(d)) throw error("ENOENT", "scandir", p, "no such file or directory");
        const sorted = entries(d);
        if (o && o.withFileTypes) {
          return sorted.map((n) => {
            const dir = isDir((d === "/" ? "" : d) + "/" + n);
            return { name: n, isFile: () => !dir, isDirectory: () => dir, isSymbolicLink: () => false };
          });
        }
        return sorted;
      },
      writeFileSync(p, data, o) {
        const f = where(p);
        const flag = (o && o.flag) || "w";
        if (isDir(f)) throw error("EISDIR", "open", p, "illegal operation on a directory");
        parentMustExist(f, "open", p);
        if (flag.includes("x") && isFile(f)) throw error("EEXIST", "open", p, "file already exists");
        const bytes = toBytes(data, encodingOf(o));
        if (flag.startsWith("a") && isFile(f)) {
          const old = bytesOf(f);
          const both = new Uint8Array(old.length + bytes.length);
          both.set(old, 0);
          both.set(bytes, old.length);
          put(f, both);
        } else put(f, bytes);
      },
      appendFileSync(p, data, o) {
        F.writeFileSync(p, data, { encoding: encodingOf(o), flag: "a" });
      },
      mkdirSync(p, o) {
        const f = where(p);
        const recursive = !!(o && o.recursive);
        if (isDir(f)) {
          if (recursive) return undefined;
          throw error("EEXIST", "mkdir", p, "file already exists");
        }
        if (isFile(f)) throw error("EEXIST", "mkdir", p, "file already exists");
        if (!recursive) parentMustExist(f, "mkdir", p);
        let first;
        const chain = [];
        for (let d = f; d !== "/" && !isDir(d); d = P.dirname(d)) {
          if (isFile(d)) throw error("ENOTDIR", "mkdir", p, "not a directory");
          chain.unshift(d);
        }
        for (const d of chain) {
          madeDirs.add(d);
          removedDirs.delete(d);
          if (first === undefined) first = d;
        }
        return recursive ? first : undefined;
      },
      mkdtempSync(prefix) {
        for (;;) {
          const name = prefix + Math.random().toString(36).slice(2, 8).padEnd(6, "0");
          if (!F.existsSync(name)) {
            F.mkdirSync(name);
            return name;
          }
        }
      },
      rmSync(p, o) {
        const f = where(p);
        if (isFile(f)) return drop(f);
        if (isDir(f)) {
          if (!(o && o.recursive)) {
            const e = error("ERR_FS_EISDIR", "rm", p, "Path is a directory");
            e.message = `Path is a directory: rm returned EISDIR (is a directory) ${f}`;
            throw e;
          }
          const prefix = f + "/";
          for (const x of allFiles()) if (x.startsWith(prefix)) drop(x);
          for (const d of [...madeDirs]) if (d === f || d.startsWith(prefix)) madeDirs.delete(d);
          removedDirs.add(f);
          return undefined;
        }
        if (o && o.force) return undefined;
        throw error("ENOENT", "lstat", p, "no such file or directory");
      },
      rmdirSync(p) {
        const f = where(p);
        if (isFile(f)) throw error("ENOTDIR", "rmdir", p, "not a directory");
        if (!isDir(f)) throw error("ENOENT", "rmdir", p, "no such file or directory");
        if (entries(f).length) throw error("ENOTEMPTY", "rmdir", p, "directory not empty");
        madeDirs.delete(f);
        removedDirs.add(f);
      },
      unlinkSync(p) {
        const f = where(p);
        if (isDir(f)) throw error("EISDIR", "unlink", p, "illegal operation on a directory");
        if (!isFile(f)) throw error("ENOENT", "unlink", p, "no such file or directory");
        drop(f);
      },
      copyFileSync(from, to) {
        const a = where(from);
        const b = where(to);
        if (!isFile(a)) throw error("ENOENT", "copyfile", from, "no such file or directory", to);
        parentMustExist(b, "copyfile", to);
        put(b, bytesOf(a).slice());
      },
      renameSync(from, to) {
        const a = where(from);
        const b = where(to);
        if (isFile(a)) {
          parentMustExist(b, "rename", to);
          const bytes = bytesOf(a);
          drop(a);
          put(b, bytes);
          return;
        }
        if (!isDir(a)) throw error("ENOENT", "rename", from, "no such file or directory", to);
        const prefix = a + "/";
        for (const x of allFiles()) {
          if (x.startsWith(prefix)) {
            const bytes = bytesOf(x);
            drop(x);
            put(b + x.slice(a.length), bytes);
          }
        }
        for (const d of [...madeDirs]) {
          if (d === a || d.startsWith(prefix)) {
            madeDirs.delete(d);
            madeDirs.add(b + d.slice(a.length));
          }
        }
        madeDirs.add(b);
        removedDirs.add(a);
      },
    };
    const later = (fn) => (...args) => {
      const cb = typeof args[args.length - 1] === "function" ? args.pop() : null;
      let r;
      let e = null;
      try { r = fn(...args); } catch (x) { e = x; }
      if (cb) Promise.resolve().then(() => cb(e, r));
      else if (e) throw e;
    };
    const promised = (fn) => (...args) => new Promise((res, rej) => { try { res(fn(...args)); } catch (e) { rej(e); } });
    const names = ["readFile", "writeFile", "appendFile", "readdir", "stat", "lstat", "mkdir", "mkdtemp", "rm", "rmdir",
      "unlink", "copyFile", "rename", "access"];
    F.promises = {};
    for (const n of names) {
      F[n] = later(F[n + "Sync"]);
      F.promises[n] = promised(F[n + "Sync"]);
    }
    F.exists = (p, cb) => Promise.resolve().then(() => cb(F.existsSync(p)));
    F.constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, COPYFILE_EXCL: 1 };
    return F;
  });

  node.fs = fs;
  node["fs/promises"] = () => fs().promises;
  return node;
});
