package dev.airlock.core.event;

/** The policy's verdict on a host call. */
public enum Decision {
    ALLOW,
    DENY
}
