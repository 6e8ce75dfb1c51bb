package io.github.hotpool.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookConfig;
import io.github.hotpool.triples.HookConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hook definitions between their JSON text and {@link Hook}s: the text is decoded once, by
 * Vert.x's Jackson codec, into the {@link JsonArray} that {@link PipelineOptions#setHooks} takes;
 * the array becomes hooks through {@link HookConfig#fromList}, which validates them (the triples
 * module has no JSON parser of its own). Stateless, thread-safe, cold path. Format: docs/hooks.md.
 */
public final class GuardHooks {

    private GuardHooks() {
    }

    /**
     * Decodes {@code {"hooks": [...]}} or a bare array of hook objects.
     *
     * @throws HookConfigException naming what is wrong when the text is not JSON of either shape
     */
    public static JsonArray decode(String json) {
        Object root;
        try {
            root = Json.decodeValue(json);
        } catch (DecodeException e) {
            throw new HookConfigException("not JSON: " + why(e));
        }
        if (root instanceof JsonObject) {
            JsonObject o = (JsonObject) root;
            if (o.size() == 1 && o.getValue("hooks") instanceof JsonArray) {
                return o.getJsonArray("hooks");
            }
        } else if (root instanceof JsonArray) {
            return (JsonArray) root;
        }
        throw new HookConfigException("expected {\"hooks\": [...]} or an array of hooks");
    }

    /** Jackson's reason and where, on one line (its own message spans lines and quotes the source). */
    private static String why(DecodeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                JsonProcessingException j = (JsonProcessingException) t;
                JsonLocation at = j.getLocation();
                String reason = j.getOriginalMessage().replaceAll("\\s+", " ");
                return at == null ? reason : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
            }
        }
        return String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    }

    /**
     * The hooks {@code hooks} defines, ids 1, 2, 3... in order.
     *
     * @throws HookConfigException naming the hook and the field that is wrong
     */
    public static List<Hook> parse(JsonArray hooks) {
        return HookConfig.fromList((List<?>) plain(hooks));
    }

    /**
     * The tree as plain maps, lists, strings and numbers (integers as {@link Long} or
     * {@link BigInteger}, other numbers as {@link BigDecimal}), the shapes {@link HookConfig} reads.
     */
    static Object plain(Object v) {
        if (v instanceof JsonObject) {
            return plain(((JsonObject) v).getMap());
        }
        if (v instanceof JsonArray) {
            return plain(((JsonArray) v).getList());
        }
        if (v instanceof Map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> m.put(k, plain(x)));
            return m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object x : (List<?>) v) {
                l.add(plain(x));
            }
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            return new BigDecimal(v.toString());
        }
        return v; // String, Boolean, Long, BigInteger, BigDecimal, null; a non-finite double stays (refused as k)
    }
}
