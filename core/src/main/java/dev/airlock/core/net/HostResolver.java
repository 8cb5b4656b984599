package dev.airlock.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves host names for network requests, on the host. The answers are checked ({@link
 * Addresses}) and then pinned: the connection goes to one of them and nothing is looked up again.
 * Tests inject their own answers.
 */
@FunctionalInterface
public interface HostResolver {
    /**
     * @param host a host name (never an address literal)
     * @return its addresses, at least one
     * @throws UnknownHostException if the name has no address
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
