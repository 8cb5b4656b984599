package dev.airlock.lang;

import dev.airlock.core.Mount;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Third-party pure-Python packages for {@code airlock py}: a host folder holding importable
 * packages (an unpacked wheel, or a {@code site-packages} folder) is mounted read-only at {@code
 * /packages/NAME}, and every folder mounted under {@link #FOLDER} goes on {@code sys.path} after
 * the standard library, in the policy's mount order. {@code PYTHONPATH} (from the policy's
 * environment) works as well and comes before the standard library, as in {@code python3}.
 *
 * <p>Like any mount, a package folder is copied into the sandbox's in-memory filesystem (counted in
 * its quota) and cannot be changed by the guest. Packages with native extensions ({@code .so})
 * cannot load: the interpreter is a WebAssembly module.
 */
public final class PythonPackages {
    /** The guest folder under which package folders are mounted. */
    public static final String FOLDER = "/packages";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private PythonPackages() {}

    /**
     * A read-only mount of {@code host} at {@code /packages/NAME}.
     *
     * @throws IllegalArgumentException if {@code name} is not 1 to 64 letters, digits, dots,
     *     underscores or dashes (or is {@code .} or {@code ..})
     */
    public static Mount mount(Path host, String name) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(
                    "a package folder's name is 1 to 64 letters, digits, '.', '_' or '-': " + name);
        }
        return new Mount(host, FOLDER + "/" + name, Mount.Mode.READ_ONLY);
    }
}
