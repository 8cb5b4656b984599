package dev.airlock.server.http;

import dev.airlock.server.service.OutputListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response streamed as server-sent events: {@code stdout} and {@code stderr} events carry output
 * as it is written ({@code {"text": ...}}, split only between whole UTF-8 characters), then one
 * {@code result} event carries the execution's result (or an {@code error} event a problem). A
 * client that goes away stops the stream, not the run.
 */
final class EventStream implements OutputListener {
    private final OutputStream out;
    private final Pending stdout = new Pending();
    private final Pending stderr = new Pending();
    private boolean broken;

    EventStream(OutputStream out) {
        this.out = out;
    }

    /** Bytes of a stream not yet sent because they end inside a UTF-8 character. */
    private static final class Pending {
        byte[] bytes = new byte[0];
    }

    @Override
    public synchronized void output(String stream, byte[] b, int off, int len) {
        Pending p = stream.equals("stdout") ? stdout : stderr;
        byte[] all = new byte[p.bytes.length + len];
        System.arraycopy(p.bytes, 0, all, 0, p.bytes.length);
        System.arraycopy(b, off, all, p.bytes.length, len);
        int cut = completeUpTo(all);
        p.bytes = java.util.Arrays.copyOfRange(all, cut, all.length);
        if (cut > 0) {
            send(stream, Map.of("text", new String(all, 0, cut, StandardCharsets.UTF_8)));
        }
    }

    /** The length of the longest prefix that does not end inside a UTF-8 sequence. */
    static int completeUpTo(byte[] b) {
        int n = b.length;
        int i = n - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0) {
            return n;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return n - i >= need ? n : i;
    }

    /** Sends what is left of the output, then the final event. */
    synchronized void finish(String event, Object data) {
        for (String s : new String[] {"stdout", "stderr"}) {
            Pending p = s.equals("stdout") ? stdout : stderr;
            if (p.bytes.length > 0) {
                send(s, Map.of("text", new String(p.bytes, StandardCharsets.UTF_8)));
                p.bytes = new byte[0];
            }
        }
        send(event, data);
    }

    private void send(String event, Object data) {
        if (broken) {
            return;
        }
        try {
            out.write(("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.write(Json.write(data));
            out.write("\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }
}
