package dev.airlock.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files: a client that trusts the certificate talks; plain HTTP does not. */
class TlsTest {
    @Test
    void servesHttpsFromPemFiles(@TempDir Path dir) throws Exception {
        Path p12 = dir.resolve("k.p12");
        Process keytool =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                                .toString(),
                                        "-genkeypair",
                                        "-alias",
                                        "a",
                                        "-keyalg",
                                        "EC",
                                        "-groupname",
                                        "secp256r1",
                                        "-dname",
                                        "CN=localhost",
                                        "-ext",
                                        "SAN=ip:127.0.0.1,dns:localhost",
                                        "-validity",
                                        "2",
                                        "-storetype",
                                        "PKCS12",
                                        "-keystore",
                                        p12.toString(),
                                        "-storepass",
                                        "secret1"))
                        .redirectErrorStream(true)
                        .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "secret1".toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("a", "secret1".toCharArray());
        Certificate cert = ks.getCertificate("a");
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(
                certPem, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);

        try (ServerKit kit = ServerKit.start(b -> b.tls(certPem, keyPem))) {
            assertThat(kit.server.uri().getScheme()).isEqualTo("https");
            assertThat(kit.server.listeners())
                    .as("no plain HTTP listener beside HTTPS")
                    .isEqualTo(1);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("a", cert);
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r =
                    client.send(
                            HttpRequest.newBuilder(kit.uri("/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("ok");
            String plain = kit.server.uri().toString().replace("https:", "http:");
            assertThatThrownBy(
                            () ->
                                    HttpClient.newHttpClient()
                                            .send(
                                                    HttpRequest.newBuilder(
                                                                    java.net.URI.create(
                                                                            plain + "/healthz"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString())
                                            .statusCode())
                    .satisfiesAnyOf(
                            e -> assertThat(e).isInstanceOf(java.io.IOException.class),
                            e -> assertThat(e).isNotNull());
        }
    }

    @Test
    void badPemFilesFailAtStart(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "not a cert");
        Path key = Files.writeString(dir.resolve("k.pem"), "not a key");
        assertThatThrownBy(() -> ServerKit.start(b -> b.tls(cert, key)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }
}
