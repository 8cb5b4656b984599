package dev.airlock.core.engine;

import com.dylibso.chicory.runtime.Instance;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The WebAssembly engine Airlock runs on, for {@code --version} and diagnostics. */
public final class EngineVersion {
    private static final String POM = "/META-INF/maven/com.dylibso.chicory/runtime/pom.properties";

    private EngineVersion() {}

    /** Such as {@code Chicory 1.7.5}; {@code Chicory (version unknown)} without its metadata. */
    public static String describe() {
        try (InputStream in = Instance.class.getResourceAsStream(POM)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return "Chicory " + v.strip();
                }
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        String v = Instance.class.getPackage().getImplementationVersion();
        return "Chicory " + (v == null ? "(version unknown)" : v);
    }
}
