const u = new URL("https://user:pw@Example.COM:8080/a/b/../c/./d?x=1&y=two%20words#frag");
console.log(u.href);
console.log(u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin);
console.log(u.searchParams.get("y"), [...u.searchParams.keys()]);
u.searchParams.append("z", "a b&c");
console.log(u.search, u.toString());
console.log(new URL("../up?q", "http://h.com/a/b/c").href, new URL("//other.org/p", "https://h.com").href);
console.log(new URL("http://h.com:80/").href, new URL("https://h.com").pathname, URL.canParse("nope"), URL.canParse("mailto:a@b.c"));
try { new URL("not a url"); } catch (e) { console.log(e.name); }
const p = new URLSearchParams({ b: "2", a: "1 + 1" }); p.sort(); p.set("c", "é");
console.log(p.toString(), p.has("a"), p.getAll("b"), p.size);
