package dev.airlock.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The addresses an allowed request may connect to: its host's, resolved on the host with the
 * egress's resolver, each public unless the rule names the address itself or the host is {@code
 * localhost} and the answer loopback.
 */
final class CheckedAddresses {
    private CheckedAddresses() {}

    /**
     * The checked addresses of the target's host.
     *
     * @throws IllegalStateException if an address is not public and the rule does not name it
     */
    static List<InetAddress> of(Egress egress, Target t, NetRule rule) throws UnknownHostException {
        if (Hosts.isLiteral(t.host())) {
            InetAddress a = Hosts.literal(t.host());
            // the rule matched this literal exactly: it names the address
            return List.of(a);
        }
        List<InetAddress> answers = resolve(egress, t.host());
        if (answers == null || answers.isEmpty()) {
            throw new UnknownHostException(t.host());
        }
        boolean localhost =
                !rule.wildcard()
                        && (t.host().equals("localhost") || t.host().endsWith(".localhost"));
        for (InetAddress a : answers) {
            String why = Addresses.restricted(a);
            if (why != null && !(localhost && a.isLoopbackAddress())) {
                throw new IllegalStateException(
                        t.host()
                                + " resolves to "
                                + a.getHostAddress()
                                + " ("
                                + why
                                + "), which no rule names; name the address itself in a rule to reach it");
            }
        }
        return List.copyOf(answers);
    }

    private static final ExecutorService DNS =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "airlock-egress-dns");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * Looks a name up with the resolver, within the request's time: a resolver that does not answer
     * in time fails the request ("timed out resolving ..."), and a run stopped meanwhile stops
     * waiting for it.
     */
    private static List<InetAddress> resolve(Egress egress, String host)
            throws UnknownHostException {
        HostResolver resolver = egress.resolver();
        Future<List<InetAddress>> f = DNS.submit(() -> resolver.resolve(host));
        long ms = egress.limits().requestTimeout().toMillis();
        try {
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new UnknownHostException("timed out resolving " + host + " after " + ms + "ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnknownHostException("stopped while resolving " + host);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            throw new UnknownHostException(host);
        }
    }
}
