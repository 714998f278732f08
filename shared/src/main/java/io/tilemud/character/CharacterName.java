package io.tilemud.character;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Character name rules: 3–24 letters, digits, space, '_' or '-', trimmed; no control characters (C0, DEL, C1)
 * anywhere; unique per user ignoring case.
 */
public final class CharacterName {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 24;
    private static final Pattern ALLOWED = Pattern.compile("^[\\p{L}\\p{N} _-]+$");

    private CharacterName() {
    }

    /** Why {@code name} is not acceptable, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("name is required");
        }
        // Controls (C0, DEL, C1) are refused anywhere, even where strip() would have cut them off: a name is shown
        // to other players and "Aria\n" is not "Aria" by accident.
        if (name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("name must not contain control characters");
        }
        String trimmed = name.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of("name must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(trimmed).matches()) {
            return Optional.of("name may contain letters, digits, spaces, '_' and '-' only");
        }
        return Optional.empty();
    }
}
