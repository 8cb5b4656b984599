#!/usr/bin/env bash
# Builds airlock-js.wasm: QuickJS 2025-04-26 (Debian's orig tarball, pinned in ../sources.txt) with
# the patches in patches/, Airlock's driver (airlock_js.c) and prelude (prelude.js, compiled in),
# as a WASI preview 1 reactor. Deterministic: fixed flags, SOURCE_DATE_EPOCH, no build paths in the
# output. Copies the module to lang's resources and writes CHECKSUMS.
# Usage: runtimes/quickjs/build.sh
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../toolchain.sh"
tarball=quickjs_2025.04.26.orig.tar.xz
"$here/../fetch.sh" "$tarball"
cache="$(cd "$here/.." && pwd)/.cache"
src="$cache/quickjs-build/quickjs-2025.04.26"
rm -rf "$cache/quickjs-build"
mkdir -p "$cache/quickjs-build/include"
tar -xJf "$cache/$tarball" -C "$cache/quickjs-build"
for p in "$here"/patches/*.patch; do
    patch -d "$src" -p1 --quiet < "$p"
done
# dtoa.c includes <setjmp.h> without using it; wasi-libc's refuses to compile without exceptions
: > "$cache/quickjs-build/include/setjmp.h"
# the prelude as a C array
(cd "$here" && xxd -i -n airlock_prelude prelude.js) > "$cache/quickjs-build/include/prelude.h"

# the C stack, and how much of it JavaScript may use (JS_SetMaxStackSize; see airlock_js.c)
STACK_BYTES=$((1024 * 1024))
JS_STACK_BYTES=$((384 * 1024))
cflags=(-O2 -g0 -include malloc.h -D_GNU_SOURCE -DCONFIG_VERSION='"2025-04-26"'
        -DSTACK_BYTES=$STACK_BYTES -DJS_STACK_BYTES=$JS_STACK_BYTES -DAIRLOCK_REPL -DAIRLOCK_FRAME_PAD=256 -mexec-model=reactor
        -mno-simd128 -mno-bulk-memory -mno-multivalue -mno-reference-types
        -ffile-prefix-map="$cache/quickjs-build"=. -ffile-prefix-map="$here"=.
        -I "$cache/quickjs-build/include" -I "$src" -Wno-everything)
out="$cache/quickjs-build/airlock-js.wasm"
$CC "${cflags[@]}" -o "$out" \
    "$src/quickjs.c" "$src/libregexp.c" "$src/libunicode.c" "$src/cutils.c" "$src/dtoa.c" \
    "$here/airlock_js.c" \
    -Wl,--stack-first -Wl,-z,stack-size=$STACK_BYTES -Wl,--strip-all -lm

dest="$(cd "$here/../.." && pwd)/lang/src/main/resources/dev/airlock/lang/js/airlock-js.wasm"
mkdir -p "$(dirname "$dest")"
cp "$out" "$dest"
# the digest lang loads the module by (a process that finds it compiled in its cache never reads it)
echo "$(sha256sum "$dest" | cut -d' ' -f1) $(stat -c %s "$dest")" > "$dest.sha256"
{
    echo "# SHA-256 of the source tarball, the patches, the driver and the built module"
    (cd "$cache" && sha256sum "$tarball")
    (cd "$here" && sha256sum patches/*.patch airlock_js.c prelude.js)
    (cd "$(dirname "$dest")" && sha256sum airlock-js.wasm)
} > "$here/CHECKSUMS"
ls -l "$dest"
