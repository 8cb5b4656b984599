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
    files?: Record<string, string | {
        base64: string;
    }>;
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
/** An error answer of the API: its problem document and the request's id. */
export declare class AirlockError extends Error {
    readonly status: number;
    readonly type: string;
    readonly title: string;
    readonly detail: string;
    readonly requestId?: string;
    readonly instance?: string;
    readonly retryAfter?: number;
    constructor(status: number, problem: Record<string, unknown>, requestId?: string, retryAfter?: number);
}
/** A connection to an Airlock server. */
export declare class Airlock {
    readonly url: string;
    readonly apiKey?: string;
    readonly timeoutMs: number;
    constructor(url: string, options?: ClientOptions);
    /** Runs code (python, javascript) or a module (wasm, as bytes) once in a fresh sandbox. */
    execute(language: Language, source: string | Uint8Array, options?: RunOptions): Promise<ExecutionResult>;
    runPython(code: string, options?: RunOptions): Promise<ExecutionResult>;
    runJavaScript(code: string, options?: RunOptions): Promise<ExecutionResult>;
    runWasm(module: Uint8Array, options?: RunOptions): Promise<ExecutionResult>;
    /** A recorded run's outcome (without its output). */
    run(runId: string, options?: {
        requestId?: string;
    }): Promise<Record<string, unknown>>;
    /** A recorded run's sealed audit records, in order. */
    audit(runId: string): Promise<Array<Record<string, unknown>>>;
    /**
     * Verifies every audit chain in the server's store and every run's outcome against its sealed
     * one (an admin key only): `intact` says whether all hold.
     */
    verifyAudit(): Promise<Record<string, unknown>>;
    /** Opens a session: an interpreter whose state lasts between runs until closed. */
    createSession(language: "python" | "javascript", options?: SessionOptions): Promise<Session>;
    /** The tenant's open sessions. */
    sessions(): Promise<SessionInfo[]>;
    /** An open session of the tenant, by id. */
    session(id: string): Promise<Session>;
    /** The skills the tenant may call, each at its highest version. */
    skills(): Promise<Array<Record<string, any>>>;
    /** A skill's manifest and tools. */
    skill(name: string, v?: string): Promise<Record<string, any>>;
    /** Calls a skill's tool with a JSON input; the answer has `result` when it succeeded. */
    callSkill(name: string, tool: string, input: unknown, v?: string): Promise<Record<string, any>>;
    /** Whether the server answers its health check. */
    health(): Promise<boolean>;
    /** @internal */
    json(method: string, path: string, body?: unknown, requestId?: string): Promise<any>;
    /** @internal Runs code and answers its result, streaming its output when asked to. */
    runRequest(path: string, body: unknown, options: RunOptions): Promise<ExecutionResult>;
    /** @internal */
    request(method: string, path: string, o?: {
        body?: string | Uint8Array;
        contentType?: string;
        accept?: string;
        auth?: boolean;
        requestId?: string;
    }): Promise<Response>;
}
/** An open session; close it when done. */
export declare class Session {
    readonly id: string;
    readonly language: string;
    info: SessionInfo;
    private readonly client;
    constructor(client: Airlock, info: SessionInfo);
    private get path();
    /** Runs code in the session; globals and files stay for the next run. */
    run(code: string, options?: Pick<RunOptions, "requestId" | "onOutput">): Promise<ExecutionResult>;
    /** Writes a file under /workspace (path relative to it). */
    upload(path: string, content: FileData): Promise<void>;
    /** Reads a file under /workspace (path relative to it). */
    download(path: string): Promise<Uint8Array>;
    /** The guest paths of the session's files. */
    files(): Promise<string[]>;
    /** Snapshots the interpreter's state and files; the answer's id restores it. */
    snapshot(): Promise<SnapshotInfo>;
    /** Puts the session back to a snapshot of its own. */
    restore(snapshotId: string): Promise<SessionInfo>;
    /** A new session starting from this one's current state. */
    fork(): Promise<Session>;
    /** Stops the code running in the session now, if any. */
    interrupt(): Promise<void>;
    /** Closes the session and frees its memory. */
    close(): Promise<void>;
}
