package io.github.hotpool.vertx;

import io.vertx.core.json.JsonObject;

/**
 * Options of a {@link SpanBatcher}, in the Vert.x options shape: {@code DEFAULT_*} constants,
 * no-arg, copy and {@link JsonObject} constructors, {@link #toJson()}, fluent setters. A span is
 * sent when it holds {@code maxSpanRows} rows, or once {@code lingerMillis} passed since its first
 * row, so a trickle of rows still flows. JSON keys are the property names; the conversion is
 * the field table {@link #FIELDS} ({@link JsonOptions}).
 *
 * <p>Thread-safety: a mutable value object, not thread-safe; a batcher copies it when built.
 */
public final class SpanOptions extends JsonOptions {

    /** Default rows per span: 64 delta rows = 512 triples. */
    public static final int DEFAULT_MAX_SPAN_ROWS = 64;
    /** Largest span, in rows (a span never holds more rows than its ring, checked by the batcher). */
    public static final int MAX_SPAN_ROWS = 1 << 20;
    /** Default linger: a partial span is sent 1 ms after its first row (within 2 ms, see {@link SpanBatcher}). */
    public static final long DEFAULT_LINGER_MILLIS = 1;
    /** Longest linger. */
    public static final long MAX_LINGER_MILLIS = 60_000;

    /** The JSON fields, each declared once: what {@link #SpanOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<SpanOptions> FIELDS = fields("span", SpanOptions::new)
        .integer("maxSpanRows", SpanOptions::getMaxSpanRows, SpanOptions::setMaxSpanRows)
        .longInteger("lingerMillis", SpanOptions::getLingerMillis, SpanOptions::setLingerMillis)
        .build();

    private int maxSpanRows = DEFAULT_MAX_SPAN_ROWS;
    private long lingerMillis = DEFAULT_LINGER_MILLIS;

    /** Options with every default. */
    public SpanOptions() {
    }

    /** @param other options to copy */
    public SpanOptions(SpanOptions other) {
        this(other.toJson());
    }

    /**
     * Reads options from JSON, strictly ({@link JsonOptions}); absent keys keep their defaults.
     *
     * @param json options as written by {@link #toJson()}
     * @throws IllegalArgumentException naming the key of an unknown field or of a value that is not an integer
     */
    public SpanOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return these options as JSON, readable by {@link #SpanOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
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
}
