package io.tilemud.rooms;

/** PostgreSQL could not read or change rooms: nothing was committed. */
public class RoomStoreException extends RuntimeException {
    public RoomStoreException(Throwable cause) {
        super("room store unavailable: " + cause.getMessage(), cause);
    }
}
