package io.github.hotpool.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
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

    /** Refuses a key that appears twice in one object: Vert.x's codec would keep the last silently. */
    private static final JsonFactory STRICT = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private GuardHooks() {
    }

    /**
     * Decodes {@code {"hooks": [...]}} or a bare array of hook objects.
     *
     * @throws HookConfigException naming what is wrong when the text is not JSON of either shape
     */
    public static JsonArray decode(String json) {
        refuseDuplicateKeys(json);
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

    /**
     * One streaming pass with duplicate detection on, before the tree is built: a hook with, say,
     * {@code "predicate"} twice would otherwise run with whichever came last, which is not what its
     * author can see. Other syntax errors are left to the codec's pass, which reports them the same way.
     */
    private static void refuseDuplicateKeys(String json) {
        try (JsonParser p = STRICT.createParser(json)) {
            while (p.nextToken() != null) {
                // the parser checks each object's names as it reads them
            }
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new HookConfigException("not JSON: " + where(e));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a String source does no I/O
        }
    }

    /** Jackson's reason and where, on one line (its own message spans lines and quotes the source). */
    private static String why(DecodeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return where((JsonProcessingException) t);
            }
        }
        return String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    }

    private static String where(JsonProcessingException j) {
        JsonLocation at = j.getLocation();
        String reason = j.getOriginalMessage().replaceAll("\\s+", " ");
        return at == null ? reason : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + reason;
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
     * What the hooks compute, as a hex SHA-256 of each hook's id, name, op, term ids and k in
     * order: the same for two hook files that differ only in layout, key order or how a term is
     * spelled in JSON, different when any hook evaluates or is reported differently. A resumed
     * run compares it with the one its input was chained under.
     */
    public static String identity(List<Hook> hooks) {
        StringBuilder b = new StringBuilder();
        for (Hook h : hooks) {
            b.append(h.id()).append('\t').append(h.name()).append('\t').append(h.op()).append('\t')
                .append(Long.toHexString(h.predicate())).append('\t').append(Long.toHexString(h.subject()))
                .append('\t').append(Long.toHexString(h.object())).append('\t').append(h.k()).append('\n');
        }
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(sha.digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
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
