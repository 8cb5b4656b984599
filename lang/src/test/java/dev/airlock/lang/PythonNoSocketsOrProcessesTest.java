package dev.airlock.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airlock.core.Policy;
import dev.airlock.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A Python program has no sockets and cannot run programs, whatever it tries: each attempt is an
 * OSError that says what the sandbox lacks (not an AttributeError or a bare "Not supported"), and a
 * program that reaches around the driver's Python-level refusals still gets no connection.
 */
class PythonNoSocketsOrProcessesTest {
    static final CodeInterpreter CI = CodeInterpreter.create();

    @AfterAll
    static void close() {
        CI.close();
    }

    private static String run(String code) {
        Capture c = new Capture();
        Execution e = CI.run(Language.PYTHON, code, Policy.defaults(), c.stdio());
        assertThat(e.outcome().status()).as(c.err()).isEqualTo(Status.OK);
        return c.out();
    }

    private static final String ATTEMPTS =
            "import errno\n"
                    + "def attempt(label, f):\n"
                    + "    try:\n"
                    + "        f()\n"
                    + "        print(label, 'SUCCEEDED')\n"
                    + "    except OSError as e:\n"
                    + "        print(label, type(e).__name__, e.strerror)\n";

    @Test
    void everyWayToASocketIsAPermissionErrorNamingTheMissingNetwork() {
        String out =
                run(
                        ATTEMPTS
                                + "import socket, urllib.request, http.client\n"
                                + "attempt('connect', lambda: socket.create_connection(('example.com', 80)))\n"
                                + "attempt('socket', lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))\n"
                                + "attempt('resolve', lambda: socket.getaddrinfo('example.com', 443))\n"
                                + "attempt('pair', socket.socketpair)\n"
                                + "attempt('http', lambda: http.client.HTTPConnection('example.com').request('GET', '/'))\n"
                                + "try:\n"
                                + "    urllib.request.urlopen('http://example.com/')\n"
                                + "except urllib.error.URLError as e:\n"
                                + "    print('urlopen URLError', e.reason.strerror)\n");
        String why =
                "network access is not available in the Airlock sandbox: its policy grants no sockets";
        String noRule = "network request denied (net.none): no network is granted";
        assertThat(out.lines())
                .containsExactly(
                        "connect PermissionError " + why,
                        "socket PermissionError " + why,
                        "resolve PermissionError " + why,
                        "pair PermissionError " + why,
                        // http.client and urllib go through the host's network rules, of which
                        // this policy grants none (NetworkDenied is a PermissionError)
                        "http NetworkDenied " + noRule,
                        "urlopen URLError " + noRule);
    }

    @Test
    void reachingAroundTheRefusalToTheInterpretersOwnSocketTypeStillConnectsNowhere() {
        String out =
                run(
                        ATTEMPTS
                                + "import _socket, socket, gc\n"
                                + "real = [t for t in type(socket.socket).__mro__ if t.__module__ == '_socket']\n"
                                + "real += [c for c in _socket.socket.__mro__ if c.__module__ == '_socket']\n"
                                + "print('found', len(real) > 0)\n"
                                + "for t in set(real):\n"
                                + "    attempt('raw', lambda: t(2, 1).connect(('127.0.0.1', 80)))\n"
                                + "    attempt('fd', lambda: t(fileno=3).connect(('127.0.0.1', 80)))\n");
        assertThat(out).startsWith("found True\n").doesNotContain("SUCCEEDED");
        assertThat(out.lines().skip(1))
                .isNotEmpty()
                .allMatch(l -> l.matches("(raw|fd) \\w*Error .*"));
    }

    @Test
    void runningAProgramIsAPermissionErrorNamingTheMissingProcesses() {
        String out =
                run(
                        ATTEMPTS
                                + "import os, subprocess\n"
                                + "attempt('run', lambda: subprocess.run(['ls', '-l'], capture_output=True))\n"
                                + "attempt('check_output', lambda: subprocess.check_output('id', shell=True))\n"
                                + "attempt('system', lambda: os.system('id'))\n"
                                + "attempt('popen', lambda: os.popen('id').read())\n");
        String why = "the Airlock sandbox cannot run programs: no policy grants processes";
        assertThat(out.lines())
                .containsExactly(
                        "run PermissionError " + why,
                        "check_output PermissionError " + why,
                        "system PermissionError " + why,
                        "popen PermissionError " + why);
    }
}
