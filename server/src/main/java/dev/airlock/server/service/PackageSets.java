package dev.airlock.server.service;

import dev.airlock.core.Policy;
import dev.airlock.lang.Language;
import dev.airlock.lang.PythonPackages;
import dev.airlock.server.api.ApiException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's Python package folders ({@code airlock serve --packages NAME=DIR}) that a request
 * names in {@code packages}: each becomes a read-only mount at {@code /packages/NAME}.
 */
final class PackageSets {
    private final Map<String, Path> folders;

    PackageSets(Map<String, Path> folders) {
        this.folders = Map.copyOf(folders);
    }

    /**
     * The policy with the named package folders mounted.
     *
     * @throws ApiException 400 for packages in a request that is not Python, an unknown or repeated
     *     name
     */
    Policy apply(Policy policy, List<String> names, Language language) {
        if (names == null || names.isEmpty()) {
            return policy;
        }
        if (language != Language.PYTHON) {
            throw ApiException.badRequest("packages are for python only");
        }
        Policy.Builder b = policy.toBuilder();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            Path dir = name == null ? null : folders.get(name);
            if (dir == null) {
                throw ApiException.badRequest(
                        "packages: this server has no package folder named '"
                                + (name != null && name.length() > 64
                                        ? name.substring(0, 64) + "..."
                                        : name)
                                + "' (it has: "
                                + (folders.isEmpty()
                                        ? "none"
                                        : String.join(
                                                ", ", new java.util.TreeSet<>(folders.keySet())))
                                + ")");
            }
            if (!seen.add(name)) {
                throw ApiException.badRequest("packages: '" + name + "' is named twice");
            }
            b.mount(PythonPackages.mount(dir, name));
        }
        return b.build();
    }
}
