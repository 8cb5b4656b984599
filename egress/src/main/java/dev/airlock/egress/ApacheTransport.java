package dev.airlock.egress;

import dev.airlock.core.net.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The host side of network egress on Apache HttpClient 5: a fresh client and connection per
 * request, connecting only to the addresses the gate resolved and checked (its DNS resolver answers
 * with them and nothing else, so the name is never looked up again), TLS verified against the JVM's
 * trust store with host name checks, no redirects followed, no retries, no cookies, no proxy, no
 * content decoding; the whole request bounded by its timeout and the response by its byte limit.
 * Stateless and thread-safe.
 */
public final class ApacheTransport implements HttpTransport {
    /** The trust of TLS connections: null for the JVM's trust store (every public use). */
    private final javax.net.ssl.SSLContext trust;

    /** A transport that trusts the JVM's trust store, as every user of Airlock gets. */
    public ApacheTransport() {
        this(null);
    }

    /**
     * A transport that trusts what {@code trust} trusts (host names still verified): for this
     * package's tests of TLS against a local server only. Package-private on purpose, so neither
     * the command line nor the HTTP API can reach it.
     */
    ApacheTransport(javax.net.ssl.SSLContext trust) {
        this.trust = trust;
    }

    private static final ScheduledExecutorService DEADLINES =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "airlock-egress-deadline");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * Sends the request on a thread of its own, so that an interrupt of the caller (a run stopped
     * by its time limit) cancels it at once instead of waiting for the request's own deadline.
     */
    @Override
    public Response send(Request request) throws IOException {
        AtomicReference<HttpUriRequestBase> handle = new AtomicReference<>();
        FutureTask<Response> task = new FutureTask<>(() -> exchange(request, handle));
        Thread t = new Thread(task, "airlock-egress-request");
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            HttpUriRequestBase http = handle.get();
            if (http != null) {
                http.cancel();
            }
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the request was stopped with its run");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("request failed");
        }
    }

    private Response exchange(Request request, AtomicReference<HttpUriRequestBase> handle)
            throws IOException {
        String host = request.uri().getHost();
        List<InetAddress> pinned = List.copyOf(request.addresses());
        DnsResolver dns =
                new DnsResolver() {
                    @Override
                    public InetAddress[] resolve(String name) throws UnknownHostException {
                        if (!sameHost(name, host)) {
                            throw new UnknownHostException("not the request's host");
                        }
                        return pinned.toArray(new InetAddress[0]);
                    }

                    @Override
                    public String resolveCanonicalHostname(String name) {
                        return name;
                    }
                };
        Timeout timeout = Timeout.of(request.timeout());
        PoolingHttpClientConnectionManager cm =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(dns)
                        .setTlsSocketStrategy(
                                trust == null
                                        ? DefaultClientTlsStrategy.createDefault()
                                        : new DefaultClientTlsStrategy(trust))
                        .setDefaultConnectionConfig(
                                ConnectionConfig.custom()
                                        .setConnectTimeout(timeout)
                                        .setSocketTimeout(timeout)
                                        .build())
                        .build();
        HttpUriRequestBase http = new HttpUriRequestBase(request.method(), request.uri());
        handle.set(http);
        for (org.apache.hc.core5.http.Header h : headers(request)) {
            http.addHeader(h);
        }
        if (request.body().length > 0 || needsBody(request.method())) {
            http.setEntity(new ByteArrayEntity(request.body(), null));
        }
        long deadline = System.nanoTime() + request.timeout().toNanos();
        ScheduledFuture<?> abort =
                DEADLINES.schedule(
                        () -> http.cancel(), request.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpClient client =
                HttpClients.custom()
                        .setConnectionManager(cm)
                        .disableRedirectHandling()
                        .disableAutomaticRetries()
                        .disableCookieManagement()
                        .disableAuthCaching()
                        .disableContentCompression()
                        .disableConnectionState()
                        .setDefaultRequestConfig(
                                RequestConfig.custom()
                                        .setResponseTimeout(timeout)
                                        .setConnectionRequestTimeout(timeout)
                                        // no "Upgrade: TLS/1.2" on plain http requests
                                        .setProtocolUpgradeEnabled(false)
                                        .build())
                        .build()) {
            try (ClassicHttpResponse r = client.executeOpen(null, http, null)) {
                long headerBytes = 16 + r.getReasonPhrase().length();
                List<HttpTransport.Header> out = new ArrayList<>();
                for (org.apache.hc.core5.http.Header h : r.getHeaders()) {
                    headerBytes += h.getName().length() + h.getValue().length() + 4;
                    out.add(new HttpTransport.Header(h.getName(), h.getValue()));
                }
                if (headerBytes > request.maxResponseBytes()) {
                    throw new ResponseTooLargeException(request.maxResponseBytes());
                }
                byte[] body =
                        read(r.getEntity(), request.maxResponseBytes() - headerBytes, deadline);
                return new Response(
                        r.getCode(),
                        r.getReasonPhrase() == null ? "" : r.getReasonPhrase(),
                        out,
                        body,
                        headerBytes + body.length);
            }
        } catch (ResponseTooLargeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a cancelled request can also end in the library's IllegalStateException
            if (System.nanoTime() - deadline >= 0 || http.isCancelled()) {
                throw new IOException("timed out after " + request.timeout().toMillis() + "ms");
            }
            throw new IOException(message(e, request));
        } finally {
            abort.cancel(false);
        }
    }

    private static List<org.apache.hc.core5.http.Header> headers(Request request) {
        List<org.apache.hc.core5.http.Header> out = new ArrayList<>();
        for (HttpTransport.Header h : request.headers()) {
            out.add(new org.apache.hc.core5.http.message.BasicHeader(h.name(), h.value()));
        }
        return out;
    }

    private static boolean needsBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static boolean sameHost(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        String y = b.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        return x.equals(y);
    }

    private static byte[] read(HttpEntity entity, long max, long deadline) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = entity.getContent()) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (out.size() + (long) n > max) {
                    throw new ResponseTooLargeException(max);
                }
                out.write(buf, 0, n);
                if (System.nanoTime() - deadline >= 0) {
                    throw new InterruptedIOException("deadline");
                }
            }
        }
        return out.toByteArray();
    }

    /** A message for the guest: what failed, never a Java class name. */
    static String message(Exception e, Request r) {
        String where = r.uri().getHost() + ":" + port(r);
        if (e instanceof ConnectTimeoutException || e instanceof SocketTimeoutException) {
            return "timed out connecting to or reading from " + where;
        }
        if (e instanceof HttpHostConnectException
                || e instanceof ConnectException
                || e instanceof NoRouteToHostException) {
            return "connection refused by " + where;
        }
        if (e instanceof SSLException) {
            return "TLS handshake with " + where + " failed (certificate not trusted or invalid)";
        }
        if (e instanceof UnknownHostException) {
            return "cannot resolve " + r.uri().getHost();
        }
        if (e instanceof org.apache.hc.core5.http.NoHttpResponseException) {
            return where + " closed the connection without a response";
        }
        return "request to " + where + " failed (malformed response or connection reset)";
    }

    private static int port(Request r) {
        int p = r.uri().getPort();
        return p > 0 ? p : "https".equals(r.uri().getScheme()) ? 443 : 80;
    }
}
