package dev.airlock.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The redactor hides credentials and lets paths and words pass; it searches its patterns rather
 * than matching {@code .*(pattern).*}, and decides exactly as that form did.
 */
class RedactorTest {
    /** The patterns as they were first written, matched against the whole value. */
    private static final Pattern OLD_NAME =
            Pattern.compile(
                    "(?i).*(secret|token|passw|passphrase|api[_-]?key|auth|credential|private[_-]?key|session[_-]?id|cookie).*");

    private static final Pattern OLD_FORMATS =
            Pattern.compile(
                    "(?s).*("
                            + "\\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}"
                            + "|\\bAKIA[0-9A-Z]{16}\\b"
                            + "|\\bgh[pousr]_[A-Za-z0-9]{20,}"
                            + "|\\bxox[abprs]-[A-Za-z0-9-]{10,}"
                            + "|\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\."
                            + "|-----BEGIN [A-Z ]*PRIVATE KEY-----"
                            + "|(?i:(password|passwd|secret|token|api[_-]?key)\\s*[=:]\\s*\\S+)"
                            + ").*");
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9+_=.-]{32,}");

    private static boolean oldIsSecret(String name, String value) {
        if (name != null && OLD_NAME.matcher(name).matches()) {
            return true;
        }
        if (OLD_FORMATS.matcher(value).matches()) {
            return true;
        }
        return OPAQUE.matcher(value).matches()
                && value.chars().anyMatch(Character::isDigit)
                && value.chars().anyMatch(Character::isLetter);
    }

    private static final List<String> FRAGMENTS =
            List.of(
                    "sk-",
                    "pk-",
                    "AKIA",
                    "ghp_",
                    "gho_",
                    "xoxb-",
                    "eyJ",
                    ".eyJ",
                    "password=",
                    "api_key: ",
                    "TOKEN =",
                    "-----BEGIN RSA PRIVATE KEY-----",
                    "-----BEGIN PRIVATE KEY-----",
                    "/",
                    " ",
                    "\n",
                    "é");
    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+./: \n";

    private static String random(Random r) {
        StringBuilder b = new StringBuilder();
        int parts = r.nextInt(6);
        for (int i = 0; i < parts; i++) {
            if (r.nextInt(3) == 0) {
                b.append(FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
            }
            int run = r.nextInt(r.nextInt(4) == 0 ? 48 : 12);
            boolean upperDigits = r.nextBoolean();
            for (int j = 0; j < run; j++) {
                b.append(
                        upperDigits
                                ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(r.nextInt(36))
                                : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            }
        }
        return b.toString();
    }

    @Test
    void decidesAsTheWholeValueMatchDid() {
        Random r = new Random(42);
        List<String> names =
                List.of("path", "fd", "name", "api_key", "AuthHeader", "x-session-id", "value");
        int secrets = 0;
        for (int i = 0; i < 30_000; i++) {
            String v = random(r);
            String name = names.get(r.nextInt(names.size()));
            boolean want = oldIsSecret(name, v);
            assertThat(Redactor.isSecret(name, v)).as("%s=%s", name, v).isEqualTo(want);
            assertThat(Redactor.looksSecret(v)).as(v).isEqualTo(oldIsSecret(null, v));
            secrets += want ? 1 : 0;
        }
        // the corpus holds both kinds
        assertThat(secrets).isBetween(3_000, 27_000);
    }

    @Test
    void credentialsAreHiddenPathsAndWordsPass() {
        assertThat(Redactor.redact("path", "/data/data.bin")).isEqualTo("/data/data.bin");
        assertThat(Redactor.redact("path", "/usr/lib/python3.12/encodings/__init__.py"))
                .isEqualTo("/usr/lib/python3.12/encodings/__init__.py");
        assertThat(Redactor.redact("text", "hello world")).isEqualTo("hello world");
        assertThat(Redactor.redact("text", "key sk-abcdefghijklmnop1234 here"))
                .isEqualTo(Redactor.REDACTED);
        assertThat(Redactor.redact("env", "AWS=AKIAABCDEFGHIJKLMNOP")).isEqualTo(Redactor.REDACTED);
        assertThat(Redactor.redact("text", "line one\npassword = hunter2"))
                .isEqualTo(Redactor.REDACTED);
        assertThat(Redactor.redact("token", "anything")).isEqualTo(Redactor.REDACTED);
        assertThat(Redactor.redact("x", "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7"))
                .isEqualTo(Redactor.REDACTED);
        assertThat(Redactor.redact("x", 42)).isEqualTo(42);
    }
}
