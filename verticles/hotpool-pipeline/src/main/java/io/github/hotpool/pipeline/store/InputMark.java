package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Which input a run reads and how far its receipts are durable: the input's name (a file's
 * absolute path, or "stdin", "http", ...), its size and a SHA-256 of its first bytes (files
 * only; -1 and null otherwise), the byte offset and line number after the last batch whose
 * outcome is durable (everything before it is chained or was counted as failed), and whether the
 * input was read to its end. Immutable.
 */
public record InputMark(String name, long size, String headDigest, long offset, long line, boolean complete) {

    /** A new input, nothing read yet. */
    public static InputMark start(String name, long size, String headDigest) {
        return new InputMark(name, size, headDigest, 0, 0, false);
    }

    /** True when {@code other} names the same file content (name, size and head digest). */
    public boolean sameInput(InputMark other) {
        return other != null && name.equals(other.name) && size == other.size && size >= 0
            && headDigest != null && headDigest.equals(other.headDigest);
    }

    /** This mark advanced to {@code offset} and {@code line}. */
    public InputMark at(long offset, long line, boolean complete) {
        return new InputMark(name, size, headDigest, offset, line, complete);
    }

    /** This mark as JSON (round-trips through {@link #fromJson}). */
    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("size", size).put("headDigest", headDigest)
            .put("offset", offset).put("line", line).put("complete", complete);
    }

    /** A mark from {@link #toJson}'s form. */
    public static InputMark fromJson(JsonObject j) {
        return new InputMark(j.getString("name"), j.getLong("size"), j.getString("headDigest"), j.getLong("offset"),
            j.getLong("line"), j.getBoolean("complete"));
    }

    /**
     * Reads the {@code input} object of a checkpoint strictly (each field once, nothing unknown,
     * numbers never narrowed); {@code v} is the parser's current token, its start.
     *
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    static InputMark parse(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("field \"input\" is " + p.getText() + ", not an object");
        }
        String name = null;
        long size = Long.MIN_VALUE;
        String headDigest = null;
        boolean digestSeen = false;
        long offset = -1;
        long line = -1;
        Boolean complete = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = StoreVerifier.text(p, t, "input.name");
                case "size" -> size = StoreVerifier.count(p, t, "input.size", -1, Long.MAX_VALUE);
                case "headDigest" -> {
                    headDigest = t == JsonToken.VALUE_NULL ? null : StoreVerifier.text(p, t, "input.headDigest");
                    digestSeen = true;
                }
                case "offset" -> offset = StoreVerifier.count(p, t, "input.offset", 0, Long.MAX_VALUE);
                case "line" -> line = StoreVerifier.count(p, t, "input.line", 0, Long.MAX_VALUE);
                case "complete" -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw new IllegalArgumentException("field \"input.complete\" is " + p.getText()
                            + ", not true or false");
                    }
                    complete = t == JsonToken.VALUE_TRUE;
                }
                default -> throw new IllegalArgumentException("unknown field \"input." + field + "\"");
            }
        }
        if (name == null || size == Long.MIN_VALUE || !digestSeen || offset < 0 || line < 0 || complete == null) {
            throw new IllegalArgumentException("field \"input\" needs name, size, headDigest, offset, line and "
                + "complete");
        }
        return new InputMark(name, size, headDigest, offset, line, complete);
    }
}
