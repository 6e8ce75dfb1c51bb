package io.github.hotpool.pipeline;

import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The ingest-listeners part of {@link PipelineOptions} (JSON key {@code listeners}): the HTTP and
 * TCP endpoints that take N-Triples from the network, and the limits that keep a connection from
 * holding buffers or receipts forever. Both listeners are off by default. Vert.x options shape;
 * mutable, not thread-safe.
 */
public final class ListenerOptions extends JsonOptions {

    static final String PART = "listeners";

    public static final int DEFAULT_PORT = -1;
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** An HTTP or TCP connection that sends nothing for 30 s is closed. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 30_000;
    /** Open HTTP and TCP connections, both listeners and every Ingest instance together. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** A partial batch of an HTTP or TCP input is dispatched once it is 5 ms old. */
    public static final long DEFAULT_BATCH_LINGER_MILLIS = 5;

    /** The JSON fields, each declared once: what {@link #ListenerOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<ListenerOptions> FIELDS = fields("listeners", ListenerOptions::new)
        .string("host", ListenerOptions::getHost, ListenerOptions::setHost)
        .integer("httpPort", ListenerOptions::getHttpPort, ListenerOptions::setHttpPort)
        .integer("tcpPort", ListenerOptions::getTcpPort, ListenerOptions::setTcpPort)
        .longInteger("idleTimeoutMillis", ListenerOptions::getIdleTimeoutMillis, ListenerOptions::setIdleTimeoutMillis)
        .integer("maxConnections", ListenerOptions::getMaxConnections, ListenerOptions::setMaxConnections)
        .longInteger("batchLingerMillis", ListenerOptions::getBatchLingerMillis, ListenerOptions::setBatchLingerMillis)
        .build();

    private String host = DEFAULT_HOST;
    private int httpPort = DEFAULT_PORT;
    private int tcpPort = DEFAULT_PORT;
    private long idleTimeoutMillis = DEFAULT_IDLE_TIMEOUT_MILLIS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private long batchLingerMillis = DEFAULT_BATCH_LINGER_MILLIS;

    /** Defaults: no listener, 127.0.0.1, 30 s idle timeout, 256 connections, 5 ms linger. */
    public ListenerOptions() {
    }

    /** A copy of {@code other}. */
    public ListenerOptions(ListenerOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the {@code listeners} object; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown field or a value of the wrong type
     */
    public ListenerOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return this part as JSON, readable by {@link #ListenerOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    void validate() {
        requireRange(PART, "httpPort", httpPort, -1, 65535);
        requireRange(PART, "tcpPort", tcpPort, -1, 65535);
        requireRange(PART, "idleTimeoutMillis", idleTimeoutMillis, 0, 86_400_000);
        requireRange(PART, "maxConnections", maxConnections, 1, 1 << 16);
        requireRange(PART, "batchLingerMillis", batchLingerMillis, 0, 60_000);
    }

    /** @return true if the HTTP or the TCP listener is on */
    public boolean any() {
        return httpPort >= 0 || tcpPort >= 0;
    }

    public String getHost() {
        return host;
    }

    /** Sets the interface both listeners bind to. */
    public ListenerOptions setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    public int getHttpPort() {
        return httpPort;
    }

    /** Sets the port of the HTTP ingest endpoint (POST N-Triples bodies); -1: off, 0: any free port. */
    public ListenerOptions setHttpPort(int httpPort) {
        this.httpPort = httpPort;
        return this;
    }

    public int getTcpPort() {
        return tcpPort;
    }

    /** Sets the port of the TCP ingest socket (one N-Triples stream per connection); -1: off, 0: any. */
    public ListenerOptions setTcpPort(int tcpPort) {
        this.tcpPort = tcpPort;
        return this;
    }

    public long getIdleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /**
     * Sets how long an HTTP or TCP connection may send nothing before it is closed (0: never).
     * Only the peer's silence counts: time the input is paused by back-pressure (waiting for a
     * pool buffer) or spent answering does not. An input cut this way fails with the reason; its
     * batches already dispatched are processed. Checked every quarter of the timeout.
     */
    public ListenerOptions setIdleTimeoutMillis(long idleTimeoutMillis) {
        this.idleTimeoutMillis = idleTimeoutMillis;
        return this;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /**
     * Sets how many HTTP and TCP connections may be open at once, both listeners and all Ingest
     * instances together. A connection over the cap is closed as it is accepted (TCP peers first
     * get an error line) and counted in {@link PipelineStats#refusedConnections()}.
     */
    public ListenerOptions setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    public long getBatchLingerMillis() {
        return batchLingerMillis;
    }

    /**
     * Sets how long a partial batch (fewer than 8 lines) of an HTTP or TCP input may wait for
     * more lines before it is dispatched anyway (0: until it is full or the input ends). Bounds
     * both the time an idle connection holds a pool buffer and a receipt's latency on a slow
     * stream; a sender pausing mid-batch for longer splits the batch there, so over the network
     * batch boundaries, hence the head, may depend on timing. Files and in-memory input never
     * linger.
     */
    public ListenerOptions setBatchLingerMillis(long batchLingerMillis) {
        this.batchLingerMillis = batchLingerMillis;
        return this;
    }


}
