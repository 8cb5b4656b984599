/*
 * Airlock's JavaScript driver: QuickJS as a WASI reactor that evaluates snippets in one
 * persistent global scope.
 *
 * ABI (every integer an i32; strings UTF-8, never NUL-terminated unless said):
 *   export alloc(size) -> ptr          malloc; 0 when out of memory
 *   export free(ptr)                   free
 *   export init() -> 0 | 1             creates the runtime and context, evaluates the prelude
 *                                      (prelude.js, compiled in); call once, before any eval
 *   export eval(ptr, len) -> status    evaluates the len bytes at ptr (ptr[len] must be 0) as a
 *                                      global script, so that top-level var, let, const, class
 *                                      and function declarations persist for later snippets; then
 *                                      runs promise jobs and the timer queue until neither has
 *                                      anything left. status: 0, 1 after an uncaught exception or
 *                                      unhandled rejection (printed to stderr like Node's
 *                                      "Uncaught TypeError: msg" with the user's frames), or the
 *                                      code given to process.exit(code)
 *   import airlock_js.call(ptr, len) -> answer
 *                                      a tool request, the JSON [name, args]; answer is a block
 *                                      the host allocated with alloc: [u32 length][UTF-8 JSON
 *                                      {"ok":true,"result":...} or {"ok":false,"error":"..."}],
 *                                      freed by the driver; 0 when the host has no answer
 *
 * Everything else comes through WASI: stdout and stderr (fd_write), the clocks (Date,
 * performance.now, timers, which wait with poll_oneoff through nanosleep) and random_get
 * (crypto.getRandomValues, the seed of Math.random), so the sandbox's policy governs them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "quickjs.h"
#include "prelude.h" /* airlock_prelude, airlock_prelude_len: generated from prelude.js */

#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((import_module("airlock_js"), import_name("call"))) extern uint32_t host_call(
    const char *ptr, uint32_t len);

void JS_ReseedRandom(JSContext *ctx); /* patches/01-airlock.patch */

/* The C stack is linked at STACK_BYTES (build.sh); QuickJS throws a RangeError once it has used
   JS_STACK_BYTES of it, well before, and well before the engine's own (JVM) stack of 16 MiB (the
   default policy) runs out: about 1,300 levels of JavaScript calls. */
#if JS_STACK_BYTES >= STACK_BYTES
#error "JS_STACK_BYTES must be below STACK_BYTES"
#endif
#define MAX_JS_STACK JS_STACK_BYTES

static JSRuntime *rt;
static JSContext *ctx;
static JSValue hooks; /* what the prelude returned: {begin, report, nextTimer, fireTimer, clear} */
static int exiting;    /* process.exit was called */
static int exit_code;

/* promises rejected with no handler yet (checked once the job queue is empty) */
#define MAX_REJECTED 64
static JSValue rejected[MAX_REJECTED];
static int n_rejected;

EXPORT("alloc") void *airlock_alloc(uint32_t size) { return malloc(size ? size : 1); }

EXPORT("free") void airlock_free(void *p) { free(p); }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static JSValue n_write(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int fd;
    size_t len;
    if (exiting) /* finally blocks still run while process.exit unwinds: they print nothing */
        return JS_UNDEFINED;
    if (JS_ToInt32(c, &fd, argv[0]))
        return JS_EXCEPTION;
    const char *s = JS_ToCStringLen(c, &len, argv[1]);
    if (!s)
        return JS_EXCEPTION;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd == 2 ? 2 : 1, s + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    JS_FreeCString(c, s);
    return JS_UNDEFINED;
}

static JSValue n_now(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    return JS_NewFloat64(c, now_ms());
}

/* fills (buffer, offset, length) from WASI random_get */
static JSValue n_random(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t size;
    uint32_t off0, len;
    uint8_t *p = JS_GetArrayBuffer(c, &size, argv[0]);
    if (!p || JS_ToUint32(c, &off0, argv[1]) || JS_ToUint32(c, &len, argv[2]))
        return JS_EXCEPTION;
    if ((size_t)off0 + len > size)
        return JS_ThrowRangeError(c, "out of bounds");
    p += off0;
    for (size_t off = 0; off < len; off += 256) {
        size_t n = len - off < 256 ? len - off : 256;
        if (getentropy(p + off, n) != 0)
            return JS_ThrowInternalError(c, "no random source");
    }
    return JS_UNDEFINED;
}

static JSValue n_call(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t len;
    if (exiting)
        return JS_NewString(c, "{\"ok\":false,\"error\":\"the program is exiting\"}");
    const char *s = JS_ToCStringLen(c, &len, argv[0]);
    if (!s)
        return JS_EXCEPTION;
    uint32_t answer = host_call(s, (uint32_t)len);
    JS_FreeCString(c, s);
    if (answer == 0)
        return JS_NewString(c, "{\"ok\":false,\"error\":\"no answer from the host\"}");
    uint32_t n;
    memcpy(&n, (void *)(uintptr_t)answer, 4);
    JSValue r = JS_NewStringLen(c, (const char *)(uintptr_t)answer + 4, n);
    free((void *)(uintptr_t)answer);
    return r;
}

static JSValue n_promise(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int state = JS_PromiseState(c, argv[0]);
    if (state < 0)
        return JS_NULL;
    JSValue a = JS_NewArray(c);
    JS_SetPropertyUint32(c, a, 0, JS_NewInt32(c, state));
    JS_SetPropertyUint32(c, a, 1,
                         state == JS_PROMISE_PENDING ? JS_UNDEFINED : JS_PromiseResult(c, argv[0]));
    return a;
}

/* process.exit: an uncatchable exception that unwinds the whole snippet */
static JSValue n_exit(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    int code = 0;
    if (argc > 0 && !JS_IsUndefined(argv[0]) && JS_ToInt32(c, &code, argv[0]))
        return JS_EXCEPTION;
    exiting = 1;
    exit_code = code & 0xff;
    JSValue e = JS_NewObject(c);
    JS_SetUncatchableError(c, e, 1);
    return JS_Throw(c, e);
}

/* airlock.readStdin(): what is left of stdin (fd 0), read to its end, as a UTF-8 string */
static JSValue n_read(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return JS_ThrowOutOfMemory(c);
    for (;;) {
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return JS_ThrowOutOfMemory(c);
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t r = read(0, buf + len, cap - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    JSValue s = JS_NewStringLen(c, buf, len);
    free(buf);
    return s;
}

/* ------------------------------------------------ fetch's byte codecs (the interpreter is slow) */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* native.b64(buffer, offset, length): those bytes of an ArrayBuffer in standard base64 */
static JSValue n_b64(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t size;
    uint32_t off, len;
    const uint8_t *p = JS_GetArrayBuffer(c, &size, argv[0]);
    if (!p || JS_ToUint32(c, &off, argv[1]) || JS_ToUint32(c, &len, argv[2]))
        return JS_EXCEPTION;
    if ((size_t)off + len > size)
        return JS_ThrowRangeError(c, "out of bounds");
    p += off;
    size_t n = ((size_t)len + 2) / 3 * 4;
    char *out = malloc(n + 1);
    if (!out)
        return JS_ThrowOutOfMemory(c);
    size_t i = 0, o = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        out[o++] = B64[(v >> 18) & 63];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = B64[(v >> 6) & 63];
        out[o++] = B64[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)p[i + 1] << 8;
        out[o++] = B64[(v >> 18) & 63];
        out[o++] = B64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? B64[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    JSValue r = JS_NewStringLen(c, out, o);
    free(out);
    return r;
}

static int b64_value(int ch) {
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/* native.unb64(string): standard base64 (padding optional) as an ArrayBuffer; null if malformed */
static JSValue n_unb64(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t len;
    const char *s = JS_ToCStringLen(c, &len, argv[0]);
    if (!s)
        return JS_EXCEPTION;
    while (len > 0 && s[len - 1] == '=')
        len--;
    uint8_t *out = malloc(len / 4 * 3 + 3);
    if (!out) {
        JS_FreeCString(c, s);
        return JS_ThrowOutOfMemory(c);
    }
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0, bad = len % 4 == 1;
    for (size_t i = 0; i < len && !bad; i++) {
        int v = b64_value((unsigned char)s[i]);
        if (v < 0) {
            bad = 1;
            break;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    JS_FreeCString(c, s);
    JSValue r = bad ? JS_NULL : JS_NewArrayBufferCopy(c, out, o);
    free(out);
    return r;
}

/* native.utf8(string): the string in UTF-8 as TextEncoder encodes it (a lone surrogate, which
   JS_ToCStringLen keeps as its 3-byte form ED A0..BF xx, becomes U+FFFD), as an ArrayBuffer */
static JSValue n_utf8(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t len;
    const char *s = JS_ToCStringLen(c, &len, argv[0]);
    if (!s)
        return JS_EXCEPTION;
    uint8_t *out = malloc(len ? len : 1);
    if (!out) {
        JS_FreeCString(c, s);
        return JS_ThrowOutOfMemory(c);
    }
    memcpy(out, s, len);
    JS_FreeCString(c, s);
    for (size_t i = 0; i + 2 < len; i++) {
        /* 0xED is never a continuation byte: here it starts a sequence */
        if (out[i] == 0xED && out[i + 1] >= 0xA0 && out[i + 1] <= 0xBF) {
            out[i] = 0xEF;
            out[i + 1] = 0xBF;
            out[i + 2] = 0xBD;
            i += 2;
        }
    }
    JSValue r = JS_NewArrayBufferCopy(c, out, len);
    free(out);
    return r;
}

/* Whether p[0..len) is well-formed UTF-8 (no overlong forms, surrogates or code points past
   U+10FFFF) */
static int utf8_valid(const uint8_t *p, size_t len) {
    size_t i = 0;
    while (i < len) {
        uint8_t b = p[i];
        size_t n;
        uint32_t cp;
        if (b < 0x80) {
            i++;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            n = 1;
            cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 2;
            cp = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 3;
            cp = b & 0x07;
        } else {
            return 0;
        }
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* native.utf8decode(buffer, offset, length): those bytes as a string when they are well-formed
   UTF-8 without a byte order mark, else null (TextDecoder then decides, replacing what is bad) */
static JSValue n_utf8decode(JSContext *c, JSValueConst this_val, int argc, JSValueConst *argv) {
    size_t size;
    uint32_t off, len;
    const uint8_t *p = JS_GetArrayBuffer(c, &size, argv[0]);
    if (!p || JS_ToUint32(c, &off, argv[1]) || JS_ToUint32(c, &len, argv[2]))
        return JS_EXCEPTION;
    if ((size_t)off + len > size)
        return JS_ThrowRangeError(c, "out of bounds");
    p += off;
    if ((len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) || !utf8_valid(p, len))
        return JS_NULL;
    return JS_NewStringLen(c, (const char *)p, len);
}

static const JSCFunctionListEntry natives[] = {
    JS_CFUNC_DEF("write", 2, n_write),     JS_CFUNC_DEF("now", 0, n_now),
    JS_CFUNC_DEF("random", 3, n_random),   JS_CFUNC_DEF("call", 1, n_call),
    JS_CFUNC_DEF("promise", 1, n_promise), JS_CFUNC_DEF("exit", 1, n_exit),
    JS_CFUNC_DEF("read", 0, n_read),       JS_CFUNC_DEF("b64", 3, n_b64),
    JS_CFUNC_DEF("unb64", 1, n_unb64),     JS_CFUNC_DEF("utf8", 1, n_utf8),
    JS_CFUNC_DEF("utf8decode", 3, n_utf8decode),
};

static void track_rejection(JSContext *c, JSValueConst promise, JSValueConst reason,
                            JS_BOOL is_handled, void *opaque) {
    if (!is_handled) {
        if (n_rejected < MAX_REJECTED)
            rejected[n_rejected++] = JS_DupValue(c, promise);
        return;
    }
    for (int i = 0; i < n_rejected; i++) {
        if (JS_VALUE_GET_PTR(rejected[i]) == JS_VALUE_GET_PTR(promise)) {
            JS_FreeValue(c, rejected[i]);
            rejected[i] = rejected[--n_rejected];
            return;
        }
    }
}

static JSValue hook(const char *name, int argc, JSValueConst *argv) {
    JSValue f = JS_GetPropertyStr(ctx, hooks, name);
    JSValue r = JS_Call(ctx, f, JS_UNDEFINED, argc, argv);
    JS_FreeValue(ctx, f);
    return r;
}

/* prints an uncaught exception (or rejection reason) the way Node does, through the prelude */
static void report(JSValue reason, int rejection) {
    JSValue args[2] = {reason, JS_NewBool(ctx, rejection)};
    JSValue r = hook("report", 2, args);
    if (JS_IsException(r)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        static const char msg[] = "Uncaught exception (unprintable)\n";
        write(2, msg, sizeof(msg) - 1);
    }
    JS_FreeValue(ctx, r);
}

/* handles the pending exception; returns the snippet's status from now on */
static int fail(void) {
    JSValue e = JS_GetException(ctx);
    if (exiting) {
        JS_FreeValue(ctx, e);
        JS_ResetUncatchableError(ctx);
        return exit_code;
    }
    report(e, 0);
    JS_FreeValue(ctx, e);
    return 1;
}

/* runs promise jobs until none is left; returns 0, or the status of a failure */
static int run_jobs(void) {
    JSContext *c;
    for (;;) {
        int r = JS_ExecutePendingJob(rt, &c);
        if (r == 0)
            break;
        if (r < 0)
            return fail();
    }
    if (n_rejected > 0) {
        JSValue reason = JS_PromiseResult(ctx, rejected[0]);
        report(reason, 1);
        JS_FreeValue(ctx, reason);
        for (int i = 0; i < n_rejected; i++)
            JS_FreeValue(ctx, rejected[i]);
        n_rejected = 0;
        return 1;
    }
    return 0;
}

/* the event loop: jobs, then the earliest timer (waiting for its due time), until none is left */
static int run_loop(void) {
    for (;;) {
        int status = run_jobs();
        if (status != 0)
            return status;
        JSValue due = hook("nextTimer", 0, NULL);
        double when;
        if (JS_IsException(due))
            return fail();
        if (JS_IsUndefined(due) || JS_ToFloat64(ctx, &when, due))
            return 0;
        double wait = when - now_ms();
        if (wait > 0) {
            struct timespec ts = {(time_t)(wait / 1e3), (long)((wait - (time_t)(wait / 1e3) * 1e3) * 1e6)};
            nanosleep(&ts, NULL);
        }
        /* fire it even when a frozen clock never reaches its due time: order is what counts */
        JSValue r = hook("fireTimer", 0, NULL);
        if (JS_IsException(r))
            return fail();
        JS_FreeValue(ctx, r);
    }
}

EXPORT("init") int airlock_init(void) {
    rt = JS_NewRuntime();
    if (!rt)
        return 1;
    JS_SetMaxStackSize(rt, MAX_JS_STACK);
    JS_SetHostPromiseRejectionTracker(rt, track_rejection, NULL);
    ctx = JS_NewContext(rt);
    if (!ctx)
        return 1;
    JSValue fn = JS_Eval(ctx, (const char *)airlock_prelude, airlock_prelude_len, "<airlock>",
                         JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(fn))
        return 1;
    JSValue native = JS_NewObject(ctx);
    JS_SetPropertyFunctionList(ctx, native, natives, sizeof(natives) / sizeof(natives[0]));
    hooks = JS_Call(ctx, fn, JS_UNDEFINED, 1, &native);
    JS_FreeValue(ctx, fn);
    JS_FreeValue(ctx, native);
    return JS_IsException(hooks) ? 1 : 0;
}

/* whether the source mentions await, in which case it is evaluated as an async script */
static int mentions_await(const char *s, uint32_t len) {
    for (uint32_t i = 0; i + 5 <= len; i++)
        if (memcmp(s + i, "await", 5) == 0)
            return 1;
    return 0;
}

EXPORT("eval") int airlock_eval(const char *src, uint32_t len) {
    exiting = 0;
    exit_code = 0;
    JS_ReseedRandom(ctx);
    JS_FreeValue(ctx, hook("begin", 0, NULL));
    int async = mentions_await(src, len);
    JSValue v = JS_Eval(ctx, src, len, "<input>",
                        JS_EVAL_TYPE_GLOBAL | (async ? JS_EVAL_FLAG_ASYNC : 0));
    int status = 0;
    if (JS_IsException(v)) {
        status = fail();
    } else {
        status = run_loop();
        if (status == 0 && async && JS_PromiseState(ctx, v) == JS_PROMISE_REJECTED) {
            JSValue reason = JS_PromiseResult(ctx, v);
            report(reason, 0);
            JS_FreeValue(ctx, reason);
            status = 1;
        }
    }
    JS_FreeValue(ctx, v);
    if (status == 0) {
        /* process.exitCode */
        JSValue code = hook("exitCode", 0, NULL);
        if (!JS_IsException(code) && JS_ToInt32(ctx, &status, code))
            status = 1;
        if (JS_IsException(code))
            JS_FreeValue(ctx, JS_GetException(ctx));
        JS_FreeValue(ctx, code);
        status &= 0xff;
    }
    if (status != 0) {
        /* the program ended: its timers go with it, like a process that exits */
        JS_FreeValue(ctx, hook("clear", 0, NULL));
        for (int i = 0; i < n_rejected; i++)
            JS_FreeValue(ctx, rejected[i]);
        n_rejected = 0;
    }
    return status;
}
