package dev.airlock.skills.box;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules a Python box imports into its pre-initialised image: the entry file's top-level
 * {@code import} and {@code from ... import} statements (those starting a line), except the app's
 * own modules, whose top-level code may have effects and so runs at every start.
 */
final class Warm {
    private static final Pattern IMPORT =
            Pattern.compile(
                    "^import\\s+([A-Za-z_][\\w.]*(?:\\s+as\\s+\\w+)?(?:\\s*,\\s*[A-Za-z_][\\w.]*(?:\\s+as\\s+\\w+)?)*)\\s*(?:#.*)?$");
    private static final Pattern FROM =
            Pattern.compile("^from\\s+([A-Za-z_][\\w.]*)\\s+import\\b.*");

    private Warm() {}

    static List<String> imports(
            byte[] source, Set<String> rootfs, Set<String> site, String workdir) {
        List<String> out = new ArrayList<>();
        if (source == null) {
            return out;
        }
        for (String line : new String(source, StandardCharsets.UTF_8).split("\n")) {
            line = line.stripTrailing();
            List<String> names = new ArrayList<>();
            Matcher m = IMPORT.matcher(line);
            if (m.matches()) {
                for (String part : m.group(1).split(",")) {
                    names.add(part.strip().split("\\s+")[0]);
                }
            } else if ((m = FROM.matcher(line)).matches() && !m.group(1).equals("__future__")) {
                names.add(m.group(1));
            }
            for (String n : names) {
                String top = n.split("\\.")[0];
                if (!own(top, rootfs) && !out.contains(n) && out.size() < 64) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Whether a top-level module name is one of the app's own files (anywhere in its folders). */
    private static boolean own(String top, Set<String> rootfs) {
        for (String p : rootfs) {
            if (p.endsWith("/" + top + ".py") || p.contains("/" + top + "/")) {
                return true;
            }
        }
        return false;
    }
}
