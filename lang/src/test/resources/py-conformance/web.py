# Internet data: urllib.parse, email, http, http.cookies, ipaddress, mimetypes, html, urllib.request/http.client (import)
import email
import email.message
import email.policy
import email.utils
import http
import http.client
import http.cookies
import ipaddress
import mimetypes
import urllib.parse
import urllib.request

u = urllib.parse.urlparse("https://user@example.org:8443/a/b;p?q=1&r=two#frag")
print(u.scheme, u.hostname, u.port, u.path, u.params, urllib.parse.parse_qs(u.query), u.fragment)
print(urllib.parse.urlencode({"q": "a b&c", "n": 1}), urllib.parse.quote("a b/é"), urllib.parse.unquote("%7E%20x"))
print(urllib.parse.urljoin("http://h/a/b/c", "../d"), urllib.parse.urlunsplit(("http", "h", "/p", "x=1", "")))
m = email.message.EmailMessage()
m["From"] = "Ann <ann@example.org>"
m["To"] = "bob@example.org"
m["Subject"] = "Hello"
m.set_content("Body line\n")
m.add_attachment(b"\x00\x01", maintype="application", subtype="octet-stream", filename="x.bin")
parsed = email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
print(parsed["Subject"], parsed.get_content_type(), [p.get_filename() for p in parsed.iter_attachments()])
print(parsed.get_body(("plain",)).get_content(), email.utils.parseaddr("Ann <ann@example.org>"))
print(email.utils.format_datetime(email.utils.parsedate_to_datetime("Tue, 01 Jan 2019 10:00:00 +0000")))
print(http.HTTPStatus(404).phrase, http.HTTPStatus.OK.value, http.client.responses[503])
c = http.cookies.SimpleCookie()
c["session"] = "abc"
c["session"]["path"] = "/"
print(c.output())
net = ipaddress.ip_network("10.0.0.0/30")
print(list(net.hosts()), ipaddress.ip_address("192.168.1.1").is_private, ipaddress.ip_address("::1").is_loopback)
print(ipaddress.ip_interface("10.1.2.3/24").network, ipaddress.ip_address("8.8.8.8") in ipaddress.ip_network("8.8.0.0/16"))
print(mimetypes.guess_type("page.html")[0], mimetypes.guess_type("data.json")[0], mimetypes.guess_extension("image/png"))
print(urllib.request.Request("http://example.org/x", method="POST").get_method())
