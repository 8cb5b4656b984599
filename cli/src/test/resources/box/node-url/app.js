// A Node app building and taking apart URLs and query strings the way API clients do.
const url = require('url');
const qs = require('node:querystring');

const q = qs.stringify({ q: 'wasm sandbox', page: 2, tags: ['a b', 'c&d'], empty: '' });
console.log(q);
console.log(JSON.stringify(qs.parse('a=1&b=two+words&a=3&c=%E2%9C%93&d')));
console.log(qs.escape("it's (ok)*"), qs.unescape('%7E%20x'));
const u = url.parse('https://user:pw@Example.COM:8443/p/a/t/h?query=string&x=1#hash', true);
console.log(u.protocol, u.auth, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.path);
console.log(JSON.stringify(u.query));
const plain = url.parse('/just/a/path?x=y');
console.log(plain.protocol, plain.host, plain.pathname, plain.query);
console.log(url.format({ protocol: 'https', hostname: 'api.example.com', pathname: '/v1/items', query: { id: 7, sort: 'asc' } }));
const w = new URL('https://example.com/base/?k=v');
w.searchParams.append('n', '1 2');
console.log(w.href, url.URL === URL);
console.log(url.fileURLToPath('file:///tmp/some%20file.txt'), url.pathToFileURL('/tmp/a b.txt').href);
console.log(url.resolve('/one/two/three', 'four'), url.resolve('http://example.com/a/b', '../c'), url.resolve('one/two', 'four'));
