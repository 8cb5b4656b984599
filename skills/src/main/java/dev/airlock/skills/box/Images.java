package dev.airlock.skills.box;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FROM's images and the runtimes they map to. */
final class Images {
    private static final Pattern PYTHON =
            Pattern.compile(
                    "(?:(?:docker\\.io/)?library/)?python(?::(\\d+)(?:\\.(\\d+))?(?:\\.\\d+)?(?:-[a-z0-9.-]+)?|:latest|:slim|:alpine)?");
    private static final Pattern NODE =
            Pattern.compile(
                    "(?:(?:docker\\.io/)?library/)?node(?::((?:\\d+)(?:\\.\\d+){0,2}|lts|latest|current)(?:-[a-z0-9.-]+)?|:slim|:alpine)?");

    private Images() {}

    /**
     * The runtime ({@code python}, {@code javascript}, {@code wasm}) of a FROM image, with a
     * warning where it differs from what the image would give.
     *
     * @throws BoxException for any other image
     */
    static String runtime(String image, int line, List<String> warnings) throws BoxException {
        if (image.equals("scratch")) {
            return "wasm";
        }
        Matcher py = PYTHON.matcher(image);
        if (py.matches()) {
            String major = py.group(1);
            String minor = py.group(2);
            String asked = major == null ? null : minor == null ? major : major + "." + minor;
            if (asked != null && !asked.equals(BoxBuilder.PYTHON_VERSION)) {
                warnings.add(
                        "Dockerfile:"
                                + line
                                + ": FROM "
                                + image
                                + " asks for Python "
                                + asked
                                + "; the box runs Python "
                                + BoxBuilder.PYTHON_VERSION);
            } else if (asked == null || minor == null) {
                warnings.add(
                        "Dockerfile:"
                                + line
                                + ": FROM "
                                + image
                                + " taken as Python "
                                + BoxBuilder.PYTHON_VERSION);
            }
            return "python";
        }
        Matcher node = NODE.matcher(image);
        if (node.matches()) {
            warnings.add(
                    "Dockerfile:"
                            + line
                            + ": FROM "
                            + image
                            + " runs on Airlock's JavaScript interpreter (QuickJS, ECMAScript 2023), not Node"
                            + (node.group(1) == null ? "" : " " + node.group(1))
                            + ": CommonJS and ES modules are bundled; Node's own modules are there in"
                            + " part (fs writes stay in memory for the run; no http, net or"
                            + " child_process)");
            return "javascript";
        }
        throw new BoxException(
                line, "FROM " + image + " is not supported (python:3.x, node:NN or scratch)");
    }
}
