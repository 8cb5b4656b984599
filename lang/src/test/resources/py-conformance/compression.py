# Compression and archives: zlib, gzip, bz2, lzma, zipfile, tarfile, io
import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib

data = b"Airlock runs agents' code in WebAssembly. " * 200
for name, mod in (("zlib", zlib), ("gzip", gzip), ("bz2", bz2), ("lzma", lzma)):
    packed = mod.compress(data)
    print(name, mod.decompress(packed) == data, len(packed) < len(data) // 5)
print(zlib.adler32(b"abc"), zlib.crc32(b"abc"), hex(zlib.crc32(data)))
co = zlib.compressobj(9, zlib.DEFLATED, -15)
raw = co.compress(data) + co.flush()
print(zlib.decompress(raw, -15) == data)
inc = bz2.BZ2Decompressor()
print(inc.decompress(bz2.compress(b"x" * 1000)) == b"x" * 1000)
print(lzma.decompress(lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_SHA256)) == data)
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.txt", "alpha")
    z.writestr("dir/b.txt", "beta" * 100)
with zipfile.ZipFile(io.BytesIO(zbuf.getvalue())) as z:
    print(z.namelist(), z.read("dir/b.txt")[:8], z.testzip(), [i.file_size for i in z.infolist()])
tbuf = io.BytesIO()
with tarfile.open(fileobj=tbuf, mode="w:gz") as t:
    payload = b"hello tar"
    info = tarfile.TarInfo("greeting.txt")
    info.size = len(payload)
    info.mtime = 0
    t.addfile(info, io.BytesIO(payload))
tbuf.seek(0)
with tarfile.open(fileobj=tbuf, mode="r:gz") as t:
    print(t.getnames(), t.extractfile("greeting.txt").read())
with gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(b"line1\nline2\n"))) as g:
    print(g.readlines())
