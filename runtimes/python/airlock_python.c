/*
 * airlock_python.c: the embedding side of Airlock's own CPython 3.13 for WASI preview 1.
 * Linked with -mexec-model=reactor into airlock-python.wasm (see build.sh).
 *
 * ABI (all values i32; pointers are offsets in the module's exported "memory"):
 *
 *   _initialize()                      WASI reactor start-up (C constructors); call it once, first.
 *   airlock_alloc(size) -> ptr         malloc(size); 0 when out of memory.
 *   airlock_free(ptr)                  free(ptr).
 *   airlock_init() -> rc               initialises the interpreter once:
 *                                        isolated mode (no site, no user site, no environment
 *                                        variables), UTF-8 mode, safe_path, no bytecode writing,
 *                                        no signal handlers, unbuffered stdio,
 *                                        program name "python3", home/prefix "/usr/local",
 *                                        sys.path exactly ["/guest", "/usr/local/lib/python313.zip"]
 *                                        (the standard library is that one zip, read by zipimport),
 *                                      then imports the module `guest` (the host's /guest/guest.py).
 *                                      0 on success; otherwise the Python error has been printed to
 *                                      stderr and the result is non-zero (2: the configuration or
 *                                      start-up failed, 1: importing guest failed, or n when it
 *                                      raised SystemExit(n), n != 0; a second call: 3).
 *   airlock_call(name_ptr, name_len, arg_ptr, arg_len) -> rc
 *                                      calls guest.<name>(arg), both given as UTF-8 bytes in memory
 *                                      (arg is passed as a str). Returns the function's int result
 *                                      (0 for None; other non-int results give 0), or 1 after printing
 *                                      the traceback to stderr if it raised; SystemExit(n) gives n
 *                                      (0 for None, 1 for a non-int code, which is printed).
 *                                      sys.stdout and sys.stderr are flushed after every call.
 *                                      -1: airlock_init has not succeeded.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(name), visibility("default")))

static PyObject *guest_module;      /* the imported `guest`, once airlock_init succeeded */
static int init_state;              /* 0: not yet, 1: done, 2: failed */

EXPORT("airlock_alloc") void *airlock_alloc(int size) {
    return size < 0 ? NULL : malloc((size_t)size);
}

EXPORT("airlock_free") void airlock_free(void *ptr) {
    free(ptr);
}

static void flush_std(void) {
    static const char *const names[] = {"stdout", "stderr"};
    for (int i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(names[i]);          /* borrowed */
        if (f != NULL && f != Py_None) {
            PyObject *r = PyObject_CallMethod(f, "flush", NULL);
            if (r == NULL) PyErr_Clear(); else Py_DECREF(r);
        }
    }
}

/* Status of a PyConfig call: on failure prints it and returns non-zero. */
static int failed(PyStatus st) {
    if (!PyStatus_Exception(st)) return 0;
    if (st.func != NULL) fprintf(stderr, "airlock_init: %s: %s\n", st.func, st.err_msg ? st.err_msg : "");
    else fprintf(stderr, "airlock_init: %s\n", st.err_msg ? st.err_msg : "error");
    return 1;
}

/* The exit status for a raised SystemExit (its code), printing a non-int code like Python does. */
static int system_exit_code(void) {
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *code = PyObject_GetAttrString(exc, "code");
    int rc = 0;
    if (code == NULL) {
        PyErr_Clear();
        rc = 1;
    } else if (code == Py_None) {
        rc = 0;
    } else if (PyLong_Check(code)) {
        rc = (int)PyLong_AsLong(code);
        if (rc == -1 && PyErr_Occurred()) { PyErr_Clear(); rc = 1; }
    } else {
        PyObject_Print(code, stderr, Py_PRINT_RAW);
        fputc('\n', stderr);
        rc = 1;
    }
    Py_XDECREF(code);
    Py_DECREF(exc);
    return rc;
}

EXPORT("airlock_init") int airlock_init(void) {
    if (init_state != 0) return init_state == 1 ? 3 : 2;
    init_state = 2;

    PyPreConfig pre;
    PyPreConfig_InitIsolatedConfig(&pre);
    pre.utf8_mode = 1;
    if (failed(Py_PreInitialize(&pre))) return 2;

    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);   /* isolated, no environment, no user site, safe_path */
    config.isolated = 1;
    config.use_environment = 0;
    config.user_site_directory = 0;
    config.safe_path = 1;
    config.site_import = 0;                 /* no site module, so no site-packages */
    config.write_bytecode = 0;
    config.buffered_stdio = 0;
    config.install_signal_handlers = 0;
    config.pathconfig_warnings = 0;
    config.parse_argv = 0;
    PyStatus st = PyConfig_SetString(&config, &config.program_name, L"python3");
    if (!PyStatus_Exception(st)) st = PyConfig_SetString(&config, &config.home, L"/usr/local");
    if (!PyStatus_Exception(st)) st = PyConfig_SetString(&config, &config.prefix, L"/usr/local");
    if (!PyStatus_Exception(st)) st = PyConfig_SetString(&config, &config.exec_prefix, L"/usr/local");
    if (!PyStatus_Exception(st)) {
        config.module_search_paths_set = 1;
        st = PyWideStringList_Append(&config.module_search_paths, L"/guest");
    }
    if (!PyStatus_Exception(st))
        st = PyWideStringList_Append(&config.module_search_paths, L"/usr/local/lib/python313.zip");
    if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (failed(st)) return 2;

    guest_module = PyImport_ImportModule("guest");
    if (guest_module == NULL) {
        int rc = 1;
        if (PyErr_ExceptionMatches(PyExc_SystemExit)) {  /* PyErr_Print would exit the process */
            rc = system_exit_code();
            if (rc == 0) rc = 1;
        } else {
            PyErr_Print();
        }
        flush_std();
        return rc;
    }
    flush_std();
    init_state = 1;
    return 0;
}

EXPORT("airlock_call") int airlock_call(const char *name, int name_len, const char *arg, int arg_len) {
    if (init_state != 1) return -1;
    if (name_len < 0 || arg_len < 0) return 1;
    int rc = 1;
    PyObject *fn = NULL, *text = NULL, *result = NULL;
    PyObject *attr = PyUnicode_DecodeUTF8(name, name_len, "strict");
    if (attr != NULL) fn = PyObject_GetAttr(guest_module, attr);
    if (fn != NULL) text = PyUnicode_DecodeUTF8(arg, arg_len, "strict");
    if (text != NULL) result = PyObject_CallOneArg(fn, text);
    if (result != NULL) {
        rc = 0;
        if (PyLong_Check(result)) {
            rc = (int)PyLong_AsLong(result);
            if (rc == -1 && PyErr_Occurred()) { PyErr_Clear(); rc = 1; }
        }
    } else if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
        rc = system_exit_code();
    } else {
        PyErr_Print();                      /* the traceback to sys.stderr */
        rc = 1;
    }
    Py_XDECREF(result);
    Py_XDECREF(text);
    Py_XDECREF(fn);
    Py_XDECREF(attr);
    flush_std();
    return rc;
}
