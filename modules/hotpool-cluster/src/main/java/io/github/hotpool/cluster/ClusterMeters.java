package io.github.hotpool.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * The Micrometer meters of one node's cross-node traffic, tagged {@code node=<node id>}:
 * {@code hotpool.cluster.units.sent} (units handed to another node), {@code .received} (units
 * this node took ownership of), {@code .retried} (units the source sent again), {@code .failed}
 * (units a node could not pass on, or the source gave up on), {@code .rejected} (bad frames and
 * units refused). Counters are thread-safe.
 */
public final class ClusterMeters {

    final Counter sent;
    final Counter received;
    final Counter retried;
    final Counter failed;
    final Counter rejected;

    /**
     * @param registry where the meters are registered; null for a private {@link SimpleMeterRegistry}
     * @param nodeId the node's id, the {@code node} tag
     */
    public ClusterMeters(MeterRegistry registry, String nodeId) {
        MeterRegistry r = registry == null ? new SimpleMeterRegistry() : registry;
        sent = counter(r, "sent", "units handed to another node", nodeId);
        received = counter(r, "received", "units taken over from another node", nodeId);
        retried = counter(r, "retried", "units sent again after a node failure or timeout", nodeId);
        failed = counter(r, "failed", "units that could not be passed on or were given up", nodeId);
        rejected = counter(r, "rejected", "units refused: bad frames, no run, pool dry", nodeId);
    }

    private static Counter counter(MeterRegistry r, String what, String description, String nodeId) {
        return Counter.builder("hotpool.cluster.units." + what).description(description).tag("node", nodeId).register(r);
    }

    /** @return the counts: sent, received, retried, failed, rejected */
    public JsonObject toJson() {
        return new JsonObject().put("sent", (long) sent.count()).put("received", (long) received.count())
            .put("retried", (long) retried.count()).put("failed", (long) failed.count())
            .put("rejected", (long) rejected.count());
    }
}
