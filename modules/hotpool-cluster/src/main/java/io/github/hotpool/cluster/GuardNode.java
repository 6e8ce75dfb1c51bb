package io.github.hotpool.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hosts some of the guard's stages on a cluster node for whichever run opens them, and announces
 * them in the cluster's directory so that a run ({@link ClusterRun}) places units on them.
 * Thread-safe.
 *
 * <pre>{@code
 * ClusterNode node = ClusterNode.join(new ClusterOptions()).toCompletionStage().toCompletableFuture().get();
 * GuardNode.start(node, GuardStage.parse("transform,load,reflex,emit"), Path.of("out"), null);
 * }</pre>
 */
public final class GuardNode {

    private final ClusterNode node;
    private final StageHost host;
    private final String deployment;
    private final ClusterMeters meters;

    private GuardNode(ClusterNode node, StageHost host, String deployment, ClusterMeters meters) {
        this.node = node;
        this.host = host;
        this.deployment = deployment;
        this.meters = meters;
    }

    /**
     * Starts hosting {@code stages} on {@code node}.
     *
     * @param outDir where Emit writes receipts and the lockchain when this node hosts it; null: in memory
     * @param registry where the node's meters go; null for a private registry
     * @return the node once its consumers are registered cluster-wide and it is in the directory
     */
    public static Future<GuardNode> start(ClusterNode node, Set<GuardStage> stages, Path outDir, MeterRegistry registry) {
        if (stages.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("a node must host at least one stage"));
        }
        Set<GuardStage> s = EnumSet.copyOf(stages);
        ClusterMeters meters = new ClusterMeters(registry, node.nodeId());
        StageHost host = new StageHost(node.nodeId(), s, outDir, node.options(), meters);
        node.onNodeLeft(host::driverLeft);
        JsonArray names = new JsonArray();
        s.forEach(g -> names.add(g.id()));
        return node.vertx().deployVerticle(host, new DeploymentOptions())
            .compose(id -> node.vertx().sharedData().<String, JsonObject>getAsyncMap(Addresses.DIRECTORY)
                .compose(map -> map.put(node.nodeId(), new JsonObject().put("stages", names)))
                .map(v -> new GuardNode(node, host, id, meters)));
    }

    /** @return this node's id */
    public String nodeId() {
        return node.nodeId();
    }

    /** @return the node's meters */
    public ClusterMeters meters() {
        return meters;
    }

    /** Leaves the directory and stops hosting (an open run's store is sealed and closed). */
    public Future<Void> stop() {
        return node.vertx().sharedData().<String, JsonObject>getAsyncMap(Addresses.DIRECTORY)
            .compose(map -> map.remove(node.nodeId()))
            .transform(x -> node.vertx().undeploy(deployment));
    }
}
