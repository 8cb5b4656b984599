"""Airlock's network bridge: http.client (and so urllib.request) over the host's HTTP client.

WASI has no sockets, so `install()` replaces http.client's connections with ones that hand each
request to the host through the tool device (/dev/airlock, request `net:request`). The host checks
it against the policy's network rules, resolves the name, adds any secret the policy injects and
answers with the whole response; Python's own http.client then parses it, so `urllib.request`,
`http.client` and `json` work unchanged. A refused request raises `NetworkDenied` (a PermissionError;
its message and `rule` name the deciding rule), a failed one `NetworkError` (an OSError); urllib
wraps both in `urllib.error.URLError`.
Redirects come back as 3xx responses; urllib follows them with new requests, each checked anew.
"""
import base64 as _b64
import errno as _errno
import http.client as _hc
import io as _io
import json as _json
import sys as _sys

import airlock as _airlock

_Original = _hc.HTTPConnection


class NetworkError(OSError):
    """A request the host could not complete (connection refused, timed out, ...)."""

    def __init__(self, message, rule=None):
        super().__init__(_errno.EIO if rule is None else _errno.EACCES, message)
        self.rule = rule

    def __str__(self):
        return self.strerror


class NetworkDenied(NetworkError, PermissionError):
    """A request the policy refused: `rule` names the rule (net.no-rule, net.limit.requests...)."""


def _error(message, rule):
    return NetworkDenied(message, rule) if rule else NetworkError(message)


def _device(request):
    try:
        raw = _airlock.exchange(request)
    except _airlock.BridgeUnavailable as e:
        raise NetworkError("the network bridge is not available: %s" % e) from None
    except OSError as e:
        if e.errno == 22:
            raise NetworkDenied(
                "request too large: its body is over the run's request byte limit", "net.limit.bytes-out"
            ) from None
        raise NetworkError("network request failed: %s" % e) from None
    return _json.loads(raw.decode("utf-8"))


def _unchunk(body):
    out = bytearray()
    while body:
        line, _, rest = body.partition(b"\r\n")
        size = int(line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2:]
    return bytes(out)


def _exchange(scheme, host, port, raw):
    """Sends one raw request as http.client wrote it; returns the raw response to parse."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    method, target = lines[0].split(" ")[:2]
    headers = []
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        value = value.strip()
        if name.lower() == "transfer-encoding" and value.lower() == "chunked":
            chunked = True
            continue
        headers.append((name, value))
    if chunked:
        body = _unchunk(body)
    if target.startswith(("http://", "https://")):
        url = target
    else:
        h = "[%s]" % host if ":" in host else host
        url = "%s://%s:%d%s" % (scheme, h, port, target)
    wire = "%s %s\n%s\n%s" % (
        method,
        url,
        "".join("%s: %s\n" % (k, v.replace("\n", " ")) for k, v in headers),
        _b64.b64encode(body).decode("ascii"),
    )
    answer = _device(("net:request\n" + wire).encode("utf-8"))
    if not answer.get("ok"):
        raise _error(answer.get("error", "network request failed"), answer.get("rule"))
    r = answer["result"]
    data = _b64.b64decode(r["body"])
    out = ["HTTP/1.1 %d %s" % (r["status"], r.get("reason") or "")]
    for name, value in r["headers"]:
        low = name.lower()
        if low in ("transfer-encoding", "connection") or (low == "content-length" and method != "HEAD"):
            continue
        out.append("%s: %s" % (name, value))
    if method != "HEAD":
        out.append("Content-Length: %d" % len(data))
    out.append("Connection: close")
    return ("\r\n".join(out) + "\r\n\r\n").encode("iso-8859-1", "replace") + data


class _Socket:
    """Collects what http.client sends; serves the host's answer to its response parser."""

    def __init__(self, conn):
        self._conn = conn
        self.sent = bytearray()
        self.answer = b""

    def sendall(self, data):
        self.sent += data

    def makefile(self, mode="rb", *args, **kwargs):
        return _io.BytesIO(self.answer)

    def settimeout(self, timeout):
        pass

    def setsockopt(self, *args):
        pass

    def close(self):
        pass


class HTTPConnection(_Original):
    """http.client.HTTPConnection through the host: same API, no socket."""

    _airlock_scheme = "http"

    def connect(self):
        self.sock = _Socket(self)

    def request(self, method, url, body=None, headers={}, *, encode_chunked=False):  # noqa: B006
        super().request(method, url, body, headers, encode_chunked=encode_chunked)
        # the whole request is written: send it now, so that a refusal is raised here (where
        # urllib turns an OSError into URLError) rather than by getresponse()
        self._airlock_send()

    def getresponse(self):
        self._airlock_send()
        return super().getresponse()

    def _airlock_send(self):
        sock = self.sock
        if isinstance(sock, _Socket) and sock.sent:
            raw, sock.sent = bytes(sock.sent), bytearray()
            try:
                sock.answer = _exchange(self._airlock_scheme, self.host, self.port, raw)
            except BaseException:
                self.close()
                raise


class HTTPSConnection(HTTPConnection):
    """https through the host, which verifies the server's certificate; `context` is ignored."""

    default_port = 443
    _airlock_scheme = "https"

    def __init__(self, host, port=None, *args, context=None, **kwargs):
        for unused in ("key_file", "cert_file", "check_hostname"):
            kwargs.pop(unused, None)
        super().__init__(host, port, *args, **kwargs)


class _HostTls:
    """Stands in for an ssl.SSLContext where this build has no ssl: the host does TLS."""

    check_hostname = True
    post_handshake_auth = None

    def set_alpn_protocols(self, protocols):
        pass


def install():
    """Routes http.client, and so urllib.request, through the host. Idempotent."""
    _hc.HTTPConnection = HTTPConnection
    _hc.HTTPSConnection = HTTPSConnection
    if "ssl" not in vars(_hc):
        _hc._create_https_context = lambda http_version: _HostTls()
    if "HTTPSConnection" not in _hc.__all__:
        _hc.__all__.append("HTTPSConnection")
    ur = _sys.modules.get("urllib.request")
    if ur is not None and not hasattr(ur, "HTTPSHandler"):
        _https_handler(ur)


def _https_handler(ur):
    class HTTPSHandler(ur.AbstractHTTPHandler):
        def __init__(self, debuglevel=None, context=None, check_hostname=None):
            super().__init__(debuglevel)

        def https_open(self, req):
            return self.do_open(_hc.HTTPSConnection, req)

        https_request = ur.AbstractHTTPHandler.do_request_

    ur.HTTPSHandler = HTTPSHandler
    ur.__all__.append("HTTPSHandler")
