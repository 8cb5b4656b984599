package dev.airlock.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {
    private static String why(String literal) throws Exception {
        return Addresses.restricted(InetAddress.getByName(literal));
    }

    @Test
    void nonPublicAddressesAreNamed() throws Exception {
        assertThat(why("127.0.0.1")).isEqualTo("loopback");
        assertThat(why("127.8.9.10")).isEqualTo("loopback");
        assertThat(why("::1")).isEqualTo("loopback");
        assertThat(why("10.1.2.3")).isEqualTo("private");
        assertThat(why("172.16.0.1")).isEqualTo("private");
        assertThat(why("172.31.255.1")).isEqualTo("private");
        assertThat(why("192.168.1.1")).isEqualTo("private");
        assertThat(why("169.254.169.254")).isEqualTo("link-local");
        assertThat(why("100.100.100.200")).isEqualTo("private");
        assertThat(why("fd00:ec2::254")).isEqualTo("private");
        assertThat(why("fe80::1")).isEqualTo("link-local");
        assertThat(why("0.0.0.0")).isEqualTo("unspecified");
        assertThat(why("::")).isEqualTo("unspecified");
        assertThat(why("224.0.0.1")).isEqualTo("multicast");
        assertThat(why("255.255.255.255")).isEqualTo("reserved");
    }

    @Test
    void wrappedIpv4IsCheckedToo() throws Exception {
        assertThat(why("::ffff:127.0.0.1")).isEqualTo("loopback");
        assertThat(why("::169.254.169.254")).isEqualTo("link-local");
        assertThat(why("64:ff9b::10.0.0.1")).isEqualTo("private");
        assertThat(why("2002:7f00:1::")).isEqualTo("loopback");
    }

    @Test
    void publicAddressesPass() throws Exception {
        assertThat(why("93.184.216.34")).isNull();
        assertThat(why("172.32.0.1")).isNull();
        assertThat(why("2606:2800:220:1:248:1893:25c8:1946")).isNull();
    }
}
