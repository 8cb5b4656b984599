"""A client for the Airlock HTTP API (``airlock serve``), standard library only.

    from airlock_client import Airlock, Limits

    airlock = Airlock("http://127.0.0.1:8787", api_key="...")
    result = airlock.run_python("print(6 * 7)", limits=Limits(timeout_ms=5000))
    print(result.stdout, result.status)

    with airlock.create_session("python") as session:
        session.run("x = 1")
        session.upload("data/in.txt", b"hello")
        print(session.run("print(x)").stdout)

Errors of the API (RFC 9457 problem documents) are raised as :class:`AirlockError`
subclasses carrying ``status``, ``type``, ``title``, ``detail`` and ``request_id``.
A guest's failure (a trap, a limit, an exit code) is not an error: it is a result
with its ``status``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Union

__all__ = [
    "Airlock",
    "AirlockError",
    "BadRequest",
    "Conflict",
    "ExecutionResult",
    "Forbidden",
    "Limits",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "ServerError",
    "Session",
    "Unauthorized",
    "Unavailable",
    "UnsupportedMediaType",
]

__version__ = "0.1.0"

FileData = Union[str, bytes]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class AirlockError(Exception):
    """An error answer of the API: its problem document, and the request's id."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        type: str = "about:blank",
        request_id: Optional[str] = None,
        instance: Optional[str] = None,
        retry_after: Optional[int] = None,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}" + (f" (request {request_id})" if request_id else ""))
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.request_id = request_id
        self.instance = instance
        self.retry_after = retry_after


class BadRequest(AirlockError):
    """400: the request is malformed or asks for something not allowed."""


class Unauthorized(AirlockError):
    """401: the API key is missing, unknown or revoked."""


class Forbidden(AirlockError):
    """403: the key may not do this (an admin key is needed)."""


class NotFound(AirlockError):
    """404: no such session, run, file or skill (or not the tenant's)."""


class Conflict(AirlockError):
    """409: the session is busy, or the thing exists already."""


class PayloadTooLarge(AirlockError):
    """413: the request body is over the server's limit."""


class UnsupportedMediaType(AirlockError):
    """415: the body is not of the expected media type."""


class RateLimited(AirlockError):
    """429: a quota or the tenant's memory total is used up; see ``retry_after``."""


class Unavailable(AirlockError):
    """503: the server is full or shutting down; see ``retry_after``."""


class ServerError(AirlockError):
    """5xx: the server failed; quote ``request_id`` when reporting it."""


_ERRORS = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    429: RateLimited,
    503: Unavailable,
}


def _positive(name: str, value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


@dataclass(frozen=True)
class Limits:
    """What a run may consume; the server keeps each within the tenant's ceiling."""

    timeout_ms: Optional[int] = None
    memory_bytes: Optional[int] = None
    max_output_bytes: Optional[int] = None
    fuel: Optional[int] = None

    def __post_init__(self) -> None:
        for name in ("timeout_ms", "memory_bytes", "max_output_bytes", "fuel"):
            _positive(name, getattr(self, name))

    def to_json(self) -> Dict[str, int]:
        names = {
            "timeout_ms": "timeoutMs",
            "memory_bytes": "memoryBytes",
            "max_output_bytes": "maxOutputBytes",
            "fuel": "fuel",
        }
        return {names[k]: getattr(self, k) for k in names if getattr(self, k) is not None}


@dataclass
class ExecutionResult:
    """A finished run: ``status`` is ok, exit, trap, limit, rejected or error."""

    run_id: str
    status: str
    message: str
    stdout: str = ""
    stderr: str = ""
    exit_code: Optional[int] = None
    kind: Optional[str] = None
    session_id: Optional[str] = None
    usage: Dict[str, Any] = field(default_factory=dict)
    denials: List[Dict[str, Any]] = field(default_factory=list)
    files: Dict[str, Any] = field(default_factory=dict)
    session_reset: Optional[bool] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def file(self, path: str) -> bytes:
        """A file the run created or changed under /workspace, as bytes."""
        content = self.files[path]
        if isinstance(content, dict):
            return base64.b64decode(content["base64"])
        return content.encode("utf-8")

    @staticmethod
    def from_json(j: Mapping[str, Any]) -> "ExecutionResult":
        return ExecutionResult(
            run_id=j.get("runId", ""),
            status=j.get("status", ""),
            message=j.get("message", ""),
            stdout=j.get("stdout", ""),
            stderr=j.get("stderr", ""),
            exit_code=j.get("exitCode"),
            kind=j.get("kind"),
            session_id=j.get("sessionId"),
            usage=j.get("usage") or {},
            denials=j.get("denials") or [],
            files=j.get("files") or {},
            session_reset=j.get("sessionReset"),
            raw=dict(j),
        )


def _files(files: Optional[Mapping[str, FileData]]) -> Optional[Dict[str, Any]]:
    if files is None:
        return None
    out: Dict[str, Any] = {}
    for path, content in files.items():
        if isinstance(content, (bytes, bytearray)):
            out[path] = {"base64": base64.b64encode(bytes(content)).decode("ascii")}
        elif isinstance(content, str):
            out[path] = content
        else:
            raise TypeError(f"file {path}: str or bytes expected")
    return out


class _Response:
    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


class Airlock:
    """A connection to an Airlock server.

    ``api_key`` defaults to the ``AIRLOCK_API_KEY`` environment variable; ``timeout`` is
    the socket timeout in seconds of each request.
    """

    def __init__(self, url: str, api_key: Optional[str] = None, timeout: float = 120.0) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"url must be http(s)://HOST[:PORT], not {url!r}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.url = url.rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("AIRLOCK_API_KEY")
        self.timeout = timeout

    # -- executions ---------------------------------------------------------------

    def execute(
        self,
        language: str,
        code: Optional[str] = None,
        *,
        module: Optional[bytes] = None,
        args: Optional[List[str]] = None,
        env: Optional[Mapping[str, str]] = None,
        files: Optional[Mapping[str, FileData]] = None,
        stdin: Optional[str] = None,
        limits: Optional[Limits] = None,
        packages: Optional[List[str]] = None,
        allow_net: Optional[List[str]] = None,
        secrets: Optional[List[str]] = None,
        request_id: Optional[str] = None,
    ) -> ExecutionResult:
        """Runs code (python, javascript) or a module (wasm) once in a fresh sandbox."""
        body = self._execution(language, code, module, args, env, files, stdin, limits, packages, allow_net, secrets)
        return ExecutionResult.from_json(self._json("POST", "/v1/executions", body, request_id=request_id))

    def run_python(self, code: str, **options: Any) -> ExecutionResult:
        """Runs Python code once; options as :meth:`execute`."""
        return self.execute("python", code, **options)

    def run_javascript(self, code: str, **options: Any) -> ExecutionResult:
        """Runs JavaScript code once; options as :meth:`execute`."""
        return self.execute("javascript", code, **options)

    def run_wasm(self, module: bytes, **options: Any) -> ExecutionResult:
        """Runs a WASI module once; options as :meth:`execute` (``args`` apply)."""
        return self.execute("wasm", module=module, **options)

    def stream(
        self,
        language: str,
        code: Optional[str] = None,
        *,
        on_output: Optional[Callable[[str, str], None]] = None,
        **options: Any,
    ) -> ExecutionResult:
        """Runs once like :meth:`execute`, calling ``on_output(stream, text)`` as output comes."""
        request_id = options.pop("request_id", None)
        unknown = set(options) - set(_EXECUTION_OPTIONS)
        if unknown:
            raise TypeError("unknown options: " + ", ".join(sorted(unknown)))
        body = self._execution(language, code, *[options.get(k) for k in _EXECUTION_OPTIONS])
        return self._stream("/v1/executions", body, on_output, request_id)

    def run(self, run_id: str, *, request_id: Optional[str] = None) -> Dict[str, Any]:
        """A recorded run's outcome (without its output)."""
        return self._json("GET", "/v1/runs/" + _segment(run_id), request_id=request_id)

    def audit(self, run_id: str) -> List[Dict[str, Any]]:
        """A recorded run's sealed audit records, in order."""
        r = self._request("GET", "/v1/runs/" + _segment(run_id) + "/audit")
        return [json.loads(line) for line in r.body.decode("utf-8").splitlines() if line.strip()]

    def verify_audit(self) -> Dict[str, Any]:
        """Verifies every audit chain in the server's store and every run's outcome against its
        sealed one (an admin key only: it reads the whole trail). The answer's ``intact`` says
        whether all hold; ``writers`` has each chain, ``runFaults`` each run that does not match."""
        return self._json("GET", "/v1/admin/audit/verification")

    # -- sessions -----------------------------------------------------------------

    def create_session(
        self,
        language: str,
        *,
        env: Optional[Mapping[str, str]] = None,
        files: Optional[Mapping[str, FileData]] = None,
        limits: Optional[Limits] = None,
        packages: Optional[List[str]] = None,
        allow_net: Optional[List[str]] = None,
        secrets: Optional[List[str]] = None,
    ) -> "Session":
        """Opens a session: an interpreter whose state lasts between runs until closed."""
        body = _clean(
            {
                "language": language,
                "env": dict(env) if env is not None else None,
                "files": _files(files),
                "limits": limits.to_json() if limits else None,
                "packages": packages,
                "allowNet": allow_net,
                "secrets": secrets,
            }
        )
        return Session(self, self._json("POST", "/v1/sessions", body))

    def sessions(self) -> List[Dict[str, Any]]:
        """The tenant's open sessions."""
        return self._json("GET", "/v1/sessions")["sessions"]

    def session(self, session_id: str) -> "Session":
        """An open session of the tenant, by id."""
        return Session(self, self._json("GET", "/v1/sessions/" + _segment(session_id)))

    # -- skills -------------------------------------------------------------------

    def skills(self) -> List[Dict[str, Any]]:
        """The skills the tenant may call, each at its highest version."""
        return self._json("GET", "/v1/skills")["skills"]

    def skill(self, name: str, version: Optional[str] = None) -> Dict[str, Any]:
        """A skill's manifest and tools."""
        return self._json("GET", "/v1/skills/" + _segment(name) + _version(version))

    def call_skill(self, name: str, tool: str, input: Any, version: Optional[str] = None) -> Dict[str, Any]:
        """Calls a skill's tool with a JSON input; the answer has ``result`` when it succeeded."""
        path = "/v1/skills/" + _segment(name) + "/tools/" + _segment(tool) + _version(version)
        return self._json("POST", path, input)

    def health(self) -> bool:
        """Whether the server answers its health check."""
        return self._json("GET", "/healthz", auth=False).get("status") == "ok"

    # -- plumbing -----------------------------------------------------------------

    def _execution(self, language, code, module, args, env, files, stdin, limits, packages, allow_net, secrets):
        if language not in ("python", "javascript", "wasm"):
            raise ValueError(f"language must be python, javascript or wasm, not {language!r}")
        if (language == "wasm") != (module is not None) or (language != "wasm" and code is None):
            raise ValueError("wasm takes a module; python and javascript take code")
        return _clean(
            {
                "language": language,
                "code": code,
                "module": base64.b64encode(module).decode("ascii") if module is not None else None,
                "args": args,
                "env": dict(env) if env is not None else None,
                "files": _files(files),
                "stdin": stdin,
                "limits": limits.to_json() if limits else None,
                "packages": packages,
                "allowNet": allow_net,
                "secrets": secrets,
            }
        )

    def _json(self, method: str, path: str, body: Any = None, *, auth: bool = True, request_id: Optional[str] = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        return self._request(method, path, data, "application/json", auth=auth, request_id=request_id).json()

    def _request(
        self,
        method: str,
        path: str,
        data: Optional[bytes] = None,
        content_type: Optional[str] = None,
        *,
        auth: bool = True,
        accept: str = "application/json",
        request_id: Optional[str] = None,
        stream: bool = False,
    ) -> Any:
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", accept)
        if data is not None and content_type:
            req.add_header("Content-Type", content_type)
        if auth and self.api_key:
            req.add_header("Authorization", "Bearer " + self.api_key)
        if request_id is not None:
            if not _REQUEST_ID.match(request_id):
                raise ValueError("request_id: 1 to 128 of A-Z a-z 0-9 . _ : -")
            req.add_header("X-Request-Id", request_id)
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raise _error(e.code, e.headers, e.read()) from None
        if stream:
            return resp
        with resp:
            return _Response(resp.status, resp.headers, resp.read())

    def _stream(self, path, body, on_output, request_id) -> ExecutionResult:
        data = json.dumps(body).encode("utf-8")
        resp = self._request("POST", path, data, "application/json", accept="text/event-stream", request_id=request_id, stream=True)
        with resp:
            for event, payload in _events(resp):
                if event in ("stdout", "stderr"):
                    if on_output is not None:
                        on_output(event, payload["text"])
                elif event == "result":
                    return ExecutionResult.from_json(payload)
                elif event == "error":
                    raise _problem(payload.get("status", 500), payload, resp.headers)
        raise ServerError(502, "Bad gateway", "the event stream ended without a result")


_EXECUTION_OPTIONS = ("module", "args", "env", "files", "stdin", "limits", "packages", "allow_net", "secrets")


class Session:
    """An open session; close it (or use ``with``) when done."""

    def __init__(self, client: Airlock, info: Mapping[str, Any]) -> None:
        self._client = client
        self.info = dict(info)
        self.id: str = info["id"]
        self.language: str = info.get("language", "")

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.close()
        except NotFound:
            pass

    @property
    def _path(self) -> str:
        return "/v1/sessions/" + _segment(self.id)

    def run(self, code: str, *, request_id: Optional[str] = None) -> ExecutionResult:
        """Runs code in the session; globals and files stay for the next run."""
        return ExecutionResult.from_json(self._client._json("POST", self._path + "/executions", {"code": code}, request_id=request_id))

    def stream(self, code: str, on_output: Callable[[str, str], None]) -> ExecutionResult:
        """Runs code in the session, calling ``on_output(stream, text)`` as output comes."""
        return self._client._stream(self._path + "/executions", {"code": code}, on_output, None)

    def upload(self, path: str, content: FileData) -> None:
        """Writes a file under /workspace (``path`` relative to it)."""
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        self._client._request("PUT", self._path + "/files/" + _file_path(path), data, "application/octet-stream")

    def download(self, path: str) -> bytes:
        """Reads a file under /workspace (``path`` relative to it)."""
        return self._client._request("GET", self._path + "/files/" + _file_path(path), accept="application/octet-stream").body

    def files(self) -> List[str]:
        """The guest paths of the session's files."""
        return self._client._json("GET", self._path + "/files")["files"]

    def snapshot(self) -> Dict[str, Any]:
        """Snapshots the interpreter's state and files; the answer's ``id`` restores it."""
        return self._client._json("POST", self._path + "/snapshots")

    def restore(self, snapshot_id: str) -> Dict[str, Any]:
        """Puts the session back to a snapshot of its own."""
        self.info = self._client._json("POST", self._path + "/restore", {"snapshotId": snapshot_id})
        return self.info

    def fork(self) -> "Session":
        """A new session starting from this one's current state."""
        return Session(self._client, self._client._json("POST", self._path + "/fork"))

    def interrupt(self) -> None:
        """Stops the code running in the session now, if any."""
        self._client._request("POST", self._path + "/interrupt")

    def close(self) -> None:
        """Closes the session and frees its memory."""
        self._client._request("DELETE", self._path)


def _segment(s: str) -> str:
    if not s:
        raise ValueError("an id or name is required")
    return urllib.parse.quote(s, safe="")


def _file_path(path: str) -> str:
    parts = [p for p in path.lstrip("/").split("/") if p]
    if parts[:1] == ["workspace"]:
        parts = parts[1:]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"a path under /workspace is required, not {path!r}")
    return "/".join(urllib.parse.quote(p, safe="") for p in parts)


def _version(version: Optional[str]) -> str:
    return "" if version is None else "?version=" + urllib.parse.quote(version, safe="")


def _clean(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _events(resp) -> Iterator[tuple]:
    event, data = None, []
    for raw in resp:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if event is not None:
                yield event, json.loads("\n".join(data)) if data else None
            event, data = None, []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def _problem(status: int, p: Mapping[str, Any], headers) -> AirlockError:
    cls = _ERRORS.get(status, ServerError if status >= 500 else AirlockError)
    retry = headers.get("Retry-After") if headers is not None else None
    return cls(
        status=status,
        title=p.get("title") or f"HTTP {status}",
        detail=p.get("detail") or "",
        type=p.get("type") or "about:blank",
        request_id=p.get("requestId") or (headers.get("X-Request-Id") if headers is not None else None),
        instance=p.get("instance"),
        retry_after=int(retry) if retry and retry.isdigit() else None,
    )


def _error(status: int, headers, body: bytes) -> AirlockError:
    try:
        p = json.loads(body.decode("utf-8")) if body else {}
        if not isinstance(p, dict):
            p = {}
    except ValueError:
        p = {}
    return _problem(status, p, headers)
