package io.github.hotpool.triples;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Recomputes a lockchain from emitted receipts and seals and names the first cycle and receipt
 * that do not match. Stateless, thread-safe (each call uses its own digest); cold path.
 */
public final class LockchainVerifier {

    /** One emitted cycle: its seal and the 64-byte records of its receipts, in emitted order. */
    public static final class Cycle {
        final CycleSeal seal;
        final List<byte[]> receipts;

        /** A cycle as emitted. */
        public Cycle(CycleSeal seal, List<byte[]> receipts) {
            this.seal = seal;
            this.receipts = receipts;
        }
    }

    /**
     * Outcome: {@code ok} (and whether a published head anchored it), or the index of the first bad
     * cycle, its id, the index of the first bad receipt in it (-1 when the fault is in the seal or
     * the chain) and why.
     */
    public static final class Result {
        private final int cycleIndex;
        private final long cycleId;
        private final int receiptIndex;
        private final String reason;
        private final boolean anchored;

        Result(int cycleIndex, long cycleId, int receiptIndex, String reason) {
            this(cycleIndex, cycleId, receiptIndex, reason, false);
        }

        private Result(int cycleIndex, long cycleId, int receiptIndex, String reason, boolean anchored) {
            this.cycleIndex = cycleIndex;
            this.cycleId = cycleId;
            this.receiptIndex = receiptIndex;
            this.reason = reason;
            this.anchored = anchored;
        }

        /** True when every cycle and receipt matched (and the head, when one was given). */
        public boolean ok() {
            return reason == null;
        }

        /**
         * True when the chain verified and its last link equals the published head given to
         * {@link #verify}. An unanchored chain is only self-consistent: it may have lost its last
         * cycles or been rewritten end to end.
         */
        public boolean anchored() {
            return anchored;
        }

        /** Index of the first bad cycle in the list, or -1. */
        public int cycleIndex() {
            return cycleIndex;
        }

        /** Id of the first bad cycle (meaningless when ok). */
        public long cycleId() {
            return cycleId;
        }

        /** Index of the first bad receipt in that cycle, or -1. */
        public int receiptIndex() {
            return receiptIndex;
        }

        /** Why it failed, or null. */
        public String reason() {
            return reason;
        }

        @Override
        public String toString() {
            if (ok()) {
                return anchored ? "lockchain verified, anchored by the published head"
                        : "lockchain verified but unanchored (no published head to compare)";
            }
            return "cycle #" + cycleIndex + " (id " + cycleId + ")"
                    + (receiptIndex >= 0 ? ", receipt #" + receiptIndex : "") + ": " + reason;
        }
    }

    private static final Result UNANCHORED = new Result(-1, 0, -1, null, false);
    private static final Result ANCHORED = new Result(-1, 0, -1, null, true);

    private LockchainVerifier() {
    }

    /**
     * Verifies {@code cycles} in order from the all-zero genesis link and, when
     * {@code expectedHead} is not null, that the last link equals it (the published anchor).
     * Without {@code expectedHead} a chain whose last cycles were dropped, or that was rewritten
     * consistently from some cycle on, still verifies: the result then says it is not
     * {@linkplain Result#anchored() anchored}.
     */
    public static Result verify(List<Cycle> cycles, byte[] expectedHead) {
        MessageDigest sha = Lockchain.sha256();
        byte[] prev = new byte[Lockchain.HASH];
        for (int c = 0; c < cycles.size(); c++) {
            Cycle cycle = cycles.get(c);
            CycleSeal seal = cycle.seal;
            byte[] sealed = seal.leavesRef();
            int n = seal.receiptCount();
            byte[] leaf = new byte[Lockchain.HASH];
            int shared = Math.min(n, cycle.receipts.size());
            for (int r = 0; r < shared; r++) {
                byte[] rec = cycle.receipts.get(r);
                if (rec.length != ReceiptRecord.LENGTH) {
                    return new Result(c, seal.cycleId(), r, "receipt record is " + rec.length + " bytes, not 64");
                }
                Lockchain.leafHash(sha, rec, 0, leaf, 0);
                if (!Arrays.equals(leaf, 0, 32, sealed, r * 32, r * 32 + 32)) {
                    return new Result(c, seal.cycleId(), r, "receipt does not match the sealed leaf hash");
                }
            }
            if (cycle.receipts.size() != n) {
                return new Result(c, seal.cycleId(), shared, "cycle sealed " + n + " receipts but "
                        + cycle.receipts.size() + " were emitted");
            }
            byte[] root = new byte[Lockchain.HASH];
            Lockchain.merkleRoot(sha, sealed, n, new byte[Math.max(1, n) * Lockchain.HASH], root);
            if (!Arrays.equals(root, seal.root())) {
                return new Result(c, seal.cycleId(), -1, "Merkle root does not match the sealed leaves");
            }
            byte[] link = new byte[Lockchain.HASH];
            Lockchain.link(sha, prev, seal.cycleId(), n, root, link);
            if (!Arrays.equals(link, seal.link())) {
                return new Result(c, seal.cycleId(), -1, "link does not chain to the previous cycle");
            }
            prev = link;
        }
        if (expectedHead == null) {
            return UNANCHORED;
        }
        if (!Arrays.equals(prev, expectedHead)) {
            int last = cycles.size() - 1;
            HexFormat hex = HexFormat.of();
            return new Result(last, last >= 0 ? cycles.get(last).seal.cycleId() : 0, -1,
                    "last link " + hex.formatHex(prev) + " differs from the published head "
                    + hex.formatHex(expectedHead) + " (cycles missing or replaced)");
        }
        return ANCHORED;
    }
}
