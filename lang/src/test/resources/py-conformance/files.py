# Files in the sandbox: os, os.path, pathlib, tempfile, shutil, glob, filecmp, stat, io, fileinput
import errno
import filecmp
import fileinput
import glob
import io
import os
import os.path
import pathlib
import shutil
import stat
import tempfile

print(os.path.join("a", "b", "c.txt"), os.path.splitext("x/y.tar.gz"), os.path.basename("/p/q.py"), os.path.normpath("a/./b/../c"))
print(pathlib.PurePosixPath("/srv/data/file.csv").parts, pathlib.PurePosixPath("a/b.txt").with_suffix(".md"), pathlib.PurePosixPath("/x") / "y")
with tempfile.TemporaryDirectory() as d:
    root = pathlib.Path(d)
    (root / "sub").mkdir()
    (root / "sub" / "a.txt").write_text("alpha\nbeta\n")
    (root / "b.log").write_bytes(b"\x00\x01")
    print(sorted(p.relative_to(root).as_posix() for p in root.rglob("*")))
    print((root / "sub" / "a.txt").read_text().splitlines(), (root / "b.log").stat().st_size)
    print(sorted(os.path.relpath(p, d) for p in glob.glob(os.path.join(d, "**", "*.txt"), recursive=True)))
    shutil.copy(root / "sub" / "a.txt", root / "copy.txt")
    print(filecmp.cmp(root / "sub" / "a.txt", root / "copy.txt", shallow=False))
    shutil.copytree(root / "sub", root / "sub2")
    shutil.rmtree(root / "sub")
    print(sorted(os.listdir(d)), stat.S_ISDIR(os.stat(root / "sub2").st_mode), stat.S_ISREG(os.stat(root / "copy.txt").st_mode))
    with fileinput.input(files=[str(root / "copy.txt")]) as f:
        print([line.strip() for line in f])
    os.rename(root / "copy.txt", root / "moved.txt")
    with open(root / "moved.txt", "a") as f:
        f.write("gamma\n")
    with open(root / "moved.txt") as f:
        print(f.read().split())
    with tempfile.NamedTemporaryFile("w+", dir=d, suffix=".tmp") as t:
        t.write("temp")
        t.seek(0)
        print(t.read(), t.name.endswith(".tmp"))
    try:
        open(root / "nope.txt")
    except FileNotFoundError as e:
        print("FileNotFoundError", e.errno == errno.ENOENT)
print(os.path.isdir(tempfile.gettempdir()), io.BytesIO(b"abc").read(2), io.StringIO("x\ny").readlines())
