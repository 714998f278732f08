package io.tilemud.infra;

/** The deployed functions. {@link #key()} names them in construct ids, tags and alarm names. */
public enum FunctionId {
    ADMISSION("admission"),
    SESSION_BOOTSTRAP("session-bootstrap"),
    CHARACTERS("characters"),
    ADMIN("admin"),
    OPS("ops"),
    WS_AUTHORIZER("ws-authorizer"),
    WS_CONNECT("ws-connect"),
    WS_DISCONNECT("ws-disconnect"),
    WS_INTENTS("ws-intents"),
    JANITOR("janitor");

    /** Resource tag carrying {@link #key()} on every function: cost reports and the tests find functions by it. */
    public static final String TAG = "tilemud:function";

    private final String key;

    FunctionId(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** PascalCase construct id, e.g. {@code SessionBootstrap}. */
    String constructId() {
        var id = new StringBuilder();
        for (String part : key.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }
}
