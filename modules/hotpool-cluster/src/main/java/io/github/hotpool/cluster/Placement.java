package io.github.hotpool.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which node runs each stage of one run, and the route of each unit. Decided in two steps: the
 * candidates (live nodes of the directory, sorted by id, and the one that will host Emit), then,
 * once the run is open on some of them, the hosts of every stage (the source itself for a stage
 * no open node hosts). Not thread-safe (the run's context).
 */
final class Placement {

    private final String self;
    private final Map<String, Set<GuardStage>> candidates = new TreeMap<>();
    /** Every node a route may name, by index: the source first, then the candidates. */
    private final List<String> table = new ArrayList<>();
    private final Map<GuardStage, List<String>> hosts = new EnumMap<>(GuardStage.class);
    private final Set<GuardStage> local = EnumSet.noneOf(GuardStage.class);
    private String emitNode;

    /**
     * @param self the source's node id
     * @param directory what each node says it hosts
     * @param live the members alive now: other entries are stale
     */
    Placement(String self, Map<String, Set<GuardStage>> directory, Collection<String> live) {
        this.self = self;
        directory.forEach((id, stages) -> {
            if (live.contains(id) && !id.equals(self) && !stages.isEmpty()) {
                candidates.put(id, EnumSet.copyOf(stages));
            }
        });
        for (Map.Entry<String, Set<GuardStage>> e : candidates.entrySet()) {
            if (emitNode == null && e.getValue().contains(GuardStage.EMIT)) {
                emitNode = e.getKey(); // one Emit per run: it owns the chain
            }
        }
        table.add(self);
        table.addAll(candidates.keySet());
    }

    /** @return the nodes to open the run on, sorted */
    Set<String> candidates() {
        return candidates.keySet();
    }

    /** @return whether {@code id} is to host this run's Emit */
    boolean hostsEmit(String id) {
        return id.equals(emitNode);
    }

    /** @return the node table units' route headers index into */
    List<String> table() {
        return table;
    }

    /**
     * Fixes the hosts once the run is open on {@code opened} (a candidate that did not open is left
     * out); every stage no open node hosts goes to the source.
     *
     * @return the stages the source must host itself
     * @throws IllegalStateException if the node chosen for Emit did not open the run
     */
    Set<GuardStage> settle(Collection<String> opened) {
        if (emitNode != null && !opened.contains(emitNode)) {
            throw new IllegalStateException("the node hosting emit (" + emitNode + ") did not open the run");
        }
        for (GuardStage g : GuardStage.values()) {
            List<String> h = new ArrayList<>();
            for (Map.Entry<String, Set<GuardStage>> e : candidates.entrySet()) {
                if (opened.contains(e.getKey()) && e.getValue().contains(g)
                        && (g != GuardStage.EMIT || e.getKey().equals(emitNode))) {
                    h.add(e.getKey());
                }
            }
            if (h.isEmpty()) {
                local.add(g);
                h.add(self);
            }
            hosts.put(g, h);
        }
        if (local.contains(GuardStage.EMIT)) {
            emitNode = self;
        }
        return EnumSet.copyOf(local);
    }

    /** @return the node hosting Emit (after {@link #settle}) */
    String emitNode() {
        return emitNode;
    }

    /** @return the live hosts of {@code stage} */
    List<String> hosts(GuardStage stage) {
        return hosts.get(stage);
    }

    /** A node left: it hosts nothing any more. @return whether it was the Emit node */
    boolean remove(String id) {
        for (List<String> h : hosts.values()) {
            h.remove(id);
        }
        return id.equals(emitNode);
    }

    /**
     * One node per stage: the first host chosen round robin over the sequence and the attempt;
     * each later stage stays on the node before it when that node hosts it (no hop).
     *
     * @return the node of each stage, or null if some stage has no live host
     */
    String[] route(long seq, int attempt) {
        String[] r = new String[GuardStage.values().length];
        String prev = null;
        for (GuardStage g : GuardStage.values()) {
            List<String> h = hosts.get(g);
            if (h.isEmpty()) {
                return null;
            }
            r[g.ordinal()] = prev != null && h.contains(prev) ? prev : h.get((int) ((seq + attempt) % h.size()));
            prev = r[g.ordinal()];
        }
        return r;
    }

    /** @return the route as units carry it: one index into {@link #table} per stage, dot-separated */
    String header(String[] route) {
        StringBuilder b = new StringBuilder(2 * route.length);
        for (String id : route) {
            b.append(b.length() == 0 ? "" : ".").append(table.indexOf(id));
        }
        return b.toString();
    }

    /** @return stage id to its hosts, for the summary */
    Map<GuardStage, List<String>> all() {
        return hosts;
    }
}
