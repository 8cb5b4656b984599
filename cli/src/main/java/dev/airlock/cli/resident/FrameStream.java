package dev.airlock.cli.resident;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One of the command's output streams ({@link Wire#STDOUT} or {@link Wire#STDERR}): each write
 * becomes one frame, sent by the connection's {@link FrameWriter}.
 */
final class FrameStream extends OutputStream {
    private final FrameWriter writer;
    private final byte type;

    FrameStream(FrameWriter writer, byte type) {
        this.writer = writer;
        this.type = type;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            writer.send(type, b, off, len);
        }
    }
}
