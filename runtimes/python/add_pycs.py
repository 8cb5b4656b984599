"""Adds the bytecode of every module to the standard library's zip, reproducibly.

usage: add_pycs.py ZIP ARCHIVE_PATH
  ZIP           python313.zip as mkzip.py wrote it (sources only); rewritten in place
  ARCHIVE_PATH  where the zip lies in the sandbox (/usr/local/lib/python313.zip): code objects
                name their file ARCHIVE_PATH/NAME.py, as zipimport reports them in tracebacks

Run it with the native CPython of the same version as the WASI build (its bytecode is the same on
every platform). Each NAME.pyc is an unchecked hash-based .pyc (PEP 552) beside NAME.py: zipimport
then loads the bytecode without reading or hashing the source, which stays for tracebacks and
inspect. Entries stay sorted, dated 1980-01-01, deflated at level 9.
"""
import importlib._bootstrap_external as be
import _imp
import sys
import zipfile

STAMP = (1980, 1, 1, 0, 0, 0)


def main(path, archive):
    with zipfile.ZipFile(path) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    added = 0
    for name in sorted(entries):
        if not name.endswith(".py") or name[:-3] + ".pyc" in entries:
            continue
        source = entries[name]
        try:
            code = compile(source, archive + "/" + name, "exec", dont_inherit=True, optimize=0)
        except SyntaxError:
            continue  # a file no import could load either (templates, deliberately bad files)
        pyc = be._code_to_hash_pyc(code, _imp.source_hash(be._RAW_MAGIC_NUMBER, source), False)
        entries[name[:-3] + ".pyc"] = bytes(pyc)
        added += 1
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, entries[name], compresslevel=9)
    import os

    os.replace(tmp, path)
    print(f"add_pycs: {added} modules compiled with Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
