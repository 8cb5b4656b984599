package dev.airlock.core.engine.host;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tool device: a file of the guest's filesystem through which guest code whose imports are
 * fixed (an interpreter) calls host tools. Protocol: open the device, write the request (the tool
 * name, a newline, the JSON arguments), read the JSON envelope answer to its end, close. Writes and
 * reads on an open device never reach the file itself.
 */
public final class ToolDevice {
    private static final int EFBIG = 22;

    private final Path path;
    private final ToolBridge bridge;
    private final int maxRequest;
    private final Map<Integer, ByteArrayOutputStream> requests = new HashMap<>();
    private final Map<Integer, byte[]> answers = new HashMap<>();
    private final Map<Integer, Integer> positions = new HashMap<>();

    /**
     * @param path the device's in-volume path
     */
    public ToolDevice(Path path, ToolBridge bridge) {
        this.path = path;
        this.bridge = bridge;
        this.maxRequest = bridge.maxRequestBytes();
    }

    /** Whether an in-volume path is the device. */
    public boolean is(Path opened) {
        return opened != null && opened.normalize().equals(path);
    }

    public boolean owns(int fd) {
        return requests.containsKey(fd);
    }

    public void opened(int fd) {
        requests.put(fd, new ByteArrayOutputStream());
        answers.remove(fd);
        positions.remove(fd);
    }

    public void closed(int fd) {
        requests.remove(fd);
        answers.remove(fd);
        positions.remove(fd);
    }

    /** {@code fd_write(fd, iovs, iovs_len, nwritten)} on the device: appends to the request. */
    public long write(Instance inst, long[] a) {
        int fd = (int) a[0];
        Memory m = inst.memory();
        ByteArrayOutputStream req = requests.get(fd);
        if (answers.containsKey(fd)) {
            // a new request on the same descriptor
            answers.remove(fd);
            positions.remove(fd);
            req.reset();
        }
        long total = 0;
        int iovs = (int) a[1];
        int count = (int) a[2];
        if (count < 0 || count > 1024) {
            return 28; // EINVAL
        }
        for (int i = 0; i < count; i++) {
            int base = m.readInt(iovs + i * 8);
            int len = m.readInt(iovs + i * 8 + 4);
            // a tool request longer than Tool.MAX_REQUEST_BYTES is refused by the bridge
            if (len < 0 || req.size() + (long) len > maxRequest) {
                req.reset();
                return EFBIG;
            }
            req.write(m.readBytes(base, len), 0, len);
            total += len;
        }
        m.writeI32((int) a[3], (int) total);
        return 0;
    }

    /** {@code fd_read(fd, iovs, iovs_len, nread)}: the answer, calling the tool on first read. */
    public long read(Instance inst, long[] a) {
        int fd = (int) a[0];
        Memory m = inst.memory();
        byte[] answer = answers.get(fd);
        if (answer == null) {
            ByteArrayOutputStream req = requests.get(fd);
            if (req.size() == 0) {
                m.writeI32((int) a[3], 0);
                return 0;
            }
            String text = req.toString(StandardCharsets.UTF_8);
            req.reset();
            int nl = text.indexOf('\n');
            String json =
                    nl < 0
                            ? ToolBridge.error("malformed tool request: expected NAME\\nJSON")
                            : bridge.invoke(text.substring(0, nl), text.substring(nl + 1));
            answer = json.getBytes(StandardCharsets.UTF_8);
            answers.put(fd, answer);
            positions.put(fd, 0);
        }
        int pos = positions.get(fd);
        int iovs = (int) a[1];
        int count = (int) a[2];
        if (count < 0 || count > 1024) {
            return 28;
        }
        int total = 0;
        for (int i = 0; i < count && pos < answer.length; i++) {
            int base = m.readInt(iovs + i * 8);
            int len = m.readInt(iovs + i * 8 + 4);
            int n = Math.min(Math.max(len, 0), answer.length - pos);
            m.write(base, answer, pos, n);
            pos += n;
            total += n;
        }
        positions.put(fd, pos);
        m.writeI32((int) a[3], total);
        return 0;
    }
}
