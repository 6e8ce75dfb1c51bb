package io.github.hotpool.cluster;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The guard's stages that can run on another node than the source (Ingest always runs where the
 * input is read). A unit travels them in this order.
 */
public enum GuardStage {
    /** Lines to term ids: the unit that reaches it is a lines frame; it leaves as a pool handle. */
    TRANSFORM,
    /** Groups the handle's lanes by predicate into runs. */
    LOAD,
    /** Evaluates the hooks into the handle's receipts. */
    REFLEX,
    /** Chains the receipts (one instance per run: it owns the lockchain). */
    EMIT;

    /**
     * Parses a comma-separated list such as {@code transform,load,reflex,emit} (any case).
     *
     * @throws IllegalArgumentException naming the unknown stage and the known ones
     */
    public static Set<GuardStage> parse(String list) {
        Set<GuardStage> stages = EnumSet.noneOf(GuardStage.class);
        for (String s : list.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                stages.add(valueOf(t.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown stage '" + t + "': stages are transform, load, reflex, emit");
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("no stage in '" + list + "': stages are transform, load, reflex, emit");
        }
        return stages;
    }

    /** @return the lower-case name used on the command line and in addresses */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
