package dev.airlock.server.mcp;

import dev.airlock.audit.store.Principal;
import dev.airlock.server.api.ApiException;
import dev.airlock.server.service.AirlockService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The file tools of a session, as the HTTP API has them: {@code upload_file}, {@code
 * download_file}, {@code list_files}. Paths are relative to {@code /workspace} or absolute under
 * it; the service refuses any other.
 */
final class McpFileTools {
    private McpFileTools() {}

    static void add(
            Map<String, BiFunction<Principal, Map<String, Object>, Object>> handlers,
            AirlockService service) {
        handlers.put(
                "upload_file",
                (p, a) -> {
                    McpTools.FileArgs f = McpTools.args(a, McpTools.FileArgs.class);
                    byte[] bytes = content(f);
                    service.upload(p, f.sessionId(), f.path(), bytes);
                    return new McpResults.File(
                            f.sessionId(), McpResults.absolute(f.path()), bytes.length, null, null);
                });
        handlers.put(
                "download_file",
                (p, a) -> {
                    McpTools.FileArgs f = McpTools.args(a, McpTools.FileArgs.class);
                    if (f.content() != null || f.base64() != null) {
                        throw ApiException.badRequest(
                                "download_file takes sessionId and path only");
                    }
                    byte[] bytes = service.download(p, f.sessionId(), f.path());
                    return McpResults.File.of(f.sessionId(), McpResults.absolute(f.path()), bytes);
                });
        handlers.put(
                "list_files",
                (p, a) -> {
                    McpTools.FileArgs f = McpTools.args(a, McpTools.FileArgs.class);
                    return new McpResults.Files(f.sessionId(), service.files(p, f.sessionId()));
                });
    }

    private static byte[] content(McpTools.FileArgs f) {
        if ((f.content() == null) == (f.base64() == null)) {
            throw ApiException.badRequest(
                    "give the file's content in exactly one of content and base64");
        }
        if (f.content() != null) {
            return f.content().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(f.base64());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("base64 is not valid base64: " + e.getMessage());
        }
    }
}
