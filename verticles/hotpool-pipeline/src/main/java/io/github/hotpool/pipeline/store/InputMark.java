package io.github.hotpool.pipeline.store;

import io.vertx.core.json.JsonObject;

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
}
