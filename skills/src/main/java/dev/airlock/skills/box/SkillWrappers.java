package dev.airlock.skills.box;

/**
 * The entries through which an installed box runs as a skill (tool {@code run}: input {@code
 * {"args": [...], "stdin": "..."}}, output {@code {"exitCode", "stdout", "stderr"}}): they start
 * the box's program inside the skill's sandbox, where its files are under {@code /skill/rootfs}
 * instead of {@code /}, with its output captured.
 */
final class SkillWrappers {
    private SkillWrappers() {}

    static final String PYTHON =
            """
            # made by airlock box build: runs the box's program as the skill's tool "run"
            import io, json, os, runpy, sys, traceback
            _req = json.loads(sys.stdin.read() or "{}")
            with open("/skill/box.json") as _f:
                _spec = json.load(_f)
            _root = "/skill/rootfs"
            _argv = list(_spec["entrypoint"]) + (list(_req.get("args") or []) or list(_spec["cmd"]))
            _flags = {"-u", "-B", "-s", "-E", "-O", "-OO", "-q"}
            _i = 1
            if _argv and _argv[0].endswith(".py"):
                _i = 0
            else:
                while _i < len(_argv) and _argv[_i] in _flags:
                    _i += 1
            _out, _err = io.StringIO(), io.StringIO()
            _code = 0
            _real = (sys.stdout, sys.stderr)
            try:
                os.environ.update(_spec["env"])
                os.chdir(_root + _spec["workdir"])
                if os.path.isdir("/skill/site"):
                    sys.path.append("/skill/site")
                sys.stdin = io.StringIO(_req.get("stdin") or "")
                sys.stdout, sys.stderr = _out, _err
                if _i < len(_argv) and _argv[_i] == "-m":
                    sys.path.insert(0, os.getcwd())
                    sys.argv = [_argv[_i + 1]] + _argv[_i + 2:]
                    runpy.run_module(_argv[_i + 1], run_name="__main__", alter_sys=True)
                else:
                    _script = _argv[_i]
                    if not _script.startswith("/"):
                        _script = _spec["workdir"].rstrip("/") + "/" + _script
                    sys.argv = [_script] + _argv[_i + 1:]
                    sys.path.insert(0, os.path.dirname(_root + _script))
                    runpy.run_path(_root + _script, run_name="__main__")
            except SystemExit as e:
                if e.code is None:
                    _code = 0
                elif isinstance(e.code, int):
                    _code = e.code
                else:
                    print(e.code, file=_err)
                    _code = 1
            except BaseException:
                traceback.print_exc(file=_err)
                _code = 1
            finally:
                sys.stdout, sys.stderr = _real
            print(json.dumps({"exitCode": _code, "stdout": _out.getvalue(), "stderr": _err.getvalue()}))
            """;

    static final String JAVASCRIPT_TAIL =
            """
            // made by airlock box build: runs the box's program as the skill's tool "run"
            (function () {
              const req = JSON.parse(airlock.readStdin() || "{}");
              const spec = /*SPEC*/;
              const argv = spec.entrypoint.concat(req.args && req.args.length ? req.args : spec.cmd);
              const real = console.log.bind(console);
              const out = [];
              const err = [];
              const text = (a) => a.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(" ") + "\\n";
              console.log = console.info = console.debug = (...a) => out.push(text(a));
              console.error = console.warn = (...a) => err.push(text(a));
              process.stdout.write = (s) => (out.push(String(s)), true);
              process.stderr.write = (s) => (err.push(String(s)), true);
              class Exit { constructor(code) { this.code = code; } }
              process.exit = (code) => { throw new Exit(code === undefined ? process.exitCode || 0 : code); };
              let code = 0;
              try {
                if (argv.length < 2 || !/(^|\\/)(node|nodejs)$/.test(argv[0])) throw new Error("the command must be node SCRIPT");
                const entry = argv[1].startsWith("/") ? argv[1] : spec.workdir.replace(/\\/$/, "") + "/" + argv[1];
                globalThis.__airlockBox.main(entry.replace(/\\/\\.\\//g, "/"), argv.slice(2), spec.workdir);
                code = Number(process.exitCode) | 0;
              } catch (e) {
                if (e instanceof Exit) code = Number(e.code) | 0;
                else { err.push("Uncaught " + (e && e.stack ? e.stack : String(e)) + "\\n"); code = 1; }
              }
              real(JSON.stringify({ exitCode: code, stdout: out.join(""), stderr: err.join("") }));
            })();
            """;
}
