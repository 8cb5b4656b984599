#!/usr/bin/env bash
# Builds CPython 3.13.5 for WebAssembly/WASI preview 1 from the pinned Debian sources (../sources.txt):
#   python.wasm           CPython's own command-line program (for testing under Node, Wasmtime, ...)
#   airlock-python.wasm   the embedding reactor Airlock runs (airlock_python.c: see the ABI there)
#   python313.zip         the standard library (.py and .pyc) + _sysconfigdata + a tzdata package
# and copies the last two into lang/src/main/resources/dev/airlock/lang/python/, writing CHECKSUMS.
#
# Steps (each keeps its tree in runtimes/.cache and is skipped when its stamp file exists;
# CLEAN=1 starts over):
#   1. native "build python" (gcc) of the same 3.13.5, needed by the cross build (--with-build-python)
#   2. static wasm32-wasi libraries: zlib, libbz2, liblzma, SQLite (amalgamation made here with tclsh)
#   3. the cross build of CPython, following Tools/wasm/wasi.py and config.site-wasm32-wasi
#   4. the two modules, linked from the same objects
#   5. the zip (mkzip.py: sorted entries, fixed timestamps, deflate)
#
# Needs: clang-19, lld-19, llvm-19, libclang-rt-19-dev-wasm32 (toolchain.sh), gcc, make, tclsh, zic.
# Usage: runtimes/python/build.sh        Env: JOBS (default: nproc), CLEAN=1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../toolchain.sh
source "$here/../toolchain.sh"      # set -euo pipefail; CC, AR, RANLIB, NM, SYSROOT, TARGET
export SOURCE_DATE_EPOCH=0 TZ=UTC LC_ALL=C
umask 022
repo="$(cd "$here/../.." && pwd)"
cache="$rt_here/.cache"
work="$cache/python"                # everything this script builds lives under here
jobs="${JOBS:-$(nproc)}"
pyver=3.13.5
t_start=$(date +%s)
[[ "${CLEAN:-0}" == 1 ]] && rm -rf "$work"
mkdir -p "$work/src" "$work/stamps"
say() { echo "== build.sh: $*" >&2; }
done_() { touch "$work/stamps/$1"; }
have() { [[ -f "$work/stamps/$1" ]]; }

# Flags for every wasm object. Target features: clang-19's default "generic" CPU (sign-ext,
# mutable-globals, multivalue, reference-types) plus bulk-memory and non-trapping float-to-int; no
# SIMD, threads/atomics, exception handling or tail calls (Chicory 1.7.5 lacks them). The prefix
# map keeps the build folder's path out of the objects.
WASM_CFLAGS="-O2 -g0 -mbulk-memory -mnontrapping-fptoint -ffile-prefix-map=$cache=/build"
# The C stack: 8 MiB, placed first so an overflow traps instead of overwriting data.
# --compress-relocations writes every function, type and table index as a minimal LEB (wasm-ld pads
# them to 5 bytes otherwise): smaller code, and call_indirect's table byte is the MVP's plain 0x00.
# No --initial-memory: wasm-ld then starts memory at the smallest size holding stack and data; it
# grows from there (no maximum).
WASM_LDFLAGS="-Wl,-z,stack-size=8388608 -Wl,--stack-first -Wl,--strip-debug -Wl,--compress-relocations"
prefix="$work/wasi-prefix"          # the static wasm32-wasi libraries and headers
# The native build python is built from an unpatched copy of the sources, outside $work (CLEAN=1
# keeps it: it takes longest and no wasm flag touches it).
natsrc="$cache/src/Python-$pyver"
bpy_dir="$cache/build-python"
bpy="$bpy_dir/python"

"$rt_here/fetch.sh" python3.13_3.13.5.orig.tar.xz zlib_1.3.dfsg+really1.3.1.orig.tar.gz \
    bzip2_1.0.8.orig.tar.gz xz-utils_5.8.1.orig.tar.xz sqlite3_3.46.1.orig.tar.xz
unpack() {  # unpack TARBALL DIR: into $work/src/DIR (fresh)
    rm -rf "$work/src/$2"; mkdir -p "$work/src/$2"
    tar -xf "$cache/$1" -C "$work/src/$2" --strip-components=1
}

# --- 1. CPython sources (patched) and the native build python -------------------------------------
pysrc="$work/src/Python-$pyver"
if ! have pysrc; then
    unpack python3.13_3.13.5.orig.tar.xz "Python-$pyver"
    for p in "$here"/patches/*.patch; do
        [[ -e "$p" ]] || continue
        say "patch $(basename "$p")"; patch -d "$pysrc" -p1 --quiet < "$p"
    done
    touch "$pysrc/Modules/Setup.local"     # as Tools/wasm/wasi.py does
    done_ pysrc
fi
if [[ ! -f "$bpy_dir/.done" ]]; then
    say "native build python (gcc)"
    rm -rf "$bpy_dir" "$natsrc"; mkdir -p "$bpy_dir" "$cache/src"
    tar -xf "$cache/python3.13_3.13.5.orig.tar.xz" -C "$cache/src"
    (cd "$bpy_dir" && env -u CC -u AR -u RANLIB -u NM "$natsrc/configure" -q --prefix=/usr/local CC=gcc \
        --without-ensurepip > configure.log 2>&1 && make -j"$jobs" -s all > make.log 2>&1)
    "$bpy" -c 'import sys, zlib; assert sys.version.startswith("'"$pyver"'")'
    touch "$bpy_dir/.done"
fi

# --- 2. static libraries for wasm32-wasi -----------------------------------------------------------
mkdir -p "$prefix/include" "$prefix/lib"
if ! have zlib; then
    say "zlib"; unpack zlib_1.3.dfsg+really1.3.1.orig.tar.gz zlib
    (cd "$work/src/zlib" && CFLAGS="$WASM_CFLAGS" CHOST=wasm32 ./configure --static --prefix="$prefix" > configure.log \
        && make -s -j"$jobs" libz.a && cp zlib.h zconf.h "$prefix/include/" && cp libz.a "$prefix/lib/")
    done_ zlib
fi
if ! have bzip2; then
    say "bzip2"; unpack bzip2_1.0.8.orig.tar.gz bzip2
    (cd "$work/src/bzip2" && rm -f ./*.o libbz2.a \
        && for f in blocksort huffman crctable randtable compress decompress bzlib; do
               $CC $WASM_CFLAGS -D_FILE_OFFSET_BITS=64 -c $f.c -o $f.o; done \
        && $AR rcD libbz2.a blocksort.o huffman.o crctable.o randtable.o compress.o decompress.o bzlib.o \
        && $RANLIB libbz2.a && cp bzlib.h "$prefix/include/" && cp libbz2.a "$prefix/lib/")
    done_ bzip2
fi
if ! have xz; then
    say "liblzma (xz-utils, no threads)"; unpack xz-utils_5.8.1.orig.tar.xz xz
    (cd "$work/src/xz" && CFLAGS="$WASM_CFLAGS" ./configure -q --host=wasm32-unknown-wasi --prefix="$prefix" \
        --enable-static --disable-shared --disable-threads --disable-xz --disable-xzdec --disable-lzmadec \
        --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc --disable-nls \
        --disable-symbol-versions > configure.log \
        && make -s -j"$jobs" -C src/liblzma > make.log && make -s -C src/liblzma install > /dev/null)
    rm -f "$prefix"/lib/liblzma.la
    done_ xz
fi
# SQLite: Debian's orig tarball is the full source tree; its `make sqlite3.c` builds the generator
# tools with the native compiler (gcc) and writes the amalgamation with tclsh. Then sqlite3.c is
# compiled for wasm32-wasi: no threads, no mmap, no WAL (it needs shared memory), no extension
# loading, temporary tables in memory, files locked with the dot-file VFS (SQLITE_WASI's default).
SQLITE_DEFS="-DSQLITE_WASI -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL"
SQLITE_DEFS+=" -DSQLITE_MAX_MMAP_SIZE=0 -DSQLITE_TEMP_STORE=3 -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_DQS=0"
SQLITE_DEFS+=" -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE"
SQLITE_DEFS+=" -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_SIGNAL"
if ! have sqlite; then
    say "SQLite amalgamation (native tools + tclsh), then wasm32-wasi"; unpack sqlite3_3.46.1.orig.tar.xz sqlite
    (cd "$work/src/sqlite" && mkdir -p bld && cd bld \
        && env -u CC -u AR -u RANLIB -u NM ../configure -q CC=gcc --disable-tcl > configure.log \
        && make -s sqlite3.c > make.log \
        && $CC $WASM_CFLAGS $SQLITE_DEFS -c sqlite3.c -o sqlite3.o \
        && rm -f libsqlite3.a && $AR rcD libsqlite3.a sqlite3.o && $RANLIB libsqlite3.a \
        && cp sqlite3.h sqlite3ext.h "$prefix/include/" && cp libsqlite3.a "$prefix/lib/")
    done_ sqlite
fi

# --- 3. the cross build of CPython ---------------------------------------------------------------
xdir="$work/cross"
if ! have cross; then
    say "CPython cross build (configure + make)"
    rm -rf "$xdir"; mkdir -p "$xdir"
    wasi_libs="-lwasi-emulated-signal -lwasi-emulated-getpid -lwasi-emulated-process-clocks"
    # --with-pymalloc: CPython's configure leaves its small-object allocator off on WASI (giving no
    # reason); with it, allocation-heavy code ran 1.6-2.6x faster here (Wasmtime), all checks alike.
    # CPython's configure adds -Wl,--initial-memory=20971520 (20 MiB) to CONFIGURE_LDFLAGS_NODIST;
    # make's command line empties it so that wasm-ld picks the smallest initial memory (step 4).
    (cd "$xdir" && CONFIG_SITE="$pysrc/Tools/wasm/config.site-wasm32-wasi" \
        PKG_CONFIG=false \
        OPT="-DNDEBUG" CFLAGS="$WASM_CFLAGS" LDFLAGS="$WASM_LDFLAGS" \
        ZLIB_CFLAGS="-I$prefix/include" ZLIB_LIBS="-L$prefix/lib -lz" \
        BZIP2_CFLAGS="-I$prefix/include" BZIP2_LIBS="-L$prefix/lib -lbz2" \
        LIBLZMA_CFLAGS="-I$prefix/include" LIBLZMA_LIBS="-L$prefix/lib -llzma" \
        LIBSQLITE3_CFLAGS="-I$prefix/include" LIBSQLITE3_LIBS="-L$prefix/lib -lsqlite3 $wasi_libs" \
        "$pysrc/configure" --host=wasm32-unknown-wasi --build="$(uname -m)-linux-gnu" \
            --with-build-python="$bpy" --disable-ipv6 --disable-shared --without-ensurepip \
            --without-system-libmpdec --without-system-expat --with-builtin-hashlib-hashes=md5,sha1,sha2,sha3,blake2 \
            --without-pydebug --disable-test-modules --with-pymalloc > configure.log 2>&1 \
        && make -j"$jobs" all CONFIGURE_LDFLAGS_NODIST= > make.log 2>&1) \
        || { tail -40 "$xdir"/make.log "$xdir"/configure.log 2>/dev/null >&2; exit 1; }
    done_ cross
fi
mkvar() { make -s -C "$xdir" -f Makefile -f <(printf 'print-%%:\n\t@echo $($*)\n') "print-$1"; }

# --- 4. the two modules --------------------------------------------------------------------------
out="$work/out"; mkdir -p "$out"
say "link python.wasm and airlock-python.wasm"
libs="$(mkvar MODLIBS) $(mkvar LIBS) $(mkvar SYSLIBS)"
rm -f "$xdir/python.wasm"        # relinked each time, so a change of WASM_LDFLAGS takes effect
make -s -C "$xdir" python.wasm CONFIGURE_LDFLAGS="$WASM_LDFLAGS" CONFIGURE_LDFLAGS_NODIST= > /dev/null
cp "$xdir/python.wasm" "$out/python.wasm"
# shellcheck disable=SC2086
$CC $WASM_CFLAGS -I"$pysrc/Include" -I"$xdir" -c "$here/airlock_python.c" -o "$xdir/airlock_python.o"
# shellcheck disable=SC2086
(cd "$xdir" && $CC -mexec-model=reactor $WASM_CFLAGS $WASM_LDFLAGS -o "$out/airlock-python.wasm" \
    airlock_python.o libpython3.13.a $libs)      # MODLIBS names libraries relative to $xdir

# --- 5. the standard library zip (with tzdata) ---------------------------------------------------
say "python313.zip"
tzsrc="$work/src/tzdata"; tzout="$work/tzdata"
if ! have tzdata; then
    rm -rf "$tzout"; mkdir -p "$tzout"
    # zic in its default ("slim") mode; Link lines become hard links, i.e. plain files in the zip.
    # The data: tzdata.zi (every zone in compact source form; its first line names the IANA
    # version) from Debian 13's tzdata package, since the archive does not serve its source tarball.
    "$rt_here/fetch.sh" tzdata_2026f-0+deb13u1_all.deb
    rm -rf "$tzsrc"; mkdir -p "$tzsrc"
    dpkg-deb -x "$cache/tzdata_2026f-0+deb13u1_all.deb" "$tzsrc"
    zic -d "$tzout" "$tzsrc/usr/share/zoneinfo/tzdata.zi"
    cp "$tzsrc/usr/share/zoneinfo/tzdata.zi" "$tzout/tzdata.zi"
    sed -n '1s/^# version //p' "$tzsrc/usr/share/zoneinfo/tzdata.zi" | tr -d '\n' > "$tzout/.version"
    done_ tzdata
fi
libdir="$(cat "$xdir/pybuilddir.txt")"
"$bpy" "$here/mkzip.py" "$out/python313.zip" "$pysrc/Lib" "$xdir/$libdir" "$tzout"
# bytecode beside each source, compiled by the native interpreter of the same version
"$bpy" "$here/add_pycs.py" "$out/python313.zip" /usr/local/lib/python313.zip

# --- 6. results ----------------------------------------------------------------------------------
dest="$repo/lang/src/main/resources/dev/airlock/lang/python"
mkdir -p "$dest"
install -m 0644 "$out/airlock-python.wasm" "$out/python313.zip" "$dest/"
# the digest lang loads the module by (a process that finds it compiled in its cache never reads it)
echo "$(sha256sum "$dest/airlock-python.wasm" | cut -d' ' -f1) $(stat -c %s "$dest/airlock-python.wasm")" \
  > "$dest/airlock-python.wasm.sha256"
(cd "$out" && sha256sum airlock-python.wasm python313.zip python.wasm) > "$here/CHECKSUMS"
ls -l "$out" >&2
say "done in $(( $(date +%s) - t_start )) s"
