package dev.airlock.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.airlock.core.Policy;
import dev.airlock.core.mediation.Mediator;
import dev.airlock.core.net.Egress;
import dev.airlock.core.net.EgressGate;
import dev.airlock.core.net.NetLimits;
import dev.airlock.core.time.FakeTicker;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS is verified, and a server that never answers runs into the request's time limit. */
class TransportSafetyTest {
    @TempDir Path tmp;

    private static String get(Egress e, String url) {
        Policy p = Policy.builder().egress(e).build();
        Mediator m =
                new Mediator(
                        "run",
                        "sha",
                        ev -> {},
                        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                        new FakeTicker(),
                        mod -> EgressGate.MODULE.equals(mod) ? EgressGate.rules(p) : null);
        return new EgressGate(e).handle(m, "GET " + url + "\n\n");
    }

    /** A self-signed certificate for 127.0.0.1 (and no other name), in a PKCS#12 store. */
    private KeyStore selfSigned() throws Exception {
        Path ks = tmp.resolve("ks.p12");
        Process keytool =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "s",
                                "-keyalg",
                                "EC",
                                "-dname",
                                "CN=127.0.0.1",
                                "-ext",
                                "san=ip:127.0.0.1",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                ks.toString(),
                                "-storepass",
                                "secret1",
                                "-keypass",
                                "secret1")
                        .redirectErrorStream(true)
                        .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "secret1".toCharArray());
        }
        return store;
    }

    /** A local HTTPS server with {@code store}'s key that answers 200 and counts requests. */
    private static HttpsServer https(KeyStore store, int[] served) throws Exception {
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "secret1".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer server =
                HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext(
                "/",
                x -> {
                    served[0]++;
                    byte[] out = "tls ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        server.start();
        return server;
    }

    @Test
    void aServerWithAnUntrustedCertificateIsRefused() throws Exception {
        int[] served = {0};
        HttpsServer server = https(selfSigned(), served);
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
            String answer =
                    get(Egress.builder().allow(url).transport(new ApacheTransport()).build(), url);
            assertThat(answer)
                    .contains(
                            "TLS handshake with 127.0.0.1:"
                                    + server.getAddress().getPort()
                                    + " failed")
                    .doesNotContain("Exception")
                    .doesNotContain("sun.security");
            assertThat(served[0]).isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTrustedCertificateIsAcceptedForItsOwnNameOnly() throws Exception {
        KeyStore store = selfSigned();
        int[] served = {0};
        HttpsServer server = https(store, served);
        // trust exactly this certificate (the test-only constructor; no user can reach it)
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("s", store.getCertificate("s"));
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext trust = SSLContext.getInstance("TLS");
        trust.init(null, tmf.getTrustManagers(), null);
        int port = server.getAddress().getPort();
        try {
            String url = "https://127.0.0.1:" + port + "/x";
            String ok =
                    get(
                            Egress.builder()
                                    .allow("https://127.0.0.1:" + port + "/")
                                    .transport(new ApacheTransport(trust))
                                    .build(),
                            url);
            assertThat(ok).contains("\"ok\":true").contains("\"status\":200");
            assertThat(served[0]).isEqualTo(1);
            // the same trusted certificate under a name it does not carry: refused
            String other = "https://localhost:" + port + "/x";
            String refused =
                    get(
                            Egress.builder()
                                    .allow("https://localhost:" + port + "/")
                                    .resolver(
                                            h ->
                                                    java.util.List.of(
                                                            InetAddress.getByName("127.0.0.1")))
                                    .transport(new ApacheTransport(trust))
                                    .build(),
                            other);
            assertThat(refused)
                    .contains("TLS handshake with localhost:" + port + " failed")
                    .doesNotContain("Exception");
            assertThat(served[0]).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStoppedRunCancelsItsRequestAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    arrived.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    x.close();
                });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        Throwable[] thrown = {null};
        boolean[] stillInterrupted = {false};
        Thread guest =
                new Thread(
                        () -> {
                            try {
                                new ApacheTransport()
                                        .send(
                                                new dev.airlock.core.net.HttpTransport.Request(
                                                        "GET",
                                                        java.net.URI.create(
                                                                "http://127.0.0.1:"
                                                                        + server.getAddress()
                                                                                .getPort()
                                                                        + "/"),
                                                        java.util.List.of(),
                                                        new byte[0],
                                                        java.util.List.of(
                                                                InetAddress.getLoopbackAddress()),
                                                        Duration.ofMinutes(5),
                                                        1 << 20));
                            } catch (Throwable t) {
                                thrown[0] = t;
                                stillInterrupted[0] = Thread.currentThread().isInterrupted();
                            }
                        });
        try {
            guest.start();
            arrived.await();
            guest.interrupt(); // what the watchdog does to a run past its time limit
            guest.join(); // would wait out the 5-minute request without the cancel
            assertThat(thrown[0])
                    .isInstanceOf(java.io.InterruptedIOException.class)
                    .hasMessage("the request was stopped with its run");
            assertThat(stillInterrupted[0]).isTrue();
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void aServerThatNeverAnswersHitsTheRequestTimeLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                x -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    x.close();
                });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Egress e =
                    Egress.builder()
                            .allow(url)
                            .transport(new ApacheTransport())
                            .limits(NetLimits.defaults().withRequestTimeout(Duration.ofMillis(300)))
                            .build();
            assertThat(get(e, url)).contains("\"ok\":false").contains("timed out");
        } finally {
            release.countDown();
            server.stop(0);
        }
    }
}
