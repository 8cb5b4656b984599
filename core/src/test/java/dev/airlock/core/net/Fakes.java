package dev.airlock.core.net;

import dev.airlock.core.Policy;
import dev.airlock.core.event.Event;
import dev.airlock.core.event.HostCallEvent;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.time.FakeTicker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A transport that records requests and answers from a script, a resolver with fixed answers. */
final class Fakes {
    final List<HttpTransport.Request> sent = new ArrayList<>();
    final Map<String, List<InetAddress>> dns = new HashMap<>();
    final List<Event> events = new ArrayList<>();
    HttpTransport.Response next =
            new HttpTransport.Response(
                    200, "OK", List.of(), "hello".getBytes(StandardCharsets.UTF_8), 40);
    Runnable during = () -> {};

    HttpTransport transport() {
        return request -> {
            sent.add(request);
            during.run();
            if (next.bytesIn() > request.maxResponseBytes()) {
                throw new HttpTransport.ResponseTooLargeException(request.maxResponseBytes());
            }
            return next;
        };
    }

    HostResolver resolver() {
        return host -> {
            List<InetAddress> a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return a;
        };
    }

    void answer(String host, String literal) throws UnknownHostException {
        dns.put(host, List.of(InetAddress.getByName(literal)));
    }

    Egress.Builder egress(String... rules) {
        Egress.Builder b = Egress.builder().transport(transport()).resolver(resolver());
        for (String r : rules) {
            b.allow(r);
        }
        return b;
    }

    Mediator mediator(Egress egress) {
        Policy policy = Policy.builder().egress(egress).build();
        return new Mediator(
                "run",
                "sha",
                events::add,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                new FakeTicker(),
                m -> EgressGate.MODULE.equals(m) ? EgressGate.rules(policy) : null);
    }

    static String wire(String method, String url, String... headers) {
        return wire(method, url, new byte[0], headers);
    }

    static String wire(String method, String url, byte[] body, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(url).append('\n');
        for (String h : headers) {
            b.append(h).append('\n');
        }
        return b.append('\n').append(Base64.getEncoder().encodeToString(body)).toString();
    }

    List<HostCallEvent> netEvents() {
        List<HostCallEvent> out = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof HostCallEvent h && h.call().startsWith(EgressGate.MODULE)) {
                out.add(h);
            }
        }
        return out;
    }
}
