package io.tilemud.character;

public enum CharacterStatus {
    ACTIVE, SUSPENDED, BANNED;

    public boolean canPlay() {
        return this == ACTIVE;
    }
}
