package io.tilemud.character;

/** What creating a character led to: a normal "no" is a value, not an exception. */
public sealed interface CreateCharacterResult {
    record Created(PlayerCharacter character) implements CreateCharacterResult {
    }

    record InvalidName(String problem) implements CreateCharacterResult {
    }

    record NameTaken(String name) implements CreateCharacterResult {
    }
}
