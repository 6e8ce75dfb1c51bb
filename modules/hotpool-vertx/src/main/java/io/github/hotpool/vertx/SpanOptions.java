package io.github.hotpool.vertx;

import io.vertx.core.json.JsonObject;

/**
 * Options of a {@link SpanBatcher}, in the Vert.x options shape: {@code DEFAULT_*} constants,
 * no-arg, copy and {@link JsonObject} constructors, {@link #toJson()}, fluent setters. A span is
 * sent when it holds {@code maxSpanRows} rows, or once {@code lingerMillis} passed since its first
 * row, so a trickle of rows still flows. JSON keys are the property names.
 *
 * <p>Thread-safety: a mutable value object, not thread-safe; a batcher copies it when built.
 */
public class SpanOptions {

    /** Default rows per span: 64 delta rows = 512 triples. */
    public static final int DEFAULT_MAX_SPAN_ROWS = 64;
    /** Largest span, in rows (a span never holds more rows than its ring, checked by the batcher). */
    public static final int MAX_SPAN_ROWS = 1 << 20;
    /** Default linger: a partial span is sent 1 ms after its first row (within 2 ms, see {@link SpanBatcher}). */
    public static final long DEFAULT_LINGER_MILLIS = 1;
    /** Longest linger. */
    public static final long MAX_LINGER_MILLIS = 60_000;

    private int maxSpanRows = DEFAULT_MAX_SPAN_ROWS;
    private long lingerMillis = DEFAULT_LINGER_MILLIS;

    /** Options with every default. */
    public SpanOptions() {
    }

    /** @param other options to copy */
    public SpanOptions(SpanOptions other) {
        this.maxSpanRows = other.maxSpanRows;
        this.lingerMillis = other.lingerMillis;
    }

    /**
     * Reads options from JSON; absent keys keep their defaults.
     *
     * @param json options as written by {@link #toJson()}
     * @throws IllegalArgumentException naming the key when a value is not an integer
     */
    public SpanOptions(JsonObject json) {
        this();
        long rows = longValue(json, "maxSpanRows", maxSpanRows);
        if (rows < Integer.MIN_VALUE || rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("span option 'maxSpanRows' exceeds the int range: maxSpanRows=" + rows);
        }
        maxSpanRows = (int) rows;
        lingerMillis = longValue(json, "lingerMillis", lingerMillis);
    }

    /** @return these options as JSON, readable by {@link #SpanOptions(JsonObject)} */
    public JsonObject toJson() {
        return new JsonObject().put("maxSpanRows", maxSpanRows).put("lingerMillis", lingerMillis);
    }

    /** @return rows after which a span is sent */
    public int getMaxSpanRows() {
        return maxSpanRows;
    }

    /**
     * @param maxSpanRows rows after which a span is sent, in [1, {@value #MAX_SPAN_ROWS}] and at
     *     most the ring's capacity
     * @return this
     */
    public SpanOptions setMaxSpanRows(int maxSpanRows) {
        this.maxSpanRows = maxSpanRows;
        return this;
    }

    /** @return milliseconds after its first row at which a partial span is sent */
    public long getLingerMillis() {
        return lingerMillis;
    }

    /**
     * @param lingerMillis milliseconds after its first row at which a partial span is sent, in
     *     [1, {@value #MAX_LINGER_MILLIS}]
     * @return this
     */
    public SpanOptions setLingerMillis(long lingerMillis) {
        this.lingerMillis = lingerMillis;
        return this;
    }

    /**
     * @return this, if every value is in range
     * @throws IllegalArgumentException naming the value and its limits
     */
    public SpanOptions validate() {
        if (maxSpanRows < 1 || maxSpanRows > MAX_SPAN_ROWS) {
            throw new IllegalArgumentException("maxSpanRows must be in [1, " + MAX_SPAN_ROWS + "]: " + maxSpanRows);
        }
        if (lingerMillis < 1 || lingerMillis > MAX_LINGER_MILLIS) {
            throw new IllegalArgumentException("lingerMillis must be in [1, " + MAX_LINGER_MILLIS + "]: " + lingerMillis);
        }
        return this;
    }

    private static long longValue(JsonObject json, String key, long dflt) {
        Object v = json.getValue(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
            throw new IllegalArgumentException("span option '" + key + "' must be an integer: " + key + "=" + v);
        }
        return ((Number) v).longValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanOptions && ((SpanOptions) o).maxSpanRows == maxSpanRows
            && ((SpanOptions) o).lingerMillis == lingerMillis;
    }

    @Override
    public int hashCode() {
        return 31 * maxSpanRows + Long.hashCode(lingerMillis);
    }

    @Override
    public String toString() {
        return "SpanOptions" + toJson().encode();
    }
}
