package dev.airlock.audit.store;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The package's one Jackson mapper, made at its first use: making one costs a cold process tens of
 * ms (some 350 classes), which a run that never reads or writes JSON this way does not pay.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
}
