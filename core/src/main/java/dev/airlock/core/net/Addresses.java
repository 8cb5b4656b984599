package dev.airlock.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses are not the public internet: loopback, private, link-local (cloud metadata
 * services such as {@code 169.254.169.254} among them), carrier-grade NAT, unique-local IPv6,
 * multicast, unspecified and reserved ranges, also when wrapped in IPv6 (IPv4-compatible, NAT64,
 * 6to4).
 */
public final class Addresses {
    private Addresses() {}

    /**
     * Why the address is not public ({@code loopback}, {@code private}, ...), or null if public.
     */
    public static String restricted(InetAddress a) {
        if (a instanceof Inet4Address) {
            return v4(a.getAddress());
        }
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress() || (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0xc0)) {
            return "link-local";
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "private"; // fc00::/7, fd00:ec2::254 among them
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        boolean firstTwelveZero = true;
        for (int i = 0; i < 12; i++) {
            firstTwelveZero &= b[i] == 0;
        }
        if (firstTwelveZero) {
            return v4(new byte[] {b[12], b[13], b[14], b[15]}); // ::a.b.c.d
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            return v4(new byte[] {b[12], b[13], b[14], b[15]}); // 64:ff9b::/96
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return v4(new byte[] {b[2], b[3], b[4], b[5]}); // 2002::/16
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
            return "reserved"; // documentation
        }
        return a instanceof Inet6Address ? null : "reserved";
    }

    private static String v4(byte[] b) {
        int x = b[0] & 0xff;
        int y = b[1] & 0xff;
        if (x == 127) {
            return "loopback";
        }
        if (x == 0) {
            return "unspecified";
        }
        if (x == 10 || (x == 172 && (y & 0xf0) == 16) || (x == 192 && y == 168)) {
            return "private";
        }
        if (x == 169 && y == 254) {
            return "link-local";
        }
        if (x == 100 && (y & 0xc0) == 64) {
            return "private"; // 100.64.0.0/10, 100.100.100.200 among them
        }
        if (x == 192 && y == 0 && (b[2] & 0xff) <= 2) {
            return "reserved"; // 192.0.0.0/24, 192.0.2.0/24
        }
        if (x == 198 && (y == 18 || y == 19)) {
            return "reserved";
        }
        if (x >= 224) {
            return x < 240 ? "multicast" : "reserved";
        }
        return null;
    }
}
