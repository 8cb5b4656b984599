package dev.airlock.skills.box;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The RUN commands a box takes: {@code pip install} ({@code pip}, {@code pip3}, {@code python -m
 * pip}) and {@code npm install} ({@code npm i}, {@code npm ci}) with the options that change
 * nothing without a network, each alone or joined by {@code &&}.
 */
final class RunCommands {
    private RunCommands() {}

    interface Pip {
        void install(List<String> names, List<String> requirementFiles) throws IOException;
    }

    interface Npm {
        void install(List<String> names) throws IOException;
    }

    /** pip options without a value that change nothing here. */
    private static final Set<String> PIP_FLAGS =
            Set.of(
                    "--no-cache-dir",
                    "--no-index",
                    "--upgrade",
                    "-U",
                    "--user",
                    "-q",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-compile",
                    "--root-user-action=ignore",
                    "--no-warn-script-location",
                    "--prefer-binary",
                    "--only-binary=:all:");

    /** pip options with a value (the next word) that change nothing here. */
    private static final Set<String> PIP_VALUED =
            Set.of("--find-links", "-f", "--root-user-action");

    private static final Set<String> NPM_FLAGS =
            Set.of(
                    "--production",
                    "--omit=dev",
                    "--only=production",
                    "--only=prod",
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    "--quiet",
                    "--no-optional",
                    "--ignore-scripts",
                    "--no-save",
                    "--no-package-lock",
                    "--loglevel=error");

    /**
     * Takes one command of a RUN.
     *
     * @return false when it is not a command a box takes (the RUN is refused)
     * @throws IOException when it is, but a package cannot be installed
     */
    static boolean take(List<String> w, Pip pip, Npm npm, String workdir) throws IOException {
        if (w.isEmpty()) {
            return false;
        }
        String prog = w.get(0).substring(w.get(0).lastIndexOf('/') + 1);
        int i;
        if (prog.matches("pip3?(\\.\\d+)?")) {
            i = 1;
        } else if (prog.matches("python(3(\\.\\d+)?)?")
                && w.size() > 2
                && w.get(1).equals("-m")
                && w.get(2).equals("pip")) {
            i = 3;
        } else if (prog.equals("npm")) {
            return npm(w, npm);
        } else {
            return false;
        }
        if (i >= w.size() || !w.get(i).equals("install")) {
            return false;
        }
        List<String> names = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j);
            if (PIP_FLAGS.contains(a)
                    || a.startsWith("--find-links=")
                    || a.startsWith("--root-user-action=")) {
                continue;
            }
            if (PIP_VALUED.contains(a)) {
                j++;
                continue;
            }
            if (a.equals("-r") || a.equals("--requirement")) {
                if (j + 1 >= w.size()) {
                    return false;
                }
                files.add(w.get(++j));
                continue;
            }
            if (a.startsWith("--requirement=")) {
                files.add(a.substring("--requirement=".length()));
                continue;
            }
            if (a.startsWith("-")) {
                return false;
            }
            names.add(a);
        }
        if (names.isEmpty() && files.isEmpty()) {
            return false;
        }
        pip.install(names, files);
        return true;
    }

    private static boolean npm(List<String> w, Npm npm) throws IOException {
        if (w.size() < 2 || !Set.of("install", "i", "ci", "add").contains(w.get(1))) {
            return false;
        }
        List<String> names = new ArrayList<>();
        for (int j = 2; j < w.size(); j++) {
            String a = w.get(j);
            if (NPM_FLAGS.contains(a)) {
                continue;
            }
            if (a.startsWith("-")) {
                return false; // -g and the rest
            }
            names.add(a);
        }
        if (w.get(1).equals("ci") && !names.isEmpty()) {
            return false;
        }
        npm.install(names);
        return true;
    }
}
