package dev.airlock.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes the trail as JSON Lines, one record per line, replacing any earlier file. */
public final class JsonlSink implements TrailSink {
    private final OutputStream out;

    public JsonlSink(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out =
                Files.newOutputStream(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
    }

    @Override
    public void append(SealedBatch batch) throws IOException {
        // the batch's bytes as they are: one write call, no copy
        batch.writeTo(out);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
