const enc = new TextEncoder();
const bytes = enc.encode("héllo €😀");
console.log(bytes, bytes.length, enc.encoding);
const dec = new TextDecoder();
console.log(dec.decode(bytes), dec.decode(new Uint8Array([0xe2, 0x82])), dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])));
console.log(dec.decode(enc.encode("round trip ✓").buffer), new TextDecoder("utf-8").encoding);
try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { console.log(e.name); }
const target = new Uint8Array(4); console.log(enc.encodeInto("abcdef", target), target);
