package io.github.hotpool.cluster;

import io.github.hotpool.vertx.JsonOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node joins the Hotpool cluster and how units cross it: Hazelcast discovery (loopback by
 * default, a member list, or a Hazelcast XML/YAML file), the event bus's own host, and the
 * hand-over timeouts. Vert.x options shape: defaults, copy and JSON constructors, {@link #toJson()},
 * fluent setters. The conversion is the field table {@link #FIELDS}, read strictly
 * ({@link JsonOptions}). Not thread-safe; copy before sharing.
 */
public final class ClusterOptions extends JsonOptions {

    /** Hazelcast cluster name: nodes of different names never join each other. */
    public static final String DEFAULT_CLUSTER_NAME = "hotpool";
    /** Interface Hazelcast and the event bus bind to; also the only member looked for by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** First Hazelcast port tried (the next free one up to +100 is taken). */
    public static final int DEFAULT_PORT = 5701;
    /** How long a hop waits for the receiver to own a unit (its acknowledgement). */
    public static final long DEFAULT_HOP_TIMEOUT_MILLIS = 5_000;
    /** How long the source waits for a unit to become durable at Emit before it sends it again. */
    public static final long DEFAULT_UNIT_TIMEOUT_MILLIS = 15_000;
    /** Attempts per unit (the first send included) before it is failed and counted. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Units in flight from the source at once (not yet durable at Emit). */
    public static final int DEFAULT_WINDOW = 256;
    /** Upper bound of {@link #setWindow}: each node's pool holds twice the window. */
    public static final int MAX_WINDOW = 4096;
    /** Units the source carries in one frame to a node (one request, one acknowledgement). */
    public static final int DEFAULT_UNITS_PER_FRAME = 64;
    /** Upper bound of {@link #setUnitsPerFrame}: the frame's unit count is one byte. */
    public static final int MAX_UNITS_PER_FRAME = UnitsFrame.MAX_UNITS;
    /** How long the source waits for more units before it sends a frame that is not full. */
    public static final long DEFAULT_LINGER_MILLIS = 1;

    /** The JSON fields, each declared once: what {@link #ClusterOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<ClusterOptions> FIELDS = fields("cluster", ClusterOptions::new)
        .string("clusterName", ClusterOptions::getClusterName, ClusterOptions::setClusterName)
        .string("host", ClusterOptions::getHost, ClusterOptions::setHost)
        .integer("port", ClusterOptions::getPort, ClusterOptions::setPort)
        .integer("busPort", ClusterOptions::getBusPort, ClusterOptions::setBusPort)
        .strings("members", ClusterOptions::getMembers, ClusterOptions::setMembers)
        .longInteger("hopTimeoutMillis", ClusterOptions::getHopTimeoutMillis, ClusterOptions::setHopTimeoutMillis)
        .longInteger("unitTimeoutMillis", ClusterOptions::getUnitTimeoutMillis, ClusterOptions::setUnitTimeoutMillis)
        .integer("maxAttempts", ClusterOptions::getMaxAttempts, ClusterOptions::setMaxAttempts)
        .integer("window", ClusterOptions::getWindow, ClusterOptions::setWindow)
        .string("configFile", ClusterOptions::getConfigFile, ClusterOptions::setConfigFile)
        .integer("unitsPerFrame", ClusterOptions::getUnitsPerFrame, ClusterOptions::setUnitsPerFrame)
        .longInteger("lingerMillis", ClusterOptions::getLingerMillis, ClusterOptions::setLingerMillis)
        .build();

    private String clusterName = DEFAULT_CLUSTER_NAME;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int busPort;
    private List<String> members = new ArrayList<>(List.of(DEFAULT_HOST));
    private String configFile;
    private long hopTimeoutMillis = DEFAULT_HOP_TIMEOUT_MILLIS;
    private long unitTimeoutMillis = DEFAULT_UNIT_TIMEOUT_MILLIS;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int window = DEFAULT_WINDOW;
    private int unitsPerFrame = DEFAULT_UNITS_PER_FRAME;
    private long lingerMillis = DEFAULT_LINGER_MILLIS;

    /** Defaults: loopback discovery on 127.0.0.1. */
    public ClusterOptions() {
    }

    /** Copy. */
    public ClusterOptions(ClusterOptions o) {
        this(o.toJson());
    }

    /**
     * From {@link #toJson()}'s shape; absent fields keep their defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a value of the wrong type, naming it
     */
    public ClusterOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return every field; {@code configFile} only when set */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    /**
     * Checks every field against its limit.
     *
     * @return this
     * @throws IllegalArgumentException naming the field, its value and the limit
     */
    public ClusterOptions validate() {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be blank: clusterName='" + clusterName + "'");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank: host='" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in [1, 65535]: port=" + port);
        }
        if (busPort < 0 || busPort > 65535) {
            throw new IllegalArgumentException("busPort must be in [0, 65535]: busPort=" + busPort);
        }
        if (configFile == null && members.isEmpty()) {
            throw new IllegalArgumentException("members must name at least one address without configFile");
        }
        if (hopTimeoutMillis < 1) {
            throw new IllegalArgumentException("hopTimeoutMillis must be at least 1: hopTimeoutMillis=" + hopTimeoutMillis);
        }
        if (unitTimeoutMillis < hopTimeoutMillis) {
            throw new IllegalArgumentException("unitTimeoutMillis must be at least hopTimeoutMillis " + hopTimeoutMillis
                + ": unitTimeoutMillis=" + unitTimeoutMillis);
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 100]: maxAttempts=" + maxAttempts);
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be in [1, " + MAX_WINDOW + "]: window=" + window);
        }
        if (unitsPerFrame < 1 || unitsPerFrame > MAX_UNITS_PER_FRAME) {
            throw new IllegalArgumentException("unitsPerFrame must be in [1, " + MAX_UNITS_PER_FRAME + "]: unitsPerFrame="
                + unitsPerFrame);
        }
        if (lingerMillis < 0 || lingerMillis > 1000) {
            throw new IllegalArgumentException("lingerMillis must be in [0, 1000]: lingerMillis=" + lingerMillis);
        }
        return this;
    }

    public String getClusterName() {
        return clusterName;
    }

    public ClusterOptions setClusterName(String clusterName) {
        this.clusterName = clusterName;
        return this;
    }

    public String getHost() {
        return host;
    }

    /** @param host the interface Hazelcast and the event bus bind to, and that other nodes reach this one on */
    public ClusterOptions setHost(String host) {
        this.host = host;
        return this;
    }

    public int getPort() {
        return port;
    }

    public ClusterOptions setPort(int port) {
        this.port = port;
        return this;
    }

    public int getBusPort() {
        return busPort;
    }

    /** @param busPort the clustered event bus's TCP port (0, the default: any free port) */
    public ClusterOptions setBusPort(int busPort) {
        this.busPort = busPort;
        return this;
    }

    public List<String> getMembers() {
        return new ArrayList<>(members);
    }

    /** @param members Hazelcast TCP-IP members ({@code host} or {@code host:port}); ignored with a config file */
    public ClusterOptions setMembers(List<String> members) {
        this.members = new ArrayList<>(members);
        return this;
    }

    public String getConfigFile() {
        return configFile;
    }

    /** @param configFile a Hazelcast XML or YAML file used as is (discovery, ports, properties), or null */
    public ClusterOptions setConfigFile(String configFile) {
        this.configFile = configFile;
        return this;
    }

    public long getHopTimeoutMillis() {
        return hopTimeoutMillis;
    }

    public ClusterOptions setHopTimeoutMillis(long hopTimeoutMillis) {
        this.hopTimeoutMillis = hopTimeoutMillis;
        return this;
    }

    public long getUnitTimeoutMillis() {
        return unitTimeoutMillis;
    }

    public ClusterOptions setUnitTimeoutMillis(long unitTimeoutMillis) {
        this.unitTimeoutMillis = unitTimeoutMillis;
        return this;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public ClusterOptions setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    public int getUnitsPerFrame() {
        return unitsPerFrame;
    }

    /** Units per frame from the source to a node, at most {@link #MAX_UNITS_PER_FRAME}; 1 sends each unit alone. */
    public ClusterOptions setUnitsPerFrame(int unitsPerFrame) {
        this.unitsPerFrame = unitsPerFrame;
        return this;
    }

    public long getLingerMillis() {
        return lingerMillis;
    }

    /** How long a frame that is not full waits for more units; 0 sends at the end of the current event. */
    public ClusterOptions setLingerMillis(long lingerMillis) {
        this.lingerMillis = lingerMillis;
        return this;
    }

    public int getWindow() {
        return window;
    }

    public ClusterOptions setWindow(int window) {
        this.window = window;
        return this;
    }
}
