// Node's zlib in a box: round trips of every format at levels 0, 1, 6 and 9 (empty, short text,
// text, pseudo-random bytes), 200 KB of repetitive text, data of several blocks; data that real
// node compressed (gzip at levels 0, 1, 6 and 9, fixed codes, zlib, raw, a preset dictionary, two
// gzip members) and a gzip header with every field; crc32; errors on corrupt and hostile data
// (each ends with an error, none hangs); the callback forms; streams through pipeline; unzip of
// both formats. Compressed sizes are not printed: they are the compressor's own.
const zlib = require("zlib");
const { pipeline, Readable, Writable } = require("stream");
const { promisify } = require("util");

// n lines, numbered modulo period (a small period repeats)
const lines = (n, period) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = i % (period || n);
    out.push("line " + k + ": " + ["alpha", "beta", "gamma", "delta"][k % 4] + " " + ((k * k) % 97) + "\n");
  }
  return out.join("");
};
const lcg = (n, seed) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    b[i] = seed >>> 24;
  }
  return b;
};
const sum = (b) => b.length + " bytes, crc32 " + zlib.crc32(b).toString(16);
const fails = (f) => {
  try {
    return "no error: " + sum(f());
  } catch (e) {
    return (e.code || e.constructor.name) + ": " + e.message;
  }
};

// created by node 20: `zlib.gzipSync(lines(150), { level: 1 })` and so on
const NODE = {
  gzip0:
    "H4sIAAAAAAAEAwF3Coj1bGluZSAwOiBhbHBoYSAwCmxpbmUgMTogYmV0YSAxCmxpbmUgMjogZ2FtbWEgNApsaW5lIDM6IGRl"
    + "bHRhIDkKbGluZSA0OiBhbHBoYSAxNgpsaW5lIDU6IGJldGEgMjUKbGluZSA2OiBnYW1tYSAzNgpsaW5lIDc6IGRlbHRhIDQ5"
    + "CmxpbmUgODogYWxwaGEgNjQKbGluZSA5OiBiZXRhIDgxCmxpbmUgMTA6IGdhbW1hIDMKbGluZSAxMTogZGVsdGEgMjQKbGlu"
    + "ZSAxMjogYWxwaGEgNDcKbGluZSAxMzogYmV0YSA3MgpsaW5lIDE0OiBnYW1tYSAyCmxpbmUgMTU6IGRlbHRhIDMxCmxpbmUg"
    + "MTY6IGFscGhhIDYyCmxpbmUgMTc6IGJldGEgOTUKbGluZSAxODogZ2FtbWEgMzMKbGluZSAxOTogZGVsdGEgNzAKbGluZSAy"
    + "MDogYWxwaGEgMTIKbGluZSAyMTogYmV0YSA1MwpsaW5lIDIyOiBnYW1tYSA5NgpsaW5lIDIzOiBkZWx0YSA0NApsaW5lIDI0"
    + "OiBhbHBoYSA5MQpsaW5lIDI1OiBiZXRhIDQzCmxpbmUgMjY6IGdhbW1hIDk0CmxpbmUgMjc6IGRlbHRhIDUwCmxpbmUgMjg6"
    + "IGFscGhhIDgKbGluZSAyOTogYmV0YSA2NQpsaW5lIDMwOiBnYW1tYSAyNwpsaW5lIDMxOiBkZWx0YSA4OApsaW5lIDMyOiBh"
    + "bHBoYSA1NApsaW5lIDMzOiBiZXRhIDIyCmxpbmUgMzQ6IGdhbW1hIDg5CmxpbmUgMzU6IGRlbHRhIDYxCmxpbmUgMzY6IGFs"
    + "cGhhIDM1CmxpbmUgMzc6IGJldGEgMTEKbGluZSAzODogZ2FtbWEgODYKbGluZSAzOTogZGVsdGEgNjYKbGluZSA0MDogYWxw"
    + "aGEgNDgKbGluZSA0MTogYmV0YSAzMgpsaW5lIDQyOiBnYW1tYSAxOApsaW5lIDQzOiBkZWx0YSA2CmxpbmUgNDQ6IGFscGhh"
    + "IDkzCmxpbmUgNDU6IGJldGEgODUKbGluZSA0NjogZ2FtbWEgNzkKbGluZSA0NzogZGVsdGEgNzUKbGluZSA0ODogYWxwaGEg"
    + "NzMKbGluZSA0OTogYmV0YSA3MwpsaW5lIDUwOiBnYW1tYSA3NQpsaW5lIDUxOiBkZWx0YSA3OQpsaW5lIDUyOiBhbHBoYSA4"
    + "NQpsaW5lIDUzOiBiZXRhIDkzCmxpbmUgNTQ6IGdhbW1hIDYKbGluZSA1NTogZGVsdGEgMTgKbGluZSA1NjogYWxwaGEgMzIK"
    + "bGluZSA1NzogYmV0YSA0OApsaW5lIDU4OiBnYW1tYSA2NgpsaW5lIDU5OiBkZWx0YSA4NgpsaW5lIDYwOiBhbHBoYSAxMQps"
    + "aW5lIDYxOiBiZXRhIDM1CmxpbmUgNjI6IGdhbW1hIDYxCmxpbmUgNjM6IGRlbHRhIDg5CmxpbmUgNjQ6IGFscGhhIDIyCmxp"
    + "bmUgNjU6IGJldGEgNTQKbGluZSA2NjogZ2FtbWEgODgKbGluZSA2NzogZGVsdGEgMjcKbGluZSA2ODogYWxwaGEgNjUKbGlu"
    + "ZSA2OTogYmV0YSA4CmxpbmUgNzA6IGdhbW1hIDUwCmxpbmUgNzE6IGRlbHRhIDk0CmxpbmUgNzI6IGFscGhhIDQzCmxpbmUg"
    + "NzM6IGJldGEgOTEKbGluZSA3NDogZ2FtbWEgNDQKbGluZSA3NTogZGVsdGEgOTYKbGluZSA3NjogYWxwaGEgNTMKbGluZSA3"
    + "NzogYmV0YSAxMgpsaW5lIDc4OiBnYW1tYSA3MApsaW5lIDc5OiBkZWx0YSAzMwpsaW5lIDgwOiBhbHBoYSA5NQpsaW5lIDgx"
    + "OiBiZXRhIDYyCmxpbmUgODI6IGdhbW1hIDMxCmxpbmUgODM6IGRlbHRhIDIKbGluZSA4NDogYWxwaGEgNzIKbGluZSA4NTog"
    + "YmV0YSA0NwpsaW5lIDg2OiBnYW1tYSAyNApsaW5lIDg3OiBkZWx0YSAzCmxpbmUgODg6IGFscGhhIDgxCmxpbmUgODk6IGJl"
    + "dGEgNjQKbGluZSA5MDogZ2FtbWEgNDkKbGluZSA5MTogZGVsdGEgMzYKbGluZSA5MjogYWxwaGEgMjUKbGluZSA5MzogYmV0"
    + "YSAxNgpsaW5lIDk0OiBnYW1tYSA5CmxpbmUgOTU6IGRlbHRhIDQKbGluZSA5NjogYWxwaGEgMQpsaW5lIDk3OiBiZXRhIDAK"
    + "bGluZSA5ODogZ2FtbWEgMQpsaW5lIDk5OiBkZWx0YSA0CmxpbmUgMTAwOiBhbHBoYSA5CmxpbmUgMTAxOiBiZXRhIDE2Cmxp"
    + "bmUgMTAyOiBnYW1tYSAyNQpsaW5lIDEwMzogZGVsdGEgMzYKbGluZSAxMDQ6IGFscGhhIDQ5CmxpbmUgMTA1OiBiZXRhIDY0"
    + "CmxpbmUgMTA2OiBnYW1tYSA4MQpsaW5lIDEwNzogZGVsdGEgMwpsaW5lIDEwODogYWxwaGEgMjQKbGluZSAxMDk6IGJldGEg"
    + "NDcKbGluZSAxMTA6IGdhbW1hIDcyCmxpbmUgMTExOiBkZWx0YSAyCmxpbmUgMTEyOiBhbHBoYSAzMQpsaW5lIDExMzogYmV0"
    + "YSA2MgpsaW5lIDExNDogZ2FtbWEgOTUKbGluZSAxMTU6IGRlbHRhIDMzCmxpbmUgMTE2OiBhbHBoYSA3MApsaW5lIDExNzog"
    + "YmV0YSAxMgpsaW5lIDExODogZ2FtbWEgNTMKbGluZSAxMTk6IGRlbHRhIDk2CmxpbmUgMTIwOiBhbHBoYSA0NApsaW5lIDEy"
    + "MTogYmV0YSA5MQpsaW5lIDEyMjogZ2FtbWEgNDMKbGluZSAxMjM6IGRlbHRhIDk0CmxpbmUgMTI0OiBhbHBoYSA1MApsaW5l"
    + "IDEyNTogYmV0YSA4CmxpbmUgMTI2OiBnYW1tYSA2NQpsaW5lIDEyNzogZGVsdGEgMjcKbGluZSAxMjg6IGFscGhhIDg4Cmxp"
    + "bmUgMTI5OiBiZXRhIDU0CmxpbmUgMTMwOiBnYW1tYSAyMgpsaW5lIDEzMTogZGVsdGEgODkKbGluZSAxMzI6IGFscGhhIDYx"
    + "CmxpbmUgMTMzOiBiZXRhIDM1CmxpbmUgMTM0OiBnYW1tYSAxMQpsaW5lIDEzNTogZGVsdGEgODYKbGluZSAxMzY6IGFscGhh"
    + "IDY2CmxpbmUgMTM3OiBiZXRhIDQ4CmxpbmUgMTM4OiBnYW1tYSAzMgpsaW5lIDEzOTogZGVsdGEgMTgKbGluZSAxNDA6IGFs"
    + "cGhhIDYKbGluZSAxNDE6IGJldGEgOTMKbGluZSAxNDI6IGdhbW1hIDg1CmxpbmUgMTQzOiBkZWx0YSA3OQpsaW5lIDE0NDog"
    + "YWxwaGEgNzUKbGluZSAxNDU6IGJldGEgNzMKbGluZSAxNDY6IGdhbW1hIDczCmxpbmUgMTQ3OiBkZWx0YSA3NQpsaW5lIDE0"
    + "ODogYWxwaGEgNzkKbGluZSAxNDk6IGJldGEgODUKp6wl0XcKAAA=",
  gzip1:
    "H4sIAAAAAAAEA13VS27dMBBE0blXoSWo+Kd384IYSQA7yMD7RxC8ukUjQwlSSzxsdr3/+v123a/X4/3Pz8d1v7z/u9br9e3t"
    + "83HpeVlerx+Pj4/H1Z7X9fX6/vb++bj287rxusbzRvf7pT+vBwWqH5hUaC6xKDH8je0Sy/+gOzWeNSVqFL+iQpE2/Ux1lVl8"
    + "o1GFG50qlQ8Nqgyema6yvRwtqtTqupsy04QlpnKZgmr3SyWu2ywlss1rKrHdbAa4jTLR3bwU3s7fxHc9f7jgO7ymGt9ivBrg"
    + "5ZdqgLu/VAEuXmQN8PLO1ggPr6BGuPJxhMUjEV6mqREevtMi3Px/DeHqv2kRFo9EmCoH2J4N4OW/awGeNHyAJ88EeFIGYW70"
    + "CPNSjzCFe4T5eEd4u26PsFfQA8wi+wE2RAcYqh5gOHuAIR8BZltGgL3sEWA2dwSYBhgRpkkGwrTRiDCtNiJMO44I07IDYe/t"
    + "DDBtPwPM0ZgB5vjMALv3ZoA5hDPCHNQZYQ7zRJjjPiPMSJgRZmysCDNaFsIMnxVhBtSKsDd3BZgxtwBmEK4AMyxXgN1XK76M"
    + "3IVvZnKAGds7wEz2HWCG/waYdNgB9nHa8fVY2eH1nmx0Pc92cHkgti6h+9h6Rt/Y8iO6g8vP6o4uK9IdX5atG2BodEcYPt3/"
    + "E+uOMdugG2S2Sifp2E59yTqv5WQdbSHhTOtIB9rnVQo1PSgFm0aV4KaZdSKPhpdCzqnQCT2OjpJ65JdO7HEEdXKPc6oTfBxm"
    + "FdB93lVizkhQiTlzQyXoDBcl/RhA+hJ/PlX6kn/uU50AZNwpCUiW6UQgY1MnA5mtOiHIAFZFnSGtmjYn0XRykGmvE4ROBCUI"
    + "CQ2dJCRY1NLppI9aOp2IUtKQGNOXOPToUIv6eS/qpzqtvvrLX6esJdF3CgAA",
  gzip6:
    "H4sIAAAAAAAAA2WVS47cMAxE9zmFj2Dqz76NgzSSAD1BFnN/BEHzFQ3N0oRUop6pqtfvP8/jfBzX6++v6zi/vf5/2+P4/vy8"
    + "Dnt/lsfx8/r4uI72/q6P48fz9Xkd/v5ubLfxLvTYX/r7eyBQY8FEoYXEQmLEGR4SK3qwUxpRMDRKbLGCSJtRqaEySxQaKhQ6"
    + "KpWDhlphzQwVj+vYUi8048jMQFjE1EKmQLXHpiKuHliKyLa4UxFb52cAtyEjus4m4e10I74rCvAdcacqviXgVQFesakKcGcS"
    + "AFziklWAV/zZKsIjblBFuHI4hI0lIrwCTRXhEZUmwi36axCu0U0TYWOJCKOSgINnA/CK7poATwZegCdrBHgiA2EKXYTZ1EUY"
    + "4S7CHN4hTHtdhHlsAswlewIOEB3AoOoCDM4uwCAfOcLxW4YA87AFmJ87BJgBGCLMkAwIM0ZDhBm1IcKM40iL4HB5RJiKADP2"
    + "U4B5GjM9InhOAY4bTAHmEU4R5qFOEeYxT41wXHKKMJYwRRjbWCKMtSwIYz5LhDGoJcIsEWBsbskjAt4SYMxyCTC9pEVwkDwC"
    + "TxZgbNsFGGd3Acb8HcCkgwswKuLLQcIbrTh0A6ULLgt8k7Az2VKxrRE7BZdm7az7jewU3yapvqGxM0dYibUjtlOMlVmnb7/K"
    + "MumUWresoyLMyi2FnXIr007Jdcs75ahgM6hm+zBbRl7XPt9fhWXoNWWybc/LMvZ4gpa559on6DxmU/ItCmKOJVj54ht2yz5t"
    + "9M2A7BZ/XPmWf/z2DEDszpSAWKJlBJoW9d1bLUNwqLSbtGUMVnXlu9tbBiFKCkJCwzIJCRbLKCR9LMNwalXfYsxucajSlzy0"
    + "WyBK3TNY/wGnrCXRdwoAAA==",
  gzip9:
    "H4sIAAAAAAACA2WVS47cMAxE9zmFj2Dqz76NgzSSAD1BFnN/BEHzFQ3N0oRUop6pqtfvP8/jfBzX6++v6zi/vf5/2+P4/vy8"
    + "Dnt/lsfx8/r4uI72/q6P48fz9Xkd/v5ubLfxLvTYX/r7eyBQY8FEoYXEQmLEGR4SK3qwUxpRMDRKbLGCSJtRqaEySxQaKhQ6"
    + "KpWDhlphzQwVj+vYUi8048jMQFjE1EKmQLXHpiKuHliKyLa4UxFb52cAtyEjus4m4e10I74rCvAdcacqviXgVQFesakKcGcS"
    + "AFziklWAV/zZKsIjblBFuHI4hI0lIrwCTRXhEZUmwi36axCu0U0TYWOJCKOSgINnA/CK7poATwZegCdrBHgiA2EKXYTZ1EUY"
    + "4S7CHN4hTHtdhHlsAswlewIOEB3AoOoCDM4uwCAfOcLxW4YA87AFmJ87BJgBGCLMkAwIM0ZDhBm1IcKM40iL4HB5RJiKADP2"
    + "U4B5GjM9InhOAY4bTAHmEU4R5qFOEeYxT41wXHKKMJYwRRjbWCKMtSwIYz5LhDGoJcIsEWBsbskjAt4SYMxyCTC9pEVwkDwC"
    + "TxZgbNsFGGd3Acb8HcCkgwswKuLLQcIbrTh0A6ULLgt8k7Az2VKxrRE7BZdm7az7jewU3yapvqGxM0dYibUjtlOMlVmnb7/K"
    + "MumUWresoyLMyi2FnXIr007Jdcs75ahgM6hm+zBbRl7XPt9fhWXoNWWybc/LMvZ4gpa559on6DxmU/ItCmKOJVj54ht2yz5t"
    + "9M2A7BZ/XPmWf/z2DEDszpSAWKJlBJoW9d1bLUNwqLSbtGUMVnXlu9tbBiFKCkJCwzIJCRbLKCR9LMNwalXfYsxucajSlzy0"
    + "WyBK3TNY/wGnrCXRdwoAAA==",
  fixed: "H4sIAAAAAAAAAyvOyC8qUShJrSjRUUjLrEhNUfAoTUvLTcxTSM5PSS0GAOUR94MfAAAA",
  zlib:
    "eJxllUuO3DAMRPc5hY9g6s++jYM0kgA9QRZzfwRB8xUNzdKEVKKeqarX7z/P43wc1+vvr+s4v73+f9vj+P78vA57f5bH8fP6"
    + "+LiO9v6uj+PH8/V5Hf7+bmy38S702F/6+3sgUGPBRKGFxEJixBkeEit6sFMaUTA0SmyxgkibUamhMksUGioUOiqVg4ZaYc0M"
    + "FY/r2FIvNOPIzEBYxNRCpkC1x6Yirh5Yisi2uFMRW+dnALchI7rOJuHtdCO+KwrwHXGnKr4l4FUBXrGpCnBnEgBc4pJVgFf8"
    + "2SrCI25QRbhyOISNJSK8Ak0V4RGVJsIt+msQrtFNE2FjiQijkoCDZwPwiu6aAE8GXoAnawR4IgNhCl2E2dRFGOEuwhzeIUx7"
    + "XYR5bALMJXsCDhAdwKDqAgzOLsAgHznC8VuGAPOwBZifOwSYARgizJAMCDNGQ4QZtSHCjONIi+BweUSYigAz9lOAeRozPSJ4"
    + "TgGOG0wB5hFOEeahThHmMU+NcFxyijCWMEUY21gijLUsCGM+S4QxqCXCLBFgbG7JIwLeEmDMcgkwvaRFcJA8Ak8WYGzbBRhn"
    + "dwHG/B3ApIMLMCriy0HCG604dAOlCy4LfJOwM9lSsa0ROwWXZu2s+43sFN8mqb6hsTNHWIm1I7ZTjJVZp2+/yjLplFq3rKMi"
    + "zMothZ1yK9NOyXXLO+WoYDOoZvswW0Ze1z7fX4Vl6DVlsm3PyzL2eIKWuefaJ+g8ZlPyLQpijiVY+eIbdss+bfTNgOwWf1z5"
    + "ln/89gxA7M6UgFiiZQSaFvXdWy1DcKi0m7RlDFZ15bvbWwYhSgpCQsMyCQkWyygkfSzDcGpV32LMbnGo0pc8tFsgSt0zWP8B"
    + "qqX2Xg==",
  raw:
    "ZZVLjtwwDET3OYWPYOrPvo2DNJIAPUEWc38EQfMVDc3ShFSinqmq1+8/z+N8HNfr76/rOL+9/n/b4/j+/LwOe3+Wx/Hz+vi4"
    + "jvb+ro/jx/P1eR3+/m5st/Eu9Nhf+vt7IFBjwUShhcRCYsQZHhIrerBTGlEwNEpssYJIm1GpoTJLFBoqFDoqlYOGWmHNDBWP"
    + "69hSLzTjyMxAWMTUQqZAtcemIq4eWIrItrhTEVvnZwC3ISO6zibh7XQjvisK8B1xpyq+JeBVAV6xqQpwZxIAXOKSVYBX/Nkq"
    + "wiNuUEW4cjiEjSUivAJNFeERlSbCLfprEK7RTRNhY4kIo5KAg2cD8IrumgBPBl6AJ2sEeCIDYQpdhNnURRjhLsIc3iFMe12E"
    + "eWwCzCV7Ag4QHcCg6gIMzi7AIB85wvFbhgDzsAWYnzsEmAEYIsyQDAgzRkOEGbUhwozjSIvgcHlEmIoAM/ZTgHkaMz0ieE4B"
    + "jhtMAeYRThHmoU4R5jFPjXBccoowljBFGNtYIoy1LAhjPkuEMaglwiwRYGxuySMC3hJgzHIJML2kRXCQPAJPFmBs2wUYZ3cB"
    + "xvwdwKSDCzAq4stBwhutOHQDpQsuC3yTsDPZUrGtETsFl2btrPuN7BTfJqm+obEzR1iJtSO2U4yVWadvv8oy6ZRat6yjIszK"
    + "LYWdcivTTsl1yzvlqGAzqGb7MFtGXtc+31+FZeg1ZbJtz8sy9niClrnn2ifoPGZT8i0KYo4lWPniG3bLPm30zYDsFn9c+ZZ/"
    + "/PYMQOzOlIBYomUEmhb13VstQ3CotJu0ZQxWdeW721sGIUoKQkLDMgkJFssoJH0sw3BqVd9izG5xqNKXPLRbIErdM1j/AQ==",
  dict: "eLtbeghAK8lIVUhBk8gsgcgBAJoECp4=",
  multi:
    "H4sIAAAAAAAAA0vLLCouUchNzU1KLdJRAADe/wpiDgAAAB+LCAAAAAAAAAMrTk3Oz0tRyE3NTUotAgAkdPqfDQAAAA==",
};
const fromNode = (k) => Buffer.from(NODE[k], "base64");

async function main() {
  // 1. round trips: every format at levels 0, 1, 6 and 9, then 200 KB of repetitive text and data
  // of several blocks
  const inputs = {
    empty: Buffer.alloc(0),
    short: Buffer.from("hello, zlib! hello, zlib!"),
    text: Buffer.from(lines(120)),
    random: lcg(2000, 7),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const got = [];
    for (const level of [0, 1, 6, 9]) {
      const z = zlib.deflateSync(input, { level });
      const raw = zlib.deflateRawSync(input, { level });
      const gz = zlib.gzipSync(input, { level });
      const backs = { inflate: zlib.inflateSync(z), unzipZlib: zlib.unzipSync(z), inflateRaw: zlib.inflateRawSync(raw),
        gunzip: zlib.gunzipSync(gz), unzipGzip: zlib.unzipSync(gz) };
      for (const [k, back] of Object.entries(backs)) got.push(back.equals(input) ? "ok" : "DIFFERENT at " + k + " level " + level);
    }
    const all = new Set(got);
    console.log("round trips of", name, "(" + input.length + " bytes):", all.size === 1 ? got.length + " " + got[0] : [...all].join(", "));
  }
  const big = Buffer.from(lines(11000, 250));
  console.log("200 KB:", sum(big));
  console.log("gzip level 1 and back:", sum(zlib.gunzipSync(zlib.gzipSync(big, { level: 1 }))));
  console.log("deflate and back:", sum(zlib.inflateSync(zlib.deflateSync(big))));
  // 24 KB of 16 letters: more symbols than one block holds
  const letters = lcg(24000, 5).map((b) => 97 + (b & 15));
  console.log("24 KB of letters:", sum(letters));
  for (const level of [1, 6]) console.log("raw level", level, "and back:", sum(zlib.inflateRawSync(zlib.deflateRawSync(letters, { level }))));
  const text = inputs.short.toString();
  console.log("string input:", zlib.inflateSync(zlib.deflateSync(text)).toString() === text);
  console.log("Uint8Array and ArrayBuffer input:", zlib.gunzipSync(new Uint8Array(zlib.gzipSync("typed"))).toString(),
    zlib.inflateRawSync(new Uint8Array(zlib.deflateRawSync("buffer")).buffer).toString());
  console.log("Buffer out:", Buffer.isBuffer(zlib.deflateSync("x")), Buffer.isBuffer(zlib.inflateSync(zlib.deflateSync("x"))));
  const dict = Buffer.from("dictionary said first");
  console.log("dictionary:", zlib.inflateSync(zlib.deflateSync("the dictionary said it first", { dictionary: dict }), { dictionary: dict }).toString(),
    "/", zlib.inflateRawSync(zlib.deflateRawSync("said first, said again", { dictionary: dict }), { dictionary: dict }).toString());

  // 2. what node itself compressed
  const small = lines(150);
  for (const k of ["gzip0", "gzip1", "gzip6", "gzip9", "fixed", "multi"]) {
    const out = zlib.gunzipSync(fromNode(k)).toString();
    console.log("node's", k + ":", out.length > 100 ? (out === small ? "the 150 lines" : "DIFFERENT") : JSON.stringify(out));
  }
  console.log("node's zlib:", zlib.inflateSync(fromNode("zlib")).toString() === small, "raw:", zlib.inflateRawSync(fromNode("raw")).toString() === small);
  console.log("node's dictionary:", zlib.inflateSync(fromNode("dict"), { dictionary: dict }).toString());
  console.log("unzip of node's gzip and zlib:", zlib.unzipSync(fromNode("gzip9")).toString() === small, zlib.unzipSync(fromNode("zlib")).toString() === small);
  // a gzip member with every header field (extra, name, comment, header crc), made here
  const head = Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 1, 2, 3, 4, 0, 3, 3, 0, 9, 9, 9, 0x6e, 0x61, 0x6d, 0x65, 0, 0x68, 0x69, 0]);
  const hcrc = zlib.crc32(head) & 0xffff;
  const le32 = (v) => Buffer.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
  const tail = Buffer.concat([le32(zlib.crc32("with fields")), le32(11)]);
  const fielded = Buffer.concat([head, Buffer.from([hcrc & 0xff, hcrc >> 8]), zlib.deflateRawSync("with fields"), tail]);
  console.log("gzip header fields:", zlib.gunzipSync(fielded).toString());
  const partial = zlib.inflateSync(fromNode("zlib").subarray(0, 300), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  console.log("truncated with Z_SYNC_FLUSH:", partial.length, "bytes,", small.startsWith(partial.toString()));

  // 3. crc32 and constants
  console.log("crc32:", zlib.crc32(""), zlib.crc32("hello"), zlib.crc32("world", zlib.crc32("hello ")), zlib.crc32(inputs.text), zlib.crc32(inputs.random));
  const c = zlib.constants;
  console.log("constants:", c.Z_NO_FLUSH, c.Z_SYNC_FLUSH, c.Z_FINISH, c.Z_BEST_SPEED, c.Z_BEST_COMPRESSION, c.Z_DEFAULT_COMPRESSION,
    c.Z_DATA_ERROR, c.Z_BUF_ERROR, zlib.codes.Z_DATA_ERROR, zlib.codes[-5]);

  // 4. corrupt and hostile data
  const good = zlib.deflateSync("checked data");
  const badCheck = Buffer.from(good);
  badCheck[badCheck.length - 1] ^= 1;
  const gz = zlib.gzipSync("checked data");
  const badLength = Buffer.from(gz);
  badLength[gz.length - 4] ^= 1;
  const errors = {
    "not zlib": () => zlib.inflateSync(Buffer.from("not zlib data")),
    "zlib to gunzip": () => zlib.gunzipSync(good),
    "empty": () => zlib.inflateSync(Buffer.alloc(0)),
    "truncated gzip": () => zlib.gunzipSync(fromNode("gzip6").subarray(0, 400)),
    "adler32 wrong": () => zlib.inflateSync(badCheck),
    "gzip length wrong": () => zlib.gunzipSync(badLength),
    "invalid block type": () => zlib.inflateRawSync(Buffer.from([0x07, 0x00])),
    "stored lengths": () => zlib.inflateRawSync(Buffer.from([0x01, 0x05, 0x00, 0x05, 0x00, 0x61])),
    "huge stored block": () => zlib.inflateRawSync(Buffer.from([0x01, 0xff, 0xff, 0x00, 0x00, 0x61, 0x62])),
    "endless blocks": () => zlib.inflateRawSync(Buffer.concat(Array.from({ length: 2000 }, () => Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff])))),
    "endless table": () => zlib.inflateRawSync(endlessTable()),
    "random bytes": () => zlib.inflateRawSync(lcg(64, 3)),
    "random zlib": () => zlib.inflateSync(Buffer.concat([Buffer.from([0x78, 0x9c]), lcg(4096, 11)])),
    "bomb": () => zlib.inflateSync(bomb(), { maxOutputLength: 1000 }),
    "trailing garbage": () => zlib.gunzipSync(Buffer.concat([gz, Buffer.from("junk")])),
    "trailing zeros": () => zlib.gunzipSync(Buffer.concat([gz, Buffer.alloc(4)])),
  };
  for (const [name, f] of Object.entries(errors)) console.log("error,", name + ":", fails(f));
  console.log("bad level:", fails(() => zlib.deflateSync("x", { level: 12 })));
  console.log("bad input:", fails(() => zlib.deflateSync(42)));

  // 5. callbacks (asynchronous) and promisify
  let sync = true;
  const order = await new Promise((resolve) => {
    zlib.gzip(inputs.text, (err, buf) => {
      const early = sync;
      zlib.gunzip(buf, (err2, back) => resolve([early, err, err2, back.equals(inputs.text)]));
    });
    sync = false;
  });
  console.log("callbacks: called at once?", order[0], "errors:", order[1], order[2], "same:", order[3]);
  for (const [c, d] of [["deflate", "inflate"], ["deflateRaw", "inflateRaw"], ["gzip", "unzip"]]) {
    const back = await promisify(zlib[d])(await promisify(zlib[c])("promised " + c, { level: 9 }));
    console.log("promisified", c + ":", back.toString());
  }
  const cbErr = await new Promise((resolve) => zlib.inflate(Buffer.from("bad"), (err, out) => resolve([err.code, err.message, out])));
  console.log("callback error:", cbErr.join(", "));

  // 6. streams
  const collected = [];
  const sink = () => new Writable({ write(chunk, enc, cb) { collected.push(chunk); cb(); } });
  await new Promise((resolve) => pipeline(Readable.from([big.subarray(0, 10000), big.subarray(10000, 30000)]),
    zlib.createGzip({ level: 6 }), zlib.createGunzip(), sink(), (err) => {
      console.log("pipeline gzip | gunzip:", err ? err.message : sum(Buffer.concat(collected)));
      resolve();
    }));
  for (const [c, d] of [["createDeflate", "createInflate"], ["createDeflateRaw", "createInflateRaw"], ["createGzip", "createUnzip"]]) {
    collected.length = 0;
    await new Promise((resolve) => pipeline(Readable.from([Buffer.from("through "), Buffer.from(c)]), zlib[c](), zlib[d](), sink(), (err) => {
      console.log("pipeline", c + ":", err ? err.message : Buffer.concat(collected).toString());
      resolve();
    }));
  }
  collected.length = 0;
  await new Promise((resolve) => pipeline(Readable.from([fromNode("gzip9")]), zlib.createGunzip(), sink(), (err) => {
    console.log("stream of node's gzip:", err ? err.message : Buffer.concat(collected).toString() === small);
    resolve();
  }));
  await new Promise((resolve) => pipeline(Readable.from([Buffer.from("corrupt")]), zlib.createInflate(), sink(), (err) => {
    console.log("stream error:", err ? err.code + ": " + err.message : "none");
    resolve();
  }));
  const gzipper = zlib.createGzip();
  console.log("stream classes:", gzipper instanceof zlib.Gzip, typeof zlib.Gunzip, typeof gzipper.pipe);
}

// bits, least significant first, as DEFLATE packs them
function packer() {
  const bits = [];
  return {
    put(v, n) { for (let i = 0; i < n; i++) bits.push((v >> i) & 1); },
    bytes() {
      const out = Buffer.alloc(Math.ceil(bits.length / 8));
      bits.forEach((b, i) => { out[i >> 3] |= b << (i & 7); });
      return out;
    },
  };
}

// a dynamic block whose code lengths repeat zeros past the number of codes
function endlessTable() {
  const w = packer();
  w.put(1, 1); // last block
  w.put(2, 2); // dynamic
  w.put(29, 5); // 286 lengths
  w.put(29, 5); // 30 distances
  w.put(15, 4); // 19 code length codes
  w.put(1, 3); // symbol 16: length 1
  w.put(0, 3); // 17
  w.put(1, 3); // 18: length 1
  for (let i = 3; i < 19; i++) w.put(0, 3);
  for (let i = 0; i < 40; i++) { w.put(1, 1); w.put(127, 7); } // 18 (code 1): 138 zeros, again and again
  return w.bytes();
}

// a zlib stream of 4000 fixed-code matches of 258 zeros: a megabyte from 1.6 KB
function bomb() {
  const w = packer();
  w.put(1, 1); // last block
  w.put(1, 2); // fixed codes
  w.put(0x0c, 8); // literal 0 (code 00110000, sent from its first bit)
  for (let i = 0; i < 4000; i++) {
    w.put(0xa3, 8); // length 258: symbol 285, code 11000101 reversed
    w.put(0, 5); // distance 1
  }
  w.put(0, 7); // end of block
  const body = w.bytes();
  return Buffer.concat([Buffer.from([0x78, 0x9c]), body, Buffer.from([0, 0, 0, 0])]);
}

main();
