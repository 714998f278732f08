package io.tilemud.admission;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The admission Lua scripts, read from {@code lua/} once and run with EVALSHA; a NOSCRIPT answer (Redis restarted or
 * flushed its script cache) loads the script again and retries once. Thread-safe.
 */
@Singleton
public class RedisScripts {
    /** Script names: resource paths under {@code lua/}, without {@code .lua}. */
    public static final String ADMIT = "admission/admit";
    public static final String RELEASE = "admission/release";
    public static final String SESSION = "admission/session";
    public static final String STATUS = "admission/status";
    public static final String RATE_LIMIT = "ratelimit/failures";
    public static final String INTENT_BUCKET = "ratelimit/intent_bucket";

    /** Scripts under {@code lua/admission/} start with this prelude (lazy expiry and promotion). */
    private static final String PRELUDE = "admission/common";

    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    public String source(String name) {
        return sources.computeIfAbsent(name, n -> n.startsWith("admission/")
                ? read(PRELUDE) + "\n" + read(n)
                : read(n));
    }

    @SuppressWarnings("unchecked")
    public <T> T run(RedisCommands<String, String> redis, String name, ScriptOutputType type, List<String> keys,
                     List<String> args) {
        String[] k = keys.toArray(String[]::new);
        String[] a = args.toArray(String[]::new);
        String digest = digests.computeIfAbsent(name, n -> redis.scriptLoad(source(n)));
        try {
            return (T) redis.evalsha(digest, type, k, a);
        } catch (RedisNoScriptException flushed) {
            digest = redis.scriptLoad(source(name));
            digests.put(name, digest);
            return (T) redis.evalsha(digest, type, k, a);
        }
    }

    private static String read(String name) {
        try (InputStream in = RedisScripts.class.getResourceAsStream("/lua/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script lua/" + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
