package dev.airlock.core.engine.module;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.InvalidException;
import com.dylibso.chicory.wasm.MalformedException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.airlock.core.ModuleRejectedException;

/**
 * Reads a module's bytes into Chicory's model and checks it, turning every failure into a {@link
 * ModuleRejectedException} whose message names what is wrong (never a Java class).
 */
public final class ModuleParser {
    private ModuleParser() {}

    /**
     * Parses and validates without compiling.
     *
     * @throws ModuleRejectedException if the bytes are not a valid module
     */
    public static WasmModule parse(byte[] bytes, String sha) throws ModuleRejectedException {
        if (bytes.length == 0) {
            throw new ModuleRejectedException(
                    "malformed", "empty file (no WebAssembly magic)", sha);
        }
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (MalformedException e) {
            // Chicory rethrows every parse error behind a generic "section size mismatch,
            // unexpected end of section or function, " prefix; the cause says what is wrong
            Throwable c = e.getCause() instanceof MalformedException ? e.getCause() : e;
            throw new ModuleRejectedException(
                    "malformed", "malformed module: " + c.getMessage(), sha, e);
        } catch (InvalidException e) {
            throw new ModuleRejectedException(
                    "invalid", "invalid module: " + e.getMessage(), sha, e);
        } catch (ChicoryException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModuleRejectedException(
                    "malformed", "malformed module: " + describe(e), sha, e);
        } catch (StackOverflowError e) {
            throw new ModuleRejectedException("invalid", "invalid module: nesting too deep", sha);
        } catch (OutOfMemoryError e) {
            throw new ModuleRejectedException("invalid", "invalid module: too large to load", sha);
        }
        String violation = StructureCheck.violation(module);
        if (violation != null) {
            throw new ModuleRejectedException("invalid", "invalid module: " + violation, sha);
        }
        return module;
    }

    /** A failure's message; one without a message is not named by its Java class. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "no detail given" : m;
    }
}
