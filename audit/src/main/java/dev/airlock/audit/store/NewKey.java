package dev.airlock.audit.store;

/**
 * A key just made: its secret is shown this once and never stored (only its SHA-256).
 *
 * @param keyId the key's public id (for lists and revocation)
 * @param secret the bearer secret
 * @param principal who the key is
 */
public record NewKey(String keyId, String secret, Principal principal) {
    @Override
    public String toString() {
        return "NewKey[" + keyId + ", " + principal + "]";
    }
}
