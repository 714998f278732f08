package io.tilemud.input;

import java.util.Optional;

/**
 * Text every store can keep as given. PostgreSQL {@code text} and {@code jsonb} refuse U+0000, and an unpaired UTF-16
 * surrogate has no UTF-8 form (the driver would silently store {@code ?}), so both are refused at the edge as bad
 * input instead of surfacing later as a database failure a client would retry.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Why {@code text} cannot be stored, or empty when it can. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("must not contain NUL (U+0000)");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("must not contain an unpaired UTF-16 surrogate");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("must not contain an unpaired UTF-16 surrogate");
            }
        }
        return Optional.empty();
    }

    /** {@code text} cut to {@code maxChars} with controls shown as {@code ?}, safe to echo in an error message. */
    public static String printable(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        text.codePoints().limit(maxChars).forEach(cp -> out.appendCodePoint(
                Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE ? '?' : cp));
        return out.toString();
    }
}
