package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/** The strict reading rules every part of {@link PipelineOptions} shares. */
final class OptionsJson {

    private OptionsJson() {
    }

    /**
     * @param json an options object as read
     * @param part its path in the pipeline options ({@code ""} for the top level)
     * @param known the field names it may have
     * @throws IllegalArgumentException naming the first unknown field and the ones allowed there
     */
    static void onlyKnown(JsonObject json, String part, Set<String> known) {
        for (String name : json.fieldNames()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown pipeline option '" + path(part, name) + "'"
                    + moved(part, name) + "; " + (part.isEmpty() ? "the top level" : "'" + part + "'")
                    + " takes " + new TreeSet<>(known));
            }
        }
    }

    /** The part a field of the flat shape (before the typed parts) lives in now, as a hint. */
    private static String moved(String part, String name) {
        if (!part.isEmpty()) {
            return "";
        }
        for (String p : new String[] {StagesOptions.PART, RingsOptions.PART, ListenerOptions.PART, SinkOptions.PART,
            LockchainOptions.PART}) {
            if (fieldsOf(p).contains(name)) {
                return " (it is '" + p + "." + name + "' now)";
            }
        }
        return "";
    }

    private static Set<String> fieldsOf(String part) {
        switch (part) {
            case StagesOptions.PART: return StagesOptions.FIELDS;
            case RingsOptions.PART: return RingsOptions.FIELDS;
            case ListenerOptions.PART: return ListenerOptions.FIELDS;
            case SinkOptions.PART: return SinkOptions.FIELDS;
            default: return LockchainOptions.FIELDS;
        }
    }

    static String path(String part, String field) {
        return part.isEmpty() ? field : part + "." + field;
    }

    static JsonObject object(JsonObject json, String part, String key) {
        Object v = json.getValue(key);
        if (v != null && !(v instanceof JsonObject)) {
            throw new IllegalArgumentException("pipeline option '" + path(part, key) + "' must be an object, not " + v);
        }
        return (JsonObject) v;
    }

    static void requireRange(String part, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(path(part, field) + " " + value + " outside [" + min + ", " + max + "]");
        }
    }
}
