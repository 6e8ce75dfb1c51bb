package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;

/**
 * The sinks part of {@link PipelineOptions} (JSON key {@code sinks}): where receipts go besides
 * the receipt store — an event-bus address and an http(s) webhook — and how the webhook retries.
 * Both are off by default. Vert.x options shape; mutable, not thread-safe.
 */
public final class SinkOptions extends JsonOptions {

    static final String PART = "sinks";

    public static final int DEFAULT_WEBHOOK_MAX_RETRIES = 3;
    public static final long DEFAULT_WEBHOOK_BACKOFF_MILLIS = 100;
    public static final int DEFAULT_WEBHOOK_MAX_IN_FLIGHT = 64;
    /** One webhook attempt, connect to last byte of the answer. */
    public static final long DEFAULT_WEBHOOK_TIMEOUT_MILLIS = 10_000;

    /** The JSON fields, each declared once: what {@link #SinkOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<SinkOptions> FIELDS = fields("sinks", SinkOptions::new)
        .integer("webhookMaxRetries", SinkOptions::getWebhookMaxRetries, SinkOptions::setWebhookMaxRetries)
        .longInteger("webhookBackoffMillis", SinkOptions::getWebhookBackoffMillis, SinkOptions::setWebhookBackoffMillis)
        .integer("webhookMaxInFlight", SinkOptions::getWebhookMaxInFlight, SinkOptions::setWebhookMaxInFlight)
        .longInteger("webhookTimeoutMillis", SinkOptions::getWebhookTimeoutMillis, SinkOptions::setWebhookTimeoutMillis)
        .string("eventBusSink", SinkOptions::getEventBusSink, SinkOptions::setEventBusSink)
        .string("webhookUrl", SinkOptions::getWebhookUrl, SinkOptions::setWebhookUrl)
        .build();

    private String eventBusSink;
    private String webhookUrl;
    private int webhookMaxRetries = DEFAULT_WEBHOOK_MAX_RETRIES;
    private long webhookBackoffMillis = DEFAULT_WEBHOOK_BACKOFF_MILLIS;
    private int webhookMaxInFlight = DEFAULT_WEBHOOK_MAX_IN_FLIGHT;
    private long webhookTimeoutMillis = DEFAULT_WEBHOOK_TIMEOUT_MILLIS;

    /** Defaults: no sink. */
    public SinkOptions() {
    }

    /** A copy of {@code other}. */
    public SinkOptions(SinkOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the {@code sinks} object; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown field or a value of the wrong type
     */
    public SinkOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /**
     * @return this part as JSON, readable by {@link #SinkOptions(JsonObject)}; it holds
     *     {@code webhookUrl} as set, credentials included, unlike {@link #toString()}
     */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    /** @return {@link #toJson()} with the webhook URL's credentials masked: safe to log */
    JsonObject toRedactedJson() {
        JsonObject json = toJson();
        if (webhookUrl != null) {
            json.put("webhookUrl", WebhookSink.redact(webhookUrl));
        }
        return json;
    }

    void validate() {
        requireRange(PART, "webhookMaxRetries", webhookMaxRetries, 0, 100);
        requireRange(PART, "webhookBackoffMillis", webhookBackoffMillis, 1, 600_000);
        requireRange(PART, "webhookMaxInFlight", webhookMaxInFlight, 1, 1 << 16);
        requireRange(PART, "webhookTimeoutMillis", webhookTimeoutMillis, 1, 600_000);
        if (webhookUrl != null) {
            String bad = WebhookSink.checkUrl(webhookUrl);
            if (bad != null) {
                throw new IllegalArgumentException("sinks.webhookUrl " + WebhookSink.redact(webhookUrl) + ": " + bad);
            }
        }
    }

    public String getEventBusSink() {
        return eventBusSink;
    }

    /** Sets an event-bus address that receives every receipt as a JsonObject (null: none). */
    public SinkOptions setEventBusSink(String eventBusSink) {
        this.eventBusSink = eventBusSink;
        return this;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    /**
     * Sets an http(s) URL that receives each batch's receipts as a JSON array by POST (null: none).
     * Userinfo in it is sent as Basic authorization. Messages and {@link #toString()} show it with
     * userinfo and credential-like query parameters (token, key, secret, password, auth, sig...)
     * masked; a secret in the path is not recognised, so keep credentials out of the path.
     */
    public SinkOptions setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        return this;
    }

    public int getWebhookMaxRetries() {
        return webhookMaxRetries;
    }

    /** Sets how many times a failed post is retried (0: never). */
    public SinkOptions setWebhookMaxRetries(int webhookMaxRetries) {
        this.webhookMaxRetries = webhookMaxRetries;
        return this;
    }

    public long getWebhookBackoffMillis() {
        return webhookBackoffMillis;
    }

    /**
     * Sets the first retry delay; each further retry doubles it, and each actual delay is drawn
     * uniformly from [half, all] of that (jitter).
     */
    public SinkOptions setWebhookBackoffMillis(long webhookBackoffMillis) {
        this.webhookBackoffMillis = webhookBackoffMillis;
        return this;
    }

    public int getWebhookMaxInFlight() {
        return webhookMaxInFlight;
    }

    /**
     * Sets how many webhook posts may be pending (first attempt to final outcome, retry waits
     * included); a post beyond it is dropped, counted in {@link PipelineStats#webhookDropped()} and
     * {@link PipelineStats#sinkFailures()}, and reported. Emit never waits for the webhook.
     */
    public SinkOptions setWebhookMaxInFlight(int webhookMaxInFlight) {
        this.webhookMaxInFlight = webhookMaxInFlight;
        return this;
    }

    public long getWebhookTimeoutMillis() {
        return webhookTimeoutMillis;
    }

    /**
     * Sets how long one webhook attempt may take, from connecting to the last byte of the answer;
     * then the request is reset and the attempt counts as failed (retried like a 5xx).
     */
    public SinkOptions setWebhookTimeoutMillis(long webhookTimeoutMillis) {
        this.webhookTimeoutMillis = webhookTimeoutMillis;
        return this;
    }


    /** The part as JSON, with {@code webhookUrl} redacted: safe to log. */
    @Override
    public String toString() {
        return toRedactedJson().encode();
    }
}
