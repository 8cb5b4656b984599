# Data formats: json, csv, base64, binascii, struct, configparser, tomllib, plistlib, pickle, marshal, copyreg, quopri
import base64
import binascii
import configparser
import copyreg
import csv
import io
import json
import marshal
import pickle
import plistlib
import quopri
import struct
import tomllib

doc = {"name": "airlock", "tags": ["wasm", "jvm"], "n": 3, "ok": True, "none": None, "pi": 3.25}
s = json.dumps(doc, sort_keys=True, indent=2)
print(s)
print(json.loads(s) == doc, json.dumps("é\u2028"), json.dumps("é", ensure_ascii=False))
try:
    json.loads("{bad json}")
except json.JSONDecodeError as e:
    print("JSONDecodeError", e.msg, e.pos)
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["a", "b,c", 'd"e'])
w.writerow([1, 2.5, None])
print(repr(buf.getvalue()))
print(list(csv.reader(io.StringIO(buf.getvalue()))))
print(list(csv.DictReader(io.StringIO("x,y\n1,2\n3,4\n"))))
print(base64.b64encode(b"hello world"), base64.b64decode("aGk="), base64.urlsafe_b64encode(b"\xfb\xff"), base64.b32encode(b"ab"))
print(base64.b85encode(b"data"), binascii.hexlify(b"\x00\xff"), binascii.crc32(b"hello"), binascii.unhexlify("4142"))
packed = struct.pack("<IhQ?", 1, -2, 2**40, True)
print(packed, struct.unpack("<IhQ?", packed), struct.calcsize(">3sd"), struct.pack(">f", 1.5))
cp = configparser.ConfigParser()
cp.read_string("[server]\nport = 8080\ndebug = yes\n[paths]\nroot = /srv\n")
print(cp.getint("server", "port"), cp.getboolean("server", "debug"), cp.sections(), cp["paths"]["root"])
print(tomllib.loads('title = "t"\n[owner]\nname = "x"\ndob = 1979-05-27\nlist = [1, 2]\n'))
pl = plistlib.dumps({"a": 1, "b": [True, "s"]})
print(plistlib.loads(pl), pl[:38])


class Pt:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)


for proto in range(2, pickle.HIGHEST_PROTOCOL + 1):
    assert pickle.loads(pickle.dumps(Pt(1, [2, 3]), protocol=proto)) == Pt(1, [2, 3])
print(pickle.loads(pickle.dumps({"k": (1, 2.5, "s", b"b", None, {3})})), len(pickle.dumps([1, 2, 3], protocol=2)))
print(marshal.loads(marshal.dumps([1, "a", (2.5, None)])), copyreg.__name__)
print(quopri.encodestring(b"caf\xe9 = ok"), quopri.decodestring(b"caf=E9"))
