// A Node app using Buffer and crypto the way small tools do: hashes and HMACs of known inputs,
// encodings back and forth, buffer helpers, and randomness (only its shape is printed).
const crypto = require('crypto');
const { Buffer: B } = require('node:buffer');

for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) {
  console.log(alg, crypto.createHash(alg).update('hello ').update(Buffer.from('world')).digest('hex'));
}
console.log('empty', crypto.createHash('sha256').digest('base64'));
const long = 'x'.repeat(1000);
console.log('long', crypto.createHash('sha1').update(long).digest('hex'), crypto.createHash('md5').update(long).digest('hex'));
console.log('hmac', crypto.createHmac('sha256', 'key').update('The quick brown fox').digest('hex'));
console.log('hmac512', crypto.createHmac('sha512', Buffer.alloc(200, 1)).update('data').digest('base64'));
const b = Buffer.from('héllo wörld ✓');
console.log(b.length, b.toString('hex'), b.toString('base64'), b.toString('base64url'));
console.log(Buffer.from(b.toString('base64'), 'base64').toString(), Buffer.from('68656c6c6f', 'hex').toString());
console.log(Buffer.byteLength('✓✓'), Buffer.isBuffer(b), B === Buffer, Buffer.isEncoding('latin1'));
const c = Buffer.concat([Buffer.from('ab'), Buffer.from([99, 100]), Buffer.alloc(2, 'z')]);
console.log(c.toString(), c.indexOf('cd'), c.includes('zz'), c.slice(1, 3).toString(), JSON.stringify(c.subarray(0, 2)));
console.log(Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('same').equals(Buffer.from('same')));
const w = Buffer.alloc(8);
w.writeUInt32BE(0xdeadbeef, 0);
console.log(w.toString('hex'), w.readUInt32BE(0), w.readUInt16LE(0), w.write('hi', 4), w.toString('latin1', 4, 6));
console.log(crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')), crypto.getHashes().includes('sha256'));
const r = crypto.randomBytes(16);
console.log('random', r.length, Buffer.isBuffer(r), /^[0-9a-f-]{36}$/.test(crypto.randomUUID()));
const n = crypto.randomInt(10);
console.log('int', n >= 0 && n < 10);
try { crypto.createHash('whirlpool'); } catch (e) { console.log('refused', e instanceof Error); }
const own = require('fs').readFileSync(require('path').join(__dirname, 'note.txt'));
console.log('fs bytes', Buffer.isBuffer(own), own.subarray(0, 2).toString(), own.toString('utf8', 3, 9));
require('fs').promises.readFile('note.txt').then((x) => console.log('fs promise bytes', Buffer.isBuffer(x)));
const nb = Buffer.alloc(24);
nb.writeUInt16LE(0xbeef, 0); nb.writeUInt32LE(0xdeadbeef, 2); nb.writeInt16BE(-2, 6); nb.writeInt32LE(-123456, 8);
nb.writeDoubleLE(Math.PI, 12); nb.writeFloatBE(1.5, 20);
console.log(nb.toString('hex'), nb.readUInt16LE(0), nb.readUint32LE(2), nb.readInt16BE(6), nb.readInt32LE(8),
  nb.readDoubleLE(12), nb.readFloatBE(20), nb.readInt8(7));
const big = Buffer.alloc(8); big.writeBigUInt64BE(2n ** 63n + 5n); console.log(big.toString('hex'), big.readBigUInt64BE(), big.readBigInt64LE());
try { nb.readUInt32LE(22); } catch (e) { console.log(e.name); }
