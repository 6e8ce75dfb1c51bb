package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.JsonOptions;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.json.JsonObject;

/**
 * The rings-and-spans part of {@link PipelineOptions} (JSON key {@code rings}): the ring
 * pipeline's Δ-ring size and how its rows are grouped into spans. Neither changes a row or a
 * receipt, only memory and how often a span crosses the event bus; the handle pipeline ignores
 * both. Vert.x options shape; mutable, not thread-safe.
 */
public final class RingsOptions extends JsonOptions {

    static final String PART = "rings";

    /** The Δ-ring: 1024 rows of 8 triples, the original design's total capacity. */
    public static final int DEFAULT_RING_CAPACITY = 1024;

    /** The JSON fields, each declared once: what {@link #RingsOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<RingsOptions> FIELDS = fields("rings", RingsOptions::new)
        .integer("ringCapacity", RingsOptions::getRingCapacity, RingsOptions::setRingCapacity)
        // 0 (a fixed ring) is left out, so that a fixed ring's JSON is what it was before rings could grow
        .integer("ringMaxCapacity", o -> o.getRingMaxCapacity() == 0 ? null : o.getRingMaxCapacity(), RingsOptions::setRingMaxCapacity)
        .part("span", SpanOptions.FIELDS, RingsOptions::getSpan, RingsOptions::setSpan)
        .build();

    private int ringCapacity = DEFAULT_RING_CAPACITY;
    private int ringMaxCapacity;
    private SpanOptions span = new SpanOptions();

    /** Defaults: 1024 rows, 64-row spans, 1 ms linger. */
    public RingsOptions() {
    }

    /** A deep copy of {@code other}. */
    public RingsOptions(RingsOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the {@code rings} object; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown field or a field of the wrong type
     */
    public RingsOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return this part as JSON, readable by {@link #RingsOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    void validate() {
        if (ringCapacity < 16 || ringCapacity > 1 << 20 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("rings.ringCapacity must be a power of two in [16, 1048576]: "
                + ringCapacity);
        }
        if (ringMaxCapacity != 0 && (ringMaxCapacity < ringCapacity || ringMaxCapacity > 1 << 20
            || Integer.bitCount(ringMaxCapacity) != 1)) {
            throw new IllegalArgumentException("rings.ringMaxCapacity must be 0 or a power of two in [ringCapacity "
                + ringCapacity + ", 1048576]: " + ringMaxCapacity);
        }
        span.validate();
        if (span.getMaxSpanRows() > ringCapacity) {
            throw new IllegalArgumentException("rings.span.maxSpanRows " + span.getMaxSpanRows()
                + " exceeds rings.ringCapacity " + ringCapacity);
        }
    }

    /** @return the Δ-ring's rows (a power of two) */
    public int getRingCapacity() {
        return ringCapacity;
    }

    /**
     * @param ringCapacity the Δ-ring's rows: a power of two in [16, 1048576]; its slab is
     *     {@code ringCapacity x 192} bytes
     * @return this
     */
    public RingsOptions setRingCapacity(int ringCapacity) {
        this.ringCapacity = ringCapacity;
        return this;
    }

    /** @return the most rows the adaptive Δ-ring grows to; 0 (the default): the ring stays at ringCapacity */
    public int getRingMaxCapacity() {
        return ringMaxCapacity;
    }

    /**
     * @param ringMaxCapacity 0 for a fixed ring, or a power of two in [ringCapacity, 1048576]: the
     *     ring starts at ringCapacity, doubles when ingest finds it full and halves again after a
     *     second in which it was not needed; the rows, receipts and lockchain are the same
     * @return this
     */
    public RingsOptions setRingMaxCapacity(int ringMaxCapacity) {
        this.ringMaxCapacity = ringMaxCapacity;
        return this;
    }

    /** @return a copy of the span options */
    public SpanOptions getSpan() {
        return new SpanOptions(span);
    }

    /**
     * @param span rows per span and linger (copied); they change neither the rows nor the
     *     receipts, only how often a span crosses the event bus
     * @return this
     */
    public RingsOptions setSpan(SpanOptions span) {
        this.span = new SpanOptions(span);
        return this;
    }


}
