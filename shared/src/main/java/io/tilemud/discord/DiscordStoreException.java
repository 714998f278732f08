package io.tilemud.discord;

/** PostgreSQL failed under a Discord table: unexpected, so an exception (a refused link is a value, not this). */
public class DiscordStoreException extends RuntimeException {
    public DiscordStoreException(Throwable cause) {
        super(cause);
    }
}
