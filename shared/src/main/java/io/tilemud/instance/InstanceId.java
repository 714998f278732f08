package io.tilemud.instance;

import java.util.regex.Pattern;

/** Instance ids are path segments and Redis key parts: a strict pattern keeps both safe (ADM-05). */
public final class InstanceId {
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    private InstanceId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
