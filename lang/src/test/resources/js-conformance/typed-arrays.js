const buf = new ArrayBuffer(8);
const view = new DataView(buf);
view.setUint16(0, 0x1234); view.setFloat32(4, 1.5, true);
console.log(new Uint8Array(buf), view.getUint16(0), view.getFloat32(4, true), view.getUint16(0, true));
const f = new Float32Array([1.1, 2.2]); console.log(f[0].toFixed(3), f.BYTES_PER_ELEMENT);
const u = Uint8Array.from([300, -1, 255.9]); console.log(u, u.toSorted(), u.with(0, 9));
console.log(new Uint8ClampedArray([300, -5]), new Int8Array([200]), Array.from(new Uint16Array([65535, 65536])));
console.log(new Uint8Array([1, 2, 3, 4]).subarray(1, 3), new Uint8Array(buf, 0, 2).buffer === buf);
