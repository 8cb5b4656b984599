package dev.airlock.core.mediation;

/**
 * What the policy says about one host call.
 *
 * @param allowed whether the call runs as asked
 * @param rule the deciding rule; {@code null} for a plain allow
 * @param errno for a denial, the WASI errno the guest receives; {@link #EMPTY_GRANT} when the call
 *     instead runs against an empty grant (for example an environment with no variables)
 * @param detail a short explanation for denials
 */
public record Verdict(boolean allowed, String rule, int errno, String detail) {
    /** Marks a denial that still runs the call, against nothing granted. */
    public static final int EMPTY_GRANT = -1;

    public static final Verdict ALLOW = new Verdict(true, null, 0, null);

    public static Verdict deny(String rule, int errno, String detail) {
        return new Verdict(false, rule, errno, detail);
    }

    public boolean runsAction() {
        return allowed || errno == EMPTY_GRANT;
    }
}
