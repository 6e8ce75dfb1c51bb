package io.github.hotpool.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.File;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One member of a Hotpool cluster: a clustered Vert.x instance with the Hazelcast cluster manager,
 * its node id, and who else is alive. Thread-safe.
 *
 * <p>Without a config file the node binds Hazelcast and the event bus to {@code host} and looks
 * for members by TCP-IP only (multicast off), so nodes on one machine find each other on
 * 127.0.0.1 with no configuration. A config file (Hazelcast XML or YAML) is used as it is, with
 * Vert.x's own maps added if it lacks them.
 */
public final class ClusterNode {

    /** Membership is decided within about this long after a member stops answering (kill -9, cable). */
    static final String HEARTBEAT_SECONDS = "1";
    static final String NO_HEARTBEAT_SECONDS = "5";

    /** The member attribute holding a member's Vert.x node id (set by vertx-hazelcast). */
    static final String VERTX_NODE_ID = "__vertx.nodeId";

    private final Vertx vertx;
    private final HazelcastClusterManager manager;
    private final String nodeId;
    private final ClusterOptions options;
    private final List<Consumer<String>> leftListeners = new CopyOnWriteArrayList<>();

    private ClusterNode(Vertx vertx, HazelcastClusterManager manager, ClusterOptions options) {
        this.vertx = vertx;
        this.manager = manager;
        this.nodeId = manager.getNodeId();
        this.options = options;
        manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                String id = vertxId(e.getMember());
                for (Consumer<String> l : leftListeners) {
                    l.accept(id);
                }
            }
        });
    }

    /**
     * Joins (or forms) the cluster {@code options} describe.
     *
     * @return the node once Hazelcast and the clustered event bus run; failed naming the bad option or file
     */
    public static Future<ClusterNode> join(ClusterOptions options) {
        return join(options, new VertxOptions());
    }

    /**
     * Joins (or forms) the cluster {@code options} describe, with Vert.x built from {@code base}
     * (metrics, event loops); its event-bus host is set to the cluster host.
     *
     * @return the node once Hazelcast and the clustered event bus run; failed naming the bad option or file
     */
    public static Future<ClusterNode> join(ClusterOptions options, VertxOptions base) {
        ClusterOptions o;
        Config config;
        try {
            o = new ClusterOptions(options).validate();
            config = hazelcastConfig(o);
        } catch (RuntimeException | FileNotFoundException e) {
            return Future.failedFuture(e);
        }
        HazelcastClusterManager manager = new HazelcastClusterManager(config);
        VertxOptions vo = vertxOptions(o, base);
        return Vertx.builder().with(vo).withClusterManager(manager).buildClustered()
            .map(v -> new ClusterNode(v, manager, o));
    }

    /** {@code base} with the event bus on the cluster host (package-private for tests). */
    static VertxOptions vertxOptions(ClusterOptions o, VertxOptions base) {
        VertxOptions vo = new VertxOptions(base).setEventBusOptions(new EventBusOptions(base.getEventBusOptions())
            .setHost(o.getHost()).setPort(o.getBusPort()));
        // the copy constructor keeps only the base MetricsOptions fields (Micrometer's Prometheus settings would go)
        return vo.setMetricsOptions(base.getMetricsOptions());
    }

    /** The Hazelcast configuration {@code o} asks for (package-private for tests). */
    static Config hazelcastConfig(ClusterOptions o) throws FileNotFoundException {
        Config c;
        if (o.getConfigFile() != null) {
            File f = new File(o.getConfigFile());
            if (!f.isFile()) {
                throw new FileNotFoundException("Hazelcast config file " + f + " does not exist or is not a file");
            }
            c = Config.loadFromFile(f);
            ensureVertxStructures(c);
            return c;
        }
        c = ConfigUtil.loadConfig();
        c.setClusterName(o.getClusterName());
        c.setInstanceName("hotpool-" + UUID.randomUUID());
        c.getNetworkConfig().setPort(o.getPort()).setPortAutoIncrement(true).setPortCount(100);
        c.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of(o.getHost()));
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(o.getMembers());
        // fast join and fast failure detection: a dead node is noticed within seconds, not a minute
        c.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        c.setProperty("hazelcast.heartbeat.interval.seconds", HEARTBEAT_SECONDS);
        c.setProperty("hazelcast.max.no.heartbeat.seconds", NO_HEARTBEAT_SECONDS);
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        return c;
    }

    /** Vert.x needs its subscription multimap and info maps; a user's file may not declare them. */
    private static void ensureVertxStructures(Config c) {
        if (!c.getMultiMapConfigs().containsKey("__vertx.subs")) {
            c.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        }
        for (String m : new String[] {"__vertx.haInfo", "__vertx.nodeInfo"}) {
            if (!c.getMapConfigs().containsKey(m)) {
                c.addMapConfig(new MapConfig(m).setBackupCount(1));
            }
        }
    }

    /** @return the clustered Vert.x instance */
    public Vertx vertx() {
        return vertx;
    }

    /** @return this node's id in the cluster (Vert.x's, as the event bus and the directory name it) */
    public String nodeId() {
        return nodeId;
    }

    /** @return the options the node joined with (a copy) */
    public ClusterOptions options() {
        return new ClusterOptions(options);
    }

    /** @return the ids of the members alive now, this one included */
    public Set<String> liveNodes() {
        Set<String> ids = new java.util.HashSet<>();
        for (Member m : manager.getHazelcastInstance().getCluster().getMembers()) {
            ids.add(vertxId(m));
        }
        return ids;
    }

    /** Vert.x names a member by the attribute its cluster manager sets, not by Hazelcast's member UUID. */
    private static String vertxId(Member m) {
        String id = m.getAttribute(VERTX_NODE_ID);
        return id != null ? id : m.getUuid().toString();
    }

    /**
     * Registers a callback run (on a Hazelcast thread) with the id of every member that leaves or dies.
     *
     * @return what removes the callback again
     */
    public Runnable onNodeLeft(Consumer<String> listener) {
        leftListeners.add(listener);
        return () -> leftListeners.remove(listener);
    }

    /** Leaves the cluster and closes Vert.x. */
    public Future<Void> close() {
        return vertx.close();
    }
}
