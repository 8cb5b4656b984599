// The console's only way to the server: the public HTTP API under /v1, with the key the user gave.
// The key is kept in this tab's sessionStorage (gone when the tab closes) and sent only in the
// Authorization header, never in a URL.

const KEY = "airlock.key";

export function key() {
  return sessionStorage.getItem(KEY);
}

export function setKey(k) {
  if (k) sessionStorage.setItem(KEY, k);
  else sessionStorage.removeItem(KEY);
}

/** An API error: the problem document's fields (RFC 9457) and the HTTP status. */
export class ApiError extends Error {
  constructor(status, problem) {
    const title = (problem && problem.title) || "HTTP " + status;
    const detail = problem && problem.detail;
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.problem = problem || {};
  }
}

function headers(extra = {}, withKey = key()) {
  const h = { ...extra };
  if (withKey) h["Authorization"] = "Bearer " + withKey;
  return h;
}

async function fail(res) {
  let problem = null;
  try {
    problem = await res.json();
  } catch (e) {
    problem = null;
  }
  if (res.status === 401) setKey(null);
  throw new ApiError(res.status, problem);
}

/** A JSON call: resolves to the parsed answer (null for 204), rejects with ApiError. */
export async function call(method, path, body, opts = {}) {
  const init = { method, headers: headers({}, opts.key) };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) await fail(res);
  if (res.status === 204) return null;
  const type = (res.headers.get("Content-Type") || "").split(";")[0].trim();
  return type === "application/json" ? res.json() : res.text();
}

/** Raw bytes up (PUT) or down (GET). */
export async function putBytes(path, data) {
  const res = await fetch(path, {
    method: "PUT",
    headers: headers({ "Content-Type": "application/octet-stream" }),
    body: data,
  });
  if (!res.ok) await fail(res);
}

export async function getBlob(path) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) await fail(res);
  return res.blob();
}

/**
 * Runs with the answer streamed as server-sent events: onOutput(stream, text) for each stdout or
 * stderr event; resolves to the result event's execution result, rejects with ApiError for an
 * error event or a refused request.
 */
export async function stream(path, body, onOutput) {
  const res = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
    body: JSON.stringify(body),
  });
  if (!res.ok) await fail(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let result = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buf += value;
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const ev = parse(buf.slice(0, cut));
      buf = buf.slice(cut + 2);
      if (ev.event === "stdout" || ev.event === "stderr") onOutput(ev.event, ev.data.text);
      else if (ev.event === "result") result = ev.data;
      else if (ev.event === "error") throw new ApiError(ev.data.status || 500, ev.data);
    }
    if (done) break;
  }
  if (!result) throw new ApiError(502, { title: "The stream ended without a result" });
  return result;
}

function parse(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return { event, data: JSON.parse(data.join("\n") || "null") };
}
