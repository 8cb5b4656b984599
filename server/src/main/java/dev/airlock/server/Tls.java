package dev.airlock.server;

import io.javalin.config.JavalinConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** HTTPS from a PEM certificate chain and a PEM (PKCS#8) private key. */
final class Tls {
    private Tls() {}

    /**
     * Replaces the plain HTTP listener with an HTTPS one on the configured host and port.
     *
     * @throws IllegalArgumentException if the files cannot be read or do not hold a key and chain
     */
    static void configure(JavalinConfig c, ServerConfig config) {
        KeyStore ks = keyStore(config);
        c.jetty.addConnector(
                (server, http) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(ks);
                    ssl.setKeyStorePassword("");
                    HttpConfiguration https = new HttpConfiguration(http);
                    SecureRequestCustomizer src = new SecureRequestCustomizer();
                    src.setSniHostCheck(false);
                    https.addCustomizer(src);
                    ServerConnector connector =
                            new ServerConnector(server, ssl, new HttpConnectionFactory(https));
                    connector.setHost(config.host());
                    connector.setPort(config.port());
                    return connector;
                });
    }

    static KeyStore keyStore(ServerConfig config) {
        try {
            String certPem = Files.readString(config.tlsCert(), StandardCharsets.US_ASCII);
            String keyPem = Files.readString(config.tlsKey(), StandardCharsets.US_ASCII);
            Collection<? extends Certificate> chain =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(
                                    new ByteArrayInputStream(
                                            certPem.getBytes(StandardCharsets.US_ASCII)));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + config.tlsCert());
            }
            PrivateKey key = privateKey(keyPem);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("airlock", key, new char[0], chain.toArray(new Certificate[0]));
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String begin = "-----BEGIN PRIVATE KEY-----";
        int a = pem.indexOf(begin);
        int b = pem.indexOf("-----END PRIVATE KEY-----");
        if (a < 0 || b < a) {
            throw new IllegalArgumentException(
                    "the TLS key must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(a + begin.length(), b));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("unsupported TLS private key algorithm");
    }
}
