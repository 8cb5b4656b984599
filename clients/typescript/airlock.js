// A client for the Airlock HTTP API (`airlock serve`): one ES module, global fetch (Node 18+,
// browsers, Deno, Bun), no dependencies. airlock.js and airlock.d.ts are this file compiled.
//
//   import { Airlock } from "./airlock.js";
//   const airlock = new Airlock("http://127.0.0.1:8787", { apiKey: "..." });
//   const r = await airlock.runPython("print(6 * 7)", { limits: { timeoutMs: 5000 } });
//
// Errors of the API (RFC 9457 problem documents) are thrown as AirlockError with status, type,
// title, detail and requestId. A guest's failure (trap, limit, exit code) is a result, not an error.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** An error answer of the API: its problem document and the request's id. */
export class AirlockError extends Error {
    status;
    type;
    title;
    detail;
    requestId;
    instance;
    retryAfter;
    constructor(status, problem, requestId, retryAfter) {
        const title = typeof problem.title === "string" ? problem.title : `HTTP ${status}`;
        const detail = typeof problem.detail === "string" ? problem.detail : "";
        const id = typeof problem.requestId === "string" ? problem.requestId : requestId;
        super(`${status} ${title}: ${detail}${id ? ` (request ${id})` : ""}`);
        this.name = "AirlockError";
        this.status = status;
        this.type = typeof problem.type === "string" ? problem.type : "about:blank";
        this.title = title;
        this.detail = detail;
        this.requestId = id;
        this.instance = typeof problem.instance === "string" ? problem.instance : undefined;
        this.retryAfter = retryAfter;
    }
}
function positive(name, v) {
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
        throw new RangeError(`${name} must be a positive integer, not ${v}`);
    }
}
function limitsJson(l) {
    if (!l)
        return undefined;
    for (const k of ["timeoutMs", "memoryBytes", "maxOutputBytes", "fuel"])
        positive(k, l[k]);
    return l;
}
function base64(b) {
    let s = "";
    for (const x of b)
        s += String.fromCharCode(x);
    return btoa(s);
}
function filesJson(files) {
    if (!files)
        return undefined;
    const out = {};
    for (const [path, c] of Object.entries(files)) {
        out[path] = typeof c === "string" ? c : { base64: base64(c) };
    }
    return out;
}
function segment(s) {
    if (!s)
        throw new RangeError("an id or name is required");
    return encodeURIComponent(s);
}
function filePath(path) {
    let parts = path.split("/").filter((p) => p !== "");
    if (parts[0] === "workspace")
        parts = parts.slice(1);
    if (parts.length === 0 || parts.some((p) => p === "." || p === "..")) {
        throw new RangeError(`a path under /workspace is required, not ${path}`);
    }
    return parts.map(encodeURIComponent).join("/");
}
function version(v) {
    return v === undefined ? "" : `?version=${encodeURIComponent(v)}`;
}
function clean(o) {
    for (const k of Object.keys(o))
        if (o[k] === undefined)
            delete o[k];
    return o;
}
/** A connection to an Airlock server. */
export class Airlock {
    url;
    apiKey;
    timeoutMs;
    constructor(url, options = {}) {
        const u = new URL(url);
        if (u.protocol !== "http:" && u.protocol !== "https:") {
            throw new RangeError(`url must be http(s)://HOST[:PORT], not ${url}`);
        }
        positive("timeoutMs", options.timeoutMs);
        this.url = url.replace(/\/+$/, "");
        this.apiKey = options.apiKey;
        this.timeoutMs = options.timeoutMs ?? 120000;
    }
    /** Runs code (python, javascript) or a module (wasm, as bytes) once in a fresh sandbox. */
    async execute(language, source, options = {}) {
        if (language !== "python" && language !== "javascript" && language !== "wasm") {
            throw new RangeError(`language must be python, javascript or wasm, not ${language}`);
        }
        if ((language === "wasm") !== (source instanceof Uint8Array)) {
            throw new TypeError("wasm takes a module's bytes; python and javascript take code");
        }
        const body = clean({
            language,
            code: typeof source === "string" ? source : undefined,
            module: source instanceof Uint8Array ? base64(source) : undefined,
            args: options.args,
            env: options.env,
            files: filesJson(options.files),
            stdin: options.stdin,
            limits: limitsJson(options.limits),
            packages: options.packages,
            allowNet: options.allowNet,
            secrets: options.secrets,
        });
        return this.runRequest("/v1/executions", body, options);
    }
    runPython(code, options) {
        return this.execute("python", code, options);
    }
    runJavaScript(code, options) {
        return this.execute("javascript", code, options);
    }
    runWasm(module, options) {
        return this.execute("wasm", module, options);
    }
    /** A recorded run's outcome (without its output). */
    run(runId, options = {}) {
        return this.json("GET", `/v1/runs/${segment(runId)}`, undefined, options.requestId);
    }
    /** A recorded run's sealed audit records, in order. */
    async audit(runId) {
        const r = await this.request("GET", `/v1/runs/${segment(runId)}/audit`);
        return (await r.text()).split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
    }
    /**
     * Verifies every audit chain in the server's store and every run's outcome against its sealed
     * one (an admin key only: it reads the whole trail): `intact` says whether all hold, `writers`
     * has each chain, `runFaults` each run that does not match.
     */
    verifyAudit() {
        return this.json("GET", "/v1/admin/audit/verification");
    }
    /** Opens a session: an interpreter whose state lasts between runs until closed. */
    async createSession(language, options = {}) {
        const body = clean({
            language,
            env: options.env,
            files: filesJson(options.files),
            limits: limitsJson(options.limits),
            packages: options.packages,
            allowNet: options.allowNet,
            secrets: options.secrets,
        });
        return new Session(this, await this.json("POST", "/v1/sessions", body));
    }
    /** The tenant's open sessions. */
    async sessions() {
        return (await this.json("GET", "/v1/sessions")).sessions;
    }
    /** An open session of the tenant, by id. */
    async session(id) {
        return new Session(this, await this.json("GET", `/v1/sessions/${segment(id)}`));
    }
    /** The skills the tenant may call, each at its highest version. */
    async skills() {
        return (await this.json("GET", "/v1/skills")).skills;
    }
    /** A skill's manifest and tools. */
    skill(name, v) {
        return this.json("GET", `/v1/skills/${segment(name)}${version(v)}`);
    }
    /** Calls a skill's tool with a JSON input; the answer has `result` when it succeeded. */
    callSkill(name, tool, input, v) {
        return this.json("POST", `/v1/skills/${segment(name)}/tools/${segment(tool)}${version(v)}`, input);
    }
    /** Whether the server answers its health check. */
    async health() {
        const r = await this.request("GET", "/healthz", { auth: false });
        return (await r.json()).status === "ok";
    }
    /** @internal */
    async json(method, path, body, requestId) {
        const r = await this.request(method, path, {
            body: body === undefined ? undefined : JSON.stringify(body),
            contentType: "application/json",
            requestId,
        });
        const text = await r.text();
        return text ? JSON.parse(text) : undefined;
    }
    /** @internal Runs code and answers its result, streaming its output when asked to. */
    async runRequest(path, body, options) {
        if (!options.onOutput)
            return this.json("POST", path, body, options.requestId);
        const r = await this.request("POST", path, {
            body: JSON.stringify(body),
            contentType: "application/json",
            accept: "text/event-stream",
            requestId: options.requestId,
        });
        if (!r.body)
            throw new AirlockError(502, { title: "Bad gateway", detail: "no event stream" });
        const decoder = new TextDecoder();
        let buffer = "";
        for await (const chunk of r.body) {
            buffer += decoder.decode(chunk, { stream: true });
            let end;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                let event = "";
                const data = [];
                for (const line of block.split("\n")) {
                    if (line.startsWith("event:"))
                        event = line.slice(6).trim();
                    else if (line.startsWith("data:"))
                        data.push(line.slice(5).trimStart());
                }
                const payload = data.length ? JSON.parse(data.join("\n")) : {};
                if (event === "stdout" || event === "stderr")
                    options.onOutput(event, payload.text);
                else if (event === "result")
                    return payload;
                else if (event === "error") {
                    throw new AirlockError(payload.status ?? 500, payload, r.headers.get("X-Request-Id") ?? undefined);
                }
            }
        }
        throw new AirlockError(502, { title: "Bad gateway", detail: "the event stream ended without a result" });
    }
    /** @internal */
    async request(method, path, o = {}) {
        const headers = { Accept: o.accept ?? "application/json" };
        if (o.body !== undefined && o.contentType)
            headers["Content-Type"] = o.contentType;
        if (o.auth !== false && this.apiKey)
            headers.Authorization = `Bearer ${this.apiKey}`;
        if (o.requestId !== undefined) {
            if (!REQUEST_ID.test(o.requestId))
                throw new RangeError("requestId: 1 to 128 of A-Z a-z 0-9 . _ : -");
            headers["X-Request-Id"] = o.requestId;
        }
        const r = await fetch(this.url + path, {
            method,
            headers,
            body: o.body,
            signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (r.ok)
            return r;
        let problem = {};
        try {
            const p = JSON.parse(await r.text());
            if (p && typeof p === "object")
                problem = p;
        }
        catch {
            // not a problem document: status and headers only
        }
        const retry = Number(r.headers.get("Retry-After"));
        throw new AirlockError(r.status, problem, r.headers.get("X-Request-Id") ?? undefined, retry > 0 ? retry : undefined);
    }
}
/** An open session; close it when done. */
export class Session {
    id;
    language;
    info;
    client;
    constructor(client, info) {
        this.client = client;
        this.info = info;
        this.id = info.id;
        this.language = info.language;
    }
    get path() {
        return `/v1/sessions/${segment(this.id)}`;
    }
    /** Runs code in the session; globals and files stay for the next run. */
    run(code, options = {}) {
        return this.client.runRequest(`${this.path}/executions`, { code }, options);
    }
    /** Writes a file under /workspace (path relative to it). */
    async upload(path, content) {
        const body = typeof content === "string" ? new TextEncoder().encode(content) : content;
        await this.client.request("PUT", `${this.path}/files/${filePath(path)}`, {
            body,
            contentType: "application/octet-stream",
        });
    }
    /** Reads a file under /workspace (path relative to it). */
    async download(path) {
        const r = await this.client.request("GET", `${this.path}/files/${filePath(path)}`, {
            accept: "application/octet-stream",
        });
        return new Uint8Array(await r.arrayBuffer());
    }
    /** The guest paths of the session's files. */
    async files() {
        return (await this.client.json("GET", `${this.path}/files`)).files;
    }
    /** Snapshots the interpreter's state and files; the answer's id restores it. */
    snapshot() {
        return this.client.json("POST", `${this.path}/snapshots`);
    }
    /** Puts the session back to a snapshot of its own. */
    async restore(snapshotId) {
        this.info = await this.client.json("POST", `${this.path}/restore`, { snapshotId });
        return this.info;
    }
    /** A new session starting from this one's current state. */
    async fork() {
        return new Session(this.client, await this.client.json("POST", `${this.path}/fork`));
    }
    /** Stops the code running in the session now, if any. */
    async interrupt() {
        await this.client.request("POST", `${this.path}/interrupt`);
    }
    /** Closes the session and frees its memory. */
    async close() {
        await this.client.request("DELETE", this.path);
    }
}
