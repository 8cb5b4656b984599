const fs = require('fs');
const path = require('node:path');
const os = require('os');
const util = require('util');
const assert = require('assert');
const EventEmitter = require('events');
const lib = require('./lib/greet');

const cfg = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'config.json'), 'utf8'));
const words = fs.readFileSync('data/words.txt', 'utf8').trim().split('\n');
console.log(lib.greet(cfg.name), words.length, 'words');
console.log(fs.readdirSync('data').join(','), fs.existsSync('data/nope.txt'), fs.statSync('data').isDirectory());
console.log(path.basename('/a/b/c.txt', '.txt'), path.extname('x.tar.gz'), path.relative('/a/b', '/a/c/d'), path.normalize('/a//b/../c/.'));
console.log(util.format('%s has %d items: %j', 'list', 3, { a: 1 }), JSON.stringify(os.EOL));
const e = new EventEmitter();
e.once('ping', (n) => console.log('pong', n));
e.emit('ping', 1);
console.log(e.emit('ping', 2), e.listenerCount('ping'));
assert.deepStrictEqual({ a: [1, 2] }, { a: [1, 2] });
try { assert.strictEqual(1, 2); } catch (x) { console.log(x.name, x.code); }
try { fs.readFileSync('missing.txt'); } catch (x) { console.log(x.code, x.message); }
try { fs.writeFileSync('data/out.txt', 'x'); console.log('wrote'); } catch (x) { console.log(x.code); }
const buf = fs.readFileSync('data/words.txt');
console.log(buf.length, buf.toString().split('\n')[0]);
fs.promises.readFile('data/words.txt', 'utf8').then((t) => console.log('async', t.length));
