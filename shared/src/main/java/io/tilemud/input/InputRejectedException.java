package io.tilemud.input;

import io.micronaut.serde.exceptions.SerdeException;

/**
 * A well-formed JSON value of the wrong kind (a float, boolean or string where an integer belongs, a number where a
 * string belongs) or text PostgreSQL cannot store. Clients see it as non-transient {@code VALIDATION_FAILED}: sending
 * the same input again can never succeed, unlike a JSON syntax error, which is {@code BAD_REQUEST}.
 */
public final class InputRejectedException extends SerdeException {
    public InputRejectedException(String message) {
        super(message);
    }
}
