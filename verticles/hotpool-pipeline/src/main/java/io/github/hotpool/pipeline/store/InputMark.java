package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Which input a run reads and how far its receipts are durable: the input's name (a file's
 * absolute path, or "stdin", "http", ...), its size and a SHA-256 of its first bytes (files
 * only; -1 and null otherwise), the byte offset and line number after the last batch whose
 * outcome is durable (everything before it is chained or was counted as failed), whether the
 * input was read to its end, and an identity of the hooks it is chained under ({@code hooks}: null
 * when not recorded, as in checkpoints written before the field existed). Immutable.
 */
public record InputMark(String name, long size, String headDigest, long offset, long line, boolean complete,
                        String hooks) {

    /** A mark that records no hooks identity. */
    public InputMark(String name, long size, String headDigest, long offset, long line, boolean complete) {
        this(name, size, headDigest, offset, line, complete, null);
    }

    /** A new input, nothing read yet. */
    public static InputMark start(String name, long size, String headDigest) {
        return new InputMark(name, size, headDigest, 0, 0, false, null);
    }

    /**
     * This mark chained under the hooks {@code hooks} identifies (for example
     * {@code GuardHooks.identity}); a resume compares it with the hooks it is given.
     */
    public InputMark withHooks(String hooks) {
        return new InputMark(name, size, headDigest, offset, line, complete, hooks);
    }

    /**
     * True when this mark and {@code other} both record a hooks identity and the two differ; false
     * when they agree or either records none.
     */
    public boolean otherHooksThan(InputMark other) {
        return other != null && hooks != null && other.hooks != null && !hooks.equals(other.hooks);
    }

    /** True when {@code other} names the same file content (name, size and head digest). */
    public boolean sameInput(InputMark other) {
        return other != null && name.equals(other.name) && size == other.size && size >= 0
            && headDigest != null && headDigest.equals(other.headDigest);
    }

    /** This mark advanced to {@code offset} and {@code line}. */
    public InputMark at(long offset, long line, boolean complete) {
        return new InputMark(name, size, headDigest, offset, line, complete, hooks);
    }

    /** This mark as JSON (round-trips through {@link #fromJson}). */
    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("name", name).put("size", size).put("headDigest", headDigest)
            .put("offset", offset).put("line", line).put("complete", complete);
        return hooks == null ? j : j.put("hooks", hooks);
    }

    /** A mark from {@link #toJson}'s form. */
    public static InputMark fromJson(JsonObject j) {
        return new InputMark(j.getString("name"), j.getLong("size"), j.getString("headDigest"), j.getLong("offset"),
            j.getLong("line"), j.getBoolean("complete"), j.getString("hooks"));
    }

    /**
     * Reads the {@code input} object of a checkpoint strictly (each field once, nothing unknown,
     * numbers never narrowed); {@code start} is the parser's current token, its start.
     *
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    static InputMark parse(JsonParser parser, JsonToken start) throws IOException {
        var f = new Object() {
            String name;
            long size = Long.MIN_VALUE;
            String headDigest;
            boolean digestSeen;
            long offset = -1;
            long line = -1;
            Boolean complete;
            String hooks;
        };
        StrictJson.object(parser, start, "input", (name, p, v) -> {
            switch (name) {
                case "input.name" -> f.name = StrictJson.text(p, v, name);
                case "input.size" -> f.size = StrictJson.integer(p, v, name, -1, Long.MAX_VALUE);
                case "input.headDigest" -> {
                    f.headDigest = StrictJson.textOrNull(p, v, name);
                    f.digestSeen = true;
                }
                case "input.offset" -> f.offset = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE);
                case "input.line" -> f.line = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE);
                case "input.complete" -> f.complete = StrictJson.bool(p, v, name);
                case "input.hooks" -> f.hooks = StrictJson.text(p, v, name);
                default -> throw StrictJson.unknown(name);
            }
        });
        if (f.name == null || f.size == Long.MIN_VALUE || !f.digestSeen || f.offset < 0 || f.line < 0
            || f.complete == null) {
            throw new IllegalArgumentException("field \"input\" needs name, size, headDigest, offset, line and "
                + "complete");
        }
        return new InputMark(f.name, f.size, f.headDigest, f.offset, f.line, f.complete, f.hooks);
    }
}
