// A client for the Airlock HTTP API (`airlock serve`): one ES module, global fetch (Node 18+,
// browsers, Deno, Bun), no dependencies. airlock.js and airlock.d.ts are this file compiled.
//
//   import { Airlock } from "./airlock.js";
//   const airlock = new Airlock("http://127.0.0.1:8787", { apiKey: "..." });
//   const r = await airlock.runPython("print(6 * 7)", { limits: { timeoutMs: 5000 } });
//
// Errors of the API (RFC 9457 problem documents) are thrown as AirlockError with status, type,
// title, detail and requestId. A guest's failure (trap, limit, exit code) is a result, not an error.

export type Language = "python" | "javascript" | "wasm";
export type FileData = string | Uint8Array;

export interface Limits {
  timeoutMs?: number;
  memoryBytes?: number;
  maxOutputBytes?: number;
  fuel?: number;
}

export interface RunOptions {
  args?: string[];
  env?: Record<string, string>;
  files?: Record<string, FileData>;
  stdin?: string;
  limits?: Limits;
  packages?: string[];
  allowNet?: string[];
  secrets?: string[];
  requestId?: string;
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
}

export interface SessionOptions {
  env?: Record<string, string>;
  files?: Record<string, FileData>;
  limits?: Limits;
  packages?: string[];
  allowNet?: string[];
  secrets?: string[];
}

export interface ExecutionResult {
  runId: string;
  sessionId?: string;
  status: "ok" | "exit" | "trap" | "limit" | "rejected" | "error";
  exitCode: number | null;
  kind: string | null;
  message: string;
  stdout: string;
  stderr: string;
  usage: Record<string, number | null>;
  denials: Array<Record<string, unknown>>;
  files?: Record<string, string | { base64: string }>;
  sessionReset?: boolean;
}

export interface SessionInfo {
  id: string;
  language: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  snapshots: string[];
}

export interface SnapshotInfo {
  id: string;
  sessionId: string;
  createdAt: string;
  memoryBytes: number;
}

export interface ClientOptions {
  apiKey?: string;
  /** Milliseconds before a request is given up (default 120000). */
  timeoutMs?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An error answer of the API: its problem document and the request's id. */
export class AirlockError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly requestId?: string;
  readonly instance?: string;
  readonly retryAfter?: number;

  constructor(status: number, problem: Record<string, unknown>, requestId?: string, retryAfter?: number) {
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

function positive(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
    throw new RangeError(`${name} must be a positive integer, not ${v}`);
  }
}

function limitsJson(l: Limits | undefined): Limits | undefined {
  if (!l) return undefined;
  for (const k of ["timeoutMs", "memoryBytes", "maxOutputBytes", "fuel"] as const) positive(k, l[k]);
  return l;
}

function base64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

function filesJson(files: Record<string, FileData> | undefined) {
  if (!files) return undefined;
  const out: Record<string, string | { base64: string }> = {};
  for (const [path, c] of Object.entries(files)) {
    out[path] = typeof c === "string" ? c : { base64: base64(c) };
  }
  return out;
}

function segment(s: string): string {
  if (!s) throw new RangeError("an id or name is required");
  return encodeURIComponent(s);
}

function filePath(path: string): string {
  let parts = path.split("/").filter((p) => p !== "");
  if (parts[0] === "workspace") parts = parts.slice(1);
  if (parts.length === 0 || parts.some((p) => p === "." || p === "..")) {
    throw new RangeError(`a path under /workspace is required, not ${path}`);
  }
  return parts.map(encodeURIComponent).join("/");
}

function version(v: string | undefined): string {
  return v === undefined ? "" : `?version=${encodeURIComponent(v)}`;
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** A connection to an Airlock server. */
export class Airlock {
  readonly url: string;
  readonly apiKey?: string;
  readonly timeoutMs: number;

  constructor(url: string, options: ClientOptions = {}) {
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
  async execute(language: Language, source: string | Uint8Array, options: RunOptions = {}): Promise<ExecutionResult> {
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

  runPython(code: string, options?: RunOptions): Promise<ExecutionResult> {
    return this.execute("python", code, options);
  }

  runJavaScript(code: string, options?: RunOptions): Promise<ExecutionResult> {
    return this.execute("javascript", code, options);
  }

  runWasm(module: Uint8Array, options?: RunOptions): Promise<ExecutionResult> {
    return this.execute("wasm", module, options);
  }

  /** A recorded run's outcome (without its output). */
  run(runId: string, options: { requestId?: string } = {}): Promise<Record<string, unknown>> {
    return this.json("GET", `/v1/runs/${segment(runId)}`, undefined, options.requestId);
  }

  /** A recorded run's sealed audit records, in order. */
  async audit(runId: string): Promise<Array<Record<string, unknown>>> {
    const r = await this.request("GET", `/v1/runs/${segment(runId)}/audit`);
    return (await r.text()).split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
  }

  /**
   * Verifies every audit chain in the server's store and every run's outcome against its sealed
   * one (an admin key only: it reads the whole trail): `intact` says whether all hold, `writers`
   * has each chain, `runFaults` each run that does not match.
   */
  verifyAudit(): Promise<Record<string, unknown>> {
    return this.json("GET", "/v1/admin/audit/verification");
  }

  /** Opens a session: an interpreter whose state lasts between runs until closed. */
  async createSession(language: "python" | "javascript", options: SessionOptions = {}): Promise<Session> {
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
  async sessions(): Promise<SessionInfo[]> {
    return (await this.json("GET", "/v1/sessions")).sessions;
  }

  /** An open session of the tenant, by id. */
  async session(id: string): Promise<Session> {
    return new Session(this, await this.json("GET", `/v1/sessions/${segment(id)}`));
  }

  /** The skills the tenant may call, each at its highest version. */
  async skills(): Promise<Array<Record<string, any>>> {
    return (await this.json("GET", "/v1/skills")).skills;
  }

  /** A skill's manifest and tools. */
  skill(name: string, v?: string): Promise<Record<string, any>> {
    return this.json("GET", `/v1/skills/${segment(name)}${version(v)}`);
  }

  /** Calls a skill's tool with a JSON input; the answer has `result` when it succeeded. */
  callSkill(name: string, tool: string, input: unknown, v?: string): Promise<Record<string, any>> {
    return this.json("POST", `/v1/skills/${segment(name)}/tools/${segment(tool)}${version(v)}`, input);
  }

  /** Whether the server answers its health check. */
  async health(): Promise<boolean> {
    const r = await this.request("GET", "/healthz", { auth: false });
    return (await r.json()).status === "ok";
  }

  /** @internal */
  async json(method: string, path: string, body?: unknown, requestId?: string): Promise<any> {
    const r = await this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      contentType: "application/json",
      requestId,
    });
    const text = await r.text();
    return text ? JSON.parse(text) : undefined;
  }

  /** @internal Runs code and answers its result, streaming its output when asked to. */
  async runRequest(path: string, body: unknown, options: RunOptions): Promise<ExecutionResult> {
    if (!options.onOutput) return this.json("POST", path, body, options.requestId);
    const r = await this.request("POST", path, {
      body: JSON.stringify(body),
      contentType: "application/json",
      accept: "text/event-stream",
      requestId: options.requestId,
    });
    if (!r.body) throw new AirlockError(502, { title: "Bad gateway", detail: "no event stream" });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        const payload = data.length ? JSON.parse(data.join("\n")) : {};
        if (event === "stdout" || event === "stderr") options.onOutput(event, payload.text);
        else if (event === "result") return payload;
        else if (event === "error") {
          throw new AirlockError(payload.status ?? 500, payload, r.headers.get("X-Request-Id") ?? undefined);
        }
      }
    }
    throw new AirlockError(502, { title: "Bad gateway", detail: "the event stream ended without a result" });
  }

  /** @internal */
  async request(
    method: string,
    path: string,
    o: { body?: string | Uint8Array; contentType?: string; accept?: string; auth?: boolean; requestId?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: o.accept ?? "application/json" };
    if (o.body !== undefined && o.contentType) headers["Content-Type"] = o.contentType;
    if (o.auth !== false && this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    if (o.requestId !== undefined) {
      if (!REQUEST_ID.test(o.requestId)) throw new RangeError("requestId: 1 to 128 of A-Z a-z 0-9 . _ : -");
      headers["X-Request-Id"] = o.requestId;
    }
    const r = await fetch(this.url + path, {
      method,
      headers,
      body: o.body as BodyInit | undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (r.ok) return r;
    let problem: Record<string, unknown> = {};
    try {
      const p = JSON.parse(await r.text());
      if (p && typeof p === "object") problem = p;
    } catch {
      // not a problem document: status and headers only
    }
    const retry = Number(r.headers.get("Retry-After"));
    throw new AirlockError(r.status, problem, r.headers.get("X-Request-Id") ?? undefined, retry > 0 ? retry : undefined);
  }
}

/** An open session; close it when done. */
export class Session {
  readonly id: string;
  readonly language: string;
  info: SessionInfo;
  private readonly client: Airlock;

  constructor(client: Airlock, info: SessionInfo) {
    this.client = client;
    this.info = info;
    this.id = info.id;
    this.language = info.language;
  }

  private get path(): string {
    return `/v1/sessions/${segment(this.id)}`;
  }

  /** Runs code in the session; globals and files stay for the next run. */
  run(code: string, options: Pick<RunOptions, "requestId" | "onOutput"> = {}): Promise<ExecutionResult> {
    return this.client.runRequest(`${this.path}/executions`, { code }, options);
  }

  /** Writes a file under /workspace (path relative to it). */
  async upload(path: string, content: FileData): Promise<void> {
    const body = typeof content === "string" ? new TextEncoder().encode(content) : content;
    await this.client.request("PUT", `${this.path}/files/${filePath(path)}`, {
      body,
      contentType: "application/octet-stream",
    });
  }

  /** Reads a file under /workspace (path relative to it). */
  async download(path: string): Promise<Uint8Array> {
    const r = await this.client.request("GET", `${this.path}/files/${filePath(path)}`, {
      accept: "application/octet-stream",
    });
    return new Uint8Array(await r.arrayBuffer());
  }

  /** The guest paths of the session's files. */
  async files(): Promise<string[]> {
    return (await this.client.json("GET", `${this.path}/files`)).files;
  }

  /** Snapshots the interpreter's state and files; the answer's id restores it. */
  snapshot(): Promise<SnapshotInfo> {
    return this.client.json("POST", `${this.path}/snapshots`);
  }

  /** Puts the session back to a snapshot of its own. */
  async restore(snapshotId: string): Promise<SessionInfo> {
    this.info = await this.client.json("POST", `${this.path}/restore`, { snapshotId });
    return this.info;
  }

  /** A new session starting from this one's current state. */
  async fork(): Promise<Session> {
    return new Session(this.client, await this.client.json("POST", `${this.path}/fork`));
  }

  /** Stops the code running in the session now, if any. */
  async interrupt(): Promise<void> {
    await this.client.request("POST", `${this.path}/interrupt`);
  }

  /** Closes the session and frees its memory. */
  async close(): Promise<void> {
    await this.client.request("DELETE", this.path);
  }
}
