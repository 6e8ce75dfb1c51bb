package io.github.hotpool.tripleguard;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The lines {@code run} ends with: this run's counts on one line ({@code run: ...}), the chain's
 * totals on the next ({@code chain: ...}, saying whether this run started the chain or extended
 * one), and a note when no hook could fire on the input. Stateless.
 */
final class Summary {

    private Summary() {
    }

    /** {@code run: triples=N batches=N receipts=N failed=N bad_lines=N ms=N}: this run only. */
    static String run(Engine.Counts stats, long ms) {
        return "run: triples=" + stats.triples() + " batches=" + stats.batches() + " receipts=" + stats.receipts()
            + " failed=" + stats.failed() + " bad_lines=" + stats.badLines() + " ms=" + ms;
    }

    /**
     * {@code chain: receipts=N cycles=N head=HEX out=DIR (how)}: the whole chain in DIR, with
     * {@code new chain} or what it held before this run.
     *
     * @param chain the pipeline's flush result ({@code receipts}, {@code cycles}, {@code head})
     * @param before the store's recovery at start (null: a new, in-memory or empty store)
     */
    static String chain(JsonObject chain, ReceiptStore.Recovery before, Path out) {
        boolean held = before != null && !before.created() && before.receipts() > 0;
        String how = !held ? "new chain"
            : (chain.getLong("receipts") > before.receipts() ? "extended" : "nothing added") + ": held "
                + before.receipts() + " receipts in " + before.cycles() + " cycles before this run";
        return "chain: receipts=" + chain.getLong("receipts") + " cycles=" + chain.getLong("cycles") + " head="
            + chain.getString("head") + " out=" + out + " (" + how + ")";
    }

    /**
     * The note that explains {@code receipts=0}: the input had triples, but no hook's predicate
     * occurred in it, so no hook was evaluated (a receipt is written per hook per run of its
     * predicate). Null when some receipt was written or there was no triple.
     */
    static String noHookMatched(Engine.Counts stats, JsonArray hooks) {
        if (stats.triples() == 0 || stats.receipts() > 0) {
            return null;
        }
        Set<String> predicates = new LinkedHashSet<>();
        for (int i = 0; i < hooks.size(); i++) {
            Object h = hooks.getValue(i);
            if (h instanceof JsonObject && ((JsonObject) h).getValue("predicate") instanceof String) {
                predicates.add(((JsonObject) h).getString("predicate"));
            }
        }
        return predicates.isEmpty() ? "note: receipts=0: no hooks are configured (give some with --hooks HOOKS.json)"
            : "note: receipts=0: no predicate of this input is one a hook looks for (" + String.join(", ", predicates)
                + "), so no hook was evaluated; give hooks for this data with --hooks HOOKS.json (docs/hooks.md)";
    }
}
