package dev.airlock.audit.store;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * First uses of what opening a SQLite store and signing its audit trail need, made ahead of time:
 * the security providers' SHA-256 and Ed25519 (their lookup loads every provider listed before
 * SunEC), the SQLite driver's connection settings (which load the locale's calendar data) and the
 * identity of the driver's jar that {@link SqliteNative} names its cached library after. A short
 * CLI run spent about a fifth of its main thread on these, each run by the JVM's bytecode
 * interpreter for the first time; the CLI calls {@link #run} on a background thread while it parses
 * its command line, and whichever thread comes second to a class being initialised waits for the
 * first. Nothing is opened, written, registered or kept.
 */
public final class StoreWarmUp {
    /** RFC 8032's first test public key, X.509-encoded: any valid Ed25519 key would do. */
    static final byte[] SOME_PUBLIC_KEY =
            HexFormat.of()
                    .parseHex(
                            "302a300506032b6570032100"
                                    + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    private StoreWarmUp() {}

    /** Makes those first uses on the calling thread. Never throws. */
    public static void run() {
        try {
            // in the order a run makes them: the library's place, the keys, the connection
            SqliteNative.identity();
            KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(SOME_PUBLIC_KEY));
            Db.sqliteSettings();
            MessageDigest.getInstance("SHA-256").digest(SOME_PUBLIC_KEY);
            Signature.getInstance("Ed25519");
        } catch (GeneralSecurityException
                | java.io.IOException
                | RuntimeException
                | LinkageError e) {
            // the real first use reports its own failure
        }
    }
}
