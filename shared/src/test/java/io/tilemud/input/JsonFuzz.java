package io.tilemud.input;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Generators of hostile JSON text for the input fuzzers: any JSON value in any field (huge and fractional numbers,
 * booleans, strings with NUL, controls and lone surrogates, nested objects and arrays), fields missing or extra, and
 * text that is not JSON at all. Written as text, so numbers keep every digit and strings any escape. Shared by the
 * HTTP and the frame fuzzers through tilemud-shared's test jar.
 */
public final class JsonFuzz {
    private JsonFuzz() {
    }

    /** Integers at the edges where truncation and wrapping used to happen, and everywhere else. */
    public static Arbitrary<String> integers() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "1", "-1", "2", "-2", "2147483647", "2147483648", "-2147483649", "4294967297",
                        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551617",
                        "-0", "100000", "100001", "1" + "0".repeat(40)),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.ONE.shiftLeft(64).negate(), BigInteger.ONE.shiftLeft(70))
                        .map(BigInteger::toString));
    }

    public static Arbitrary<String> fractions() {
        return Arbitraries.oneOf(
                Arbitraries.of("1.5", "1.0", "0.0", "-0.0", "1e0", "1E3", "1e400", "-1e-400", "0.999999999999999999",
                        "2147483647.5", "9.223372036854776E18"),
                Arbitraries.doubles().filter(Double::isFinite).map(String::valueOf));
    }

    /** Raw text with what PostgreSQL and our rules care about: NUL, C0/C1 controls, DEL, lone surrogates. */
    public static Arbitrary<String> rawText() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "dev", "Aria", "world-1", "ACCEPTING", "\u0000", "a\u0000b", "\ud800", "a\udc00",
                        "\udbff\udfff", "\ud83d\ude00", "\u0007bell", "tab\t", "\u0085next", "\u007f", "\u200b",
                        "<script>", "\"quoted\"", "back\\slash", UUID.randomUUID().toString(), "x".repeat(300)),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
                Arbitraries.strings().alpha().numeric().withChars(' ', '_', '-').ofMinLength(1).ofMaxLength(30));
    }

    public static Arbitrary<String> strings() {
        return rawText().map(JsonFuzz::quote);
    }

    /** Any JSON value, nested at most {@code depth} levels. */
    public static Arbitrary<String> values(int depth) {
        Arbitrary<String> scalars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of("null", "true", "false")),
                net.jqwik.api.Tuple.of(3, integers()),
                net.jqwik.api.Tuple.of(2, fractions()),
                net.jqwik.api.Tuple.of(3, strings()));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> nested = Arbitraries.lazy(() -> values(depth - 1));
        Arbitrary<String> arrays = nested.list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> objects = Combinators.combine(rawText(), nested).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(3).map(entries -> "{" + String.join(",", entries) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalars),
                net.jqwik.api.Tuple.of(1, arrays),
                net.jqwik.api.Tuple.of(1, objects));
    }

    /** Text that is not a JSON document, or not an object. */
    public static Arbitrary<String> notJsonObjects() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "{", "}", "{\"a\":", "{\"a\" 1}", "{'a':1}", "nul", "[", "\u0000", "{\"a\":1}}",
                        "{\"a\":01}", "{\"a\":.5}", "{\"a\":NaN}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud8\"}"),
                values(1),
                Arbitraries.strings().all().ofMaxLength(30));
    }

    /**
     * A JSON object over {@code fields}: each one absent, a plausible value or any value; sometimes an extra field.
     */
    public static Arbitrary<String> objects(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<Optional<String>>> parts = new ArrayList<>();
        for (Map.Entry<String, Arbitrary<String>> field : fields.entrySet()) {
            // Mostly plausible, so a good share of inputs is accepted and the state checks see both sides.
            Arbitrary<String> value = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(6, field.getValue()),
                    net.jqwik.api.Tuple.of(2, values(2)));
            parts.add(Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(Optional.<String>empty())),
                    net.jqwik.api.Tuple.of(11, value.map(v -> Optional.of(quote(field.getKey()) + ":" + v)))));
        }
        parts.add(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Optional.<String>empty())),
                net.jqwik.api.Tuple.of(1, Combinators.combine(rawText(), values(1)).as((k, v) -> Optional.of(quote(k) + ":" + v)))));
        return Combinators.combine(parts).as(list -> {
            List<String> present = new ArrayList<>();
            list.forEach(o -> o.ifPresent(present::add));
            return "{" + String.join(",", present) + "}";
        });
    }

    /** Bodies for one endpoint: mostly objects over its fields, some not JSON at all. */
    public static Arbitrary<String> bodies(Map<String, Arbitrary<String>> fields) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, objects(fields)),
                net.jqwik.api.Tuple.of(1, notJsonObjects()));
    }

    public static Map<String, Arbitrary<String>> fields(Object... nameThenArbitrary) {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        for (int i = 0; i < nameThenArbitrary.length; i += 2) {
            @SuppressWarnings("unchecked")
            Arbitrary<String> a = (Arbitrary<String>) nameThenArbitrary[i + 1];
            fields.put((String) nameThenArbitrary[i], a);
        }
        return fields;
    }

    /** A JSON string literal; every non-printable-ASCII char escaped, so lone surrogates survive as {@code \\uXXXX}. */
    public static String quote(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 2).append('"');
        for (char c : raw.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
