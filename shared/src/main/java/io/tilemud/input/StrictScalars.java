package io.tilemud.input;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.math.BigInteger;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Strict JSON scalars for every body and frame the application reads (issue 11): micronaut-serde's defaults coerce
 * ({@code 1.5} → 1, {@code true} → 1, {@code "5"} → 5 into an {@code Integer}; {@code true} → "true" into a
 * {@code String}), and serde 2.x has no coercion switch to turn that off. These {@link Primary} deserializers replace
 * the built-in ones for {@code String}, {@code Integer}, {@code Long}, {@code Boolean} and {@code UUID}, so a record declares a
 * field's type and gets exactly that JSON type or an {@link InputRejectedException}:
 * <ul>
 *   <li>integers: a JSON integer literal within the Java type's range — never a float ({@code 1.0}, {@code 1e3}), a
 *       boolean or a string, and never truncated or wrapped ({@code 2^32+1} into an {@code Integer} is refused);</li>
 *   <li>strings: a JSON string, without NUL or unpaired surrogates ({@link StorableText});</li>
 *   <li>booleans: {@code true} or {@code false} only.</li>
 * </ul>
 * Request records therefore use the boxed types ({@code Integer}, not {@code int}).
 */
@Factory
public class StrictScalars {
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @Singleton
    @Primary
    public Deserializer<String> strictString() {
        return new Deserializer<>() {
            @Override
            public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type) throws IOException {
                Object value = decoder.decodeArbitrary();
                if (!(value instanceof String text)) {
                    throw rejected(type, "must be a string", value);
                }
                var problem = StorableText.problem(text);
                if (problem.isPresent()) {
                    throw new InputRejectedException(name(type) + problem.get());
                }
                return text;
            }
        };
    }

    @Singleton
    @Primary
    public Deserializer<Integer> strictInteger() {
        return new Deserializer<>() {
            @Override
            public Integer deserialize(Decoder decoder, DecoderContext context, Argument<? super Integer> type) throws IOException {
                return (int) integer(decoder.decodeArbitrary(), type, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
        };
    }

    @Singleton
    @Primary
    public Deserializer<Long> strictLong() {
        return new Deserializer<>() {
            @Override
            public Long deserialize(Decoder decoder, DecoderContext context, Argument<? super Long> type) throws IOException {
                return integer(decoder.decodeArbitrary(), type, Long.MIN_VALUE, Long.MAX_VALUE);
            }
        };
    }

    @Singleton
    @Primary
    public Deserializer<Boolean> strictBoolean() {
        return new Deserializer<>() {
            @Override
            public Boolean deserialize(Decoder decoder, DecoderContext context, Argument<? super Boolean> type) throws IOException {
                Object value = decoder.decodeArbitrary();
                if (!(value instanceof Boolean b)) {
                    throw rejected(type, "must be true or false", value);
                }
                return b;
            }
        };
    }

    /**
     * A UUID in its canonical 36-character form only: the built-in one also took {@code ["…"]}, and
     * {@link UUID#fromString} takes {@code "1-1-1-1-1"}.
     */
    @Singleton
    @Primary
    public Deserializer<UUID> strictUuid() {
        return new Deserializer<>() {
            @Override
            public UUID deserialize(Decoder decoder, DecoderContext context, Argument<? super UUID> type) throws IOException {
                Object value = decoder.decodeArbitrary();
                if (!(value instanceof String text)) {
                    throw rejected(type, "must be a UUID string", value);
                }
                if (!CANONICAL_UUID.matcher(text).matches()) {
                    throw new InputRejectedException(name(type) + "must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
                }
                return UUID.fromString(text);
            }
        };
    }

    /** A JSON integer literal in [min, max]; floats, booleans, strings and wider values are refused, never cut. */
    static long integer(Object value, Argument<?> type, long min, long max) throws InputRejectedException {
        BigInteger n = switch (value) {
            case Integer i -> BigInteger.valueOf(i);
            case Long l -> BigInteger.valueOf(l);
            case Short s -> BigInteger.valueOf(s);
            case Byte b -> BigInteger.valueOf(b);
            case BigInteger big -> big;
            case null, default -> throw rejected(type, "must be an integer", value);
        };
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new InputRejectedException(name(type) + "must be an integer from " + min + " to " + max);
        }
        return n.longValue();
    }

    private static InputRejectedException rejected(Argument<?> type, String rule, Object value) {
        return new InputRejectedException(name(type) + rule + ", not " + kind(value));
    }

    private static String name(Argument<?> type) {
        String name = type == null ? null : type.getName();
        return name == null || name.isEmpty() || name.equals(type.getType().getSimpleName()) ? "" : name + ": ";
    }

    /** What the client sent, by JSON kind only: the value itself is not echoed (it may be huge or hostile). */
    private static String kind(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Integer i -> "an integer";
            case Long l -> "an integer";
            case BigInteger b -> "an integer";
            case Number n -> "a fractional number";
            case java.util.Map<?, ?> m -> "an object";
            case Iterable<?> l -> "an array";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
