package io.github.hotpool.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Spreads threads (event loops, and with them the pools they first-touch) evenly over the NUMA
 * nodes of a {@link NumaTopology} that list CPUs: the k-th distinct thread that asks gets slot k,
 * and slot k goes to the {@code (k mod n)}-th of those n nodes in ascending id, as in {@link
 * NumaTopology#spread}, so the nodes take turns and no two differ by more than one thread. Nodes
 * without CPUs (memory only) get no thread: a thread pinned there could not run. A thread keeps its slot on later calls. {@link #pinCurrentThread()} then pins
 * the caller to the CPUs of its node with {@link Affinity}, where that is possible.
 *
 * <p>What it cannot do: keep other JVM threads (GC workers, the JIT compiler, Vert.x's worker
 * and internal threads, the event loops of pools never made) on any node; move memory touched
 * before the pin; or pin anything on Java 17-21. See docs/pool.md.
 *
 * <p>Thread-safe: slots are handed out under the spreader's lock (a cold path, once per thread).
 */
public final class NodeSpreader {

    private final NumaTopology topology;
    /** The nodes that list CPUs, ascending. */
    private final int[] nodes;
    private final Map<Long, Integer> slots = new HashMap<>();

    /**
     * A placement plan for one thread.
     *
     * @param slot the thread's turn, from 0
     * @param node its node, -1 when the topology is unknown
     * @param cpus that node's CPUs, ascending (empty when unknown)
     */
    public record Placement(int slot, int node, int[] cpus) {

        /** Copies the CPUs. */
        public Placement {
            cpus = cpus.clone();
        }

        /** @return a copy of the node's CPUs */
        @Override
        public int[] cpus() {
            return cpus.clone();
        }
    }

    /** @param topology the nodes to spread over (e.g. {@link NumaTopology#system()}) */
    public NodeSpreader(NumaTopology topology) {
        this.topology = topology;
        this.nodes = java.util.Arrays.stream(topology.nodeIds()).filter(n -> topology.cpusOf(n).length > 0).toArray();
    }

    /** @return the nodes threads are spread over (those that list CPUs), ascending */
    public int[] nodes() {
        return nodes.clone();
    }

    /** @return the topology this spreads over */
    public NumaTopology topology() {
        return topology;
    }

    /**
     * @param thread a thread
     * @return its placement: a new slot on its first call, the same one after
     */
    public Placement placementOf(Thread thread) {
        int slot;
        synchronized (slots) {
            slot = slots.computeIfAbsent(thread.getId(), id -> slots.size());
        }
        int node = nodes.length == 0 ? -1 : nodes[slot % nodes.length];
        return new Placement(slot, node, node < 0 ? new int[0] : topology.cpusOf(node));
    }

    /** @return threads placed so far */
    public int placed() {
        synchronized (slots) {
            return slots.size();
        }
    }

    /**
     * Pins the calling thread to the CPUs of its node. Never throws for a pin that cannot be made:
     * an unknown topology, a node without CPUs, Java 17-21, another operating system or a failed
     * call all answer an outcome that is not pinned and says why.
     *
     * @return what was done
     */
    public Affinity.Outcome pinCurrentThread() {
        Placement p = placementOf(Thread.currentThread());
        if (p.node() < 0) {
            return new Affinity.Outcome(false, new int[0], (topology.isKnown() ? "no node lists a CPU"
                : "the NUMA topology is unknown (" + topology.reason() + ")") + "; the thread goes on unpinned");
        }
        Affinity.Outcome o = Affinity.pinCurrentThread(p.cpus());
        return new Affinity.Outcome(o.pinned(), o.cpus(), "node " + p.node() + " (slot " + p.slot() + " of "
            + nodes.length + " nodes with CPUs): " + o.detail());
    }
}
