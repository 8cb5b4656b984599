package dev.airlock.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key pair that signs audit checkpoints (the JDK's own implementation). It lives in the
 * data folder as {@code audit-key.pk8} (owner-only) and {@code audit-key.pub}; the key id is the
 * first 16 hex digits of the SHA-256 of the public key.
 */
public final class AuditKeys {
    static final String PRIVATE_FILE = "audit-key.pk8";
    static final String PUBLIC_FILE = "audit-key.pub";

    private final PublicKey publicKey;
    private final PrivateKey privateKey;
    private final String keyId;

    private AuditKeys(PublicKey publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.keyId = keyId(publicKey);
    }

    /**
     * Loads the key pair from {@code dir}, creating it (and the folder) on first use.
     *
     * @throws IOException if the folder or the keys cannot be read or written
     */
    public static AuditKeys loadOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        if (Files.exists(priv, LinkOption.NOFOLLOW_LINKS)) {
            return new AuditKeys(readPublic(pub), readPrivate(priv));
        }
        return generate(dir, priv, pub);
    }

    /**
     * Creates a new key pair named {@code name} in {@code dir} ({@code NAME.pk8}, owner-only, and
     * {@code NAME.pub}), as for the audit key; used for other signing keys, such as skill
     * publishers'.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a key of that name exists
     * @throws IOException if the folder or the keys cannot be written
     */
    public static AuditKeys create(Path dir, String name) throws IOException {
        Path priv = dir.resolve(name + ".pk8");
        Path pub = dir.resolve(name + ".pub");
        if (Files.exists(priv, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(pub, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(priv.toString());
        }
        return generate(dir, priv, pub);
    }

    /**
     * Loads the key pair named {@code name} from {@code dir} (made by {@link #create}).
     *
     * @throws IOException if it is missing or unreadable
     */
    public static AuditKeys load(Path dir, String name) throws IOException {
        return new AuditKeys(
                readPublic(dir.resolve(name + ".pub")), readPrivate(dir.resolve(name + ".pk8")));
    }

    private static AuditKeys generate(Path dir, Path priv, Path pub) throws IOException {
        Files.createDirectories(dir);
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path tmp = Files.createTempFile(dir, "key-", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
            Files.writeString(
                    tmp, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()) + "\n");
            Files.writeString(pub, encodePublic(kp.getPublic()) + "\n");
            Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
            return new AuditKeys(kp.getPublic(), kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("Ed25519 unavailable in this JDK", e);
        }
    }

    /**
     * Reads a public key file as written next to a key pair (base64 of its X.509 encoding).
     *
     * @throws IOException if it is missing or not an Ed25519 public key
     */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return readPublic(file);
    }

    /** The base64 X.509 encoding of a public key, the content of a {@code .pub} file. */
    public static String encodePublic(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Decodes {@link #encodePublic}'s form.
     *
     * @throws IllegalArgumentException if it is not an Ed25519 public key
     */
    public static PublicKey decodePublic(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64.trim());
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    /** The full hex SHA-256 of a public key's encoding; its {@link #keyId} is the first 16. */
    public static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Loads only the public key, for verification.
     *
     * @throws IOException if it is missing or unreadable
     */
    public static PublicKey loadPublic(Path dir) throws IOException {
        return readPublic(dir.resolve(PUBLIC_FILE));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    /** Signs {@code message}; returns base64. */
    public String sign(String message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    /** Checks a base64 signature of {@code message}. */
    public static boolean verify(PublicKey key, String message, String signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static String keyId(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey readPublic(Path p) throws IOException {
        try {
            byte[] der = Base64.getDecoder().decode(Files.readString(p).trim());
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable public key " + p + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPrivate(Path p) throws IOException {
        try {
            byte[] der = Base64.getDecoder().decode(Files.readString(p).trim());
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable private key " + p + ": " + e.getMessage(), e);
        }
    }
}
