package io.github.hotpool.pipeline.store;

import com.fasterxml.jackson.core.JsonToken;
import io.github.hotpool.triples.CycleSeal;
import io.github.hotpool.triples.Lockchain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Recomputes the lockchain of an output directory from its files, one cycle at a time (memory
 * bounded by one cycle, whatever the chain's length), and says whether it is intact, where it is
 * not, whether a published head anchors it and what lies past the last seal. Reads format 2
 * (whole receipt lines hashed, with a checkpoint) and format 1 (64-byte records hashed). Stateless,
 * thread-safe; cold path.
 */
public final class StoreVerifier {

    /**
     * What {@link #verify} found: {@code receipts} counts every receipt read, sealed or not. {@code ok} false means tampered or corrupt ({@code reason} says
     * where). {@code anchoredAt} is the cycle whose link equals the published head (-1: none given
     * or not found), {@code cyclesPastAnchor} how many cycles the chain continues past it;
     * {@code unsealed} receipts follow the last seal; {@code uncommittedBytes} lie past the
     * checkpoint (written, never acknowledged: a crash; the next run cuts them).
     */
    public record Verdict(boolean ok, String reason, int format, long receipts, long cycles, long unsealed,
                          long uncommittedBytes, String head, boolean headGiven, long anchoredAt,
                          long cyclesPastAnchor) {

        /** True when a published head was given and found in the chain. */
        public boolean anchored() {
            return anchoredAt >= 0;
        }

        /**
         * The exit code: 0 intact, 1 tampered or corrupt, and with {@code strict} 3 for an intact
         * chain that is not anchored at its last cycle or has receipts past its last seal.
         */
        public int exitCode(boolean strict) {
            if (!ok) {
                return EXIT_TAMPERED;
            }
            boolean loose = !anchored() || cyclesPastAnchor > 0 || unsealed > 0 || uncommittedBytes > 0;
            return strict && loose ? EXIT_LOOSE : EXIT_INTACT;
        }
    }

    /** Exit code: intact. */
    public static final int EXIT_INTACT = 0;
    /** Exit code: tampered or corrupt. */
    public static final int EXIT_TAMPERED = 1;
    /** Exit code: usage error. */
    public static final int EXIT_USAGE = 2;
    /** Exit code with {@code --strict}: intact but unanchored, or with receipts past the last seal. */
    public static final int EXIT_LOOSE = 3;

    private StoreVerifier() {
    }

    /** True when {@code dir} holds a receipts, lockchain or checkpoint file (so a chain was written there). */
    public static boolean holdsChain(Path dir) {
        return Files.isRegularFile(dir.resolve(ReceiptStore.RECEIPTS))
            || Files.isRegularFile(dir.resolve(ReceiptStore.LOCKCHAIN))
            || Files.isRegularFile(dir.resolve(ReceiptStore.CHECKPOINT));
    }

    /**
     * Verifies {@code dir}; {@code head} (nullable) is a head a run printed, looked for at every
     * cycle.
     *
     * @throws IOException when a file cannot be read
     */
    public static Verdict verify(Path dir, byte[] head) throws IOException {
        return verify(dir, head, null);
    }

    /** {@link #verify(Path, byte[])}, running {@code midSnapshot} between its first two reads (tests). */
    static Verdict verify(Path dir, byte[] head, Runnable midSnapshot) throws IOException {
        Run run = new Run(dir, head, midSnapshot);
        try {
            return run.verify();
        } catch (StoreException e) {
            return run.fail(e.getMessage()); // content no store writes (an overlong line): corrupt, not unreadable
        }
    }

    /**
     * The format a lockchain file's first line declares: 1 for a format-1 seal line (format 1 has
     * no header), else the version of a header line, read strictly like a seal line (fields
     * {@code format}, {@code version}, optional {@code created}, each once, nothing unknown,
     * {@code version} an integer in [1, 2^31 - 1], never narrowed). The caller decides whether it
     * reads that version.
     *
     * @throws IllegalArgumentException naming what is wrong when the line is neither
     */
    static int headerVersion(byte[] line, int len) {
        String formatOne = "{\"cycle\":";
        if (len >= formatOne.length()
            && new String(line, 0, formatOne.length(), StandardCharsets.US_ASCII).equals(formatOne)) {
            return Lockchain.FORMAT_RECORD;
        }
        var f = new Object() {
            String format;
            long version = -1;
        };
        StrictJson.object(line, 0, len, (name, p, v) -> {
            switch (name) {
                case "format" -> f.format = StrictJson.text(p, v, name);
                case "version" -> f.version = StrictJson.integer(p, v, name, 1, Integer.MAX_VALUE);
                case "created" -> StrictJson.text(p, v, name);
                default -> throw StrictJson.unknown(name);
            }
        });
        if (!ReceiptStore.FORMAT.equals(f.format)) {
            throw new IllegalArgumentException(f.format == null ? "field \"format\" missing"
                : "field \"format\" is \"" + f.format + "\", not \"" + ReceiptStore.FORMAT + "\"");
        }
        if (f.version < 0) {
            throw new IllegalArgumentException("field \"version\" missing");
        }
        return (int) f.version;
    }

    /** Why the first line of a lockchain file holds a format this code does not read, or null. */
    static String unsupported(int version) {
        return version == Lockchain.FORMAT_RECORD || version == Lockchain.FORMAT_LINE ? null
            : "lockchain format version " + version + " is not one this verifier reads (" + Lockchain.FORMAT_LINE
                + " with a header line, or " + Lockchain.FORMAT_RECORD + " without one)";
    }

    private static final class Run {
        final Path dir;
        final byte[] head;
        final MessageDigest sha = Lockchain.sha256();
        final ReceiptLine line = new ReceiptLine();
        final byte[] leaf = new byte[32];
        final byte[] record = new byte[64];
        int format;
        long receipts;
        long cycles;
        long unsealed;
        long uncommitted;
        long anchoredAt = -1;
        byte[] prev = new byte[32];
        /** Bytes of the lockchain file to read: the checkpoint's count (format 2) or the whole file. */
        long chainLimit;

        final Runnable midSnapshot;

        Run(Path dir, byte[] head, Runnable midSnapshot) {
            this.dir = dir;
            this.head = head;
            this.midSnapshot = midSnapshot;
        }

        Verdict fail(String reason) {
            return new Verdict(false, reason, format, receipts, cycles, unsealed, uncommitted, Hex.of(prev),
                head != null, -1, 0);
        }

        Verdict verify() throws IOException {
            Path chainFile = dir.resolve(ReceiptStore.LOCKCHAIN);
            Path receiptsFile = dir.resolve(ReceiptStore.RECEIPTS);
            // the checkpoint before the sizes: a run writing this directory makes bytes durable before
            // its checkpoint counts them, so files measured after the checkpoint hold at least that much
            Checkpoint cp = null;
            Path cpFile = dir.resolve(ReceiptStore.CHECKPOINT);
            if (Files.isRegularFile(cpFile)) {
                try (var ch = java.nio.channels.FileChannel.open(cpFile)) {
                    cp = Checkpoint.read(ch, ReceiptStore.CHECKPOINT);
                } catch (StoreException e) {
                    return fail(e.getMessage());
                }
            }
            if (midSnapshot != null) {
                midSnapshot.run();
            }
            long chainSize = size(chainFile);
            long receiptsSize = size(receiptsFile);
            if (chainSize <= 0) {
                String state = ReceiptStore.LOCKCHAIN + " is " + (chainSize < 0 ? "missing" : "empty");
                if (receiptsSize > 0) {
                    return fail(state + " but " + ReceiptStore.RECEIPTS + " holds " + receiptsSize
                        + " bytes of receipts: seals removed");
                }
                if (cp != null && (cp.receipts() > 0 || cp.cycles() > 0)) {
                    return fail(state + " and " + ReceiptStore.RECEIPTS + " is " + (receiptsSize < 0 ? "missing" : "empty")
                        + " but the checkpoint records " + cp.receipts() + " receipts in " + cp.cycles()
                        + " sealed cycles as durable: the files were emptied or removed");
                }
                return new Verdict(true, null, 0, 0, 0, 0, 0, Hex.of(prev), head != null, -1, 0);
            }
            chainLimit = chainSize;
            long receiptsLimit = Math.max(receiptsSize, 0);
            try (LineReader seals = reader(chainFile, ReceiptStore.LOCKCHAIN, Long.MAX_VALUE)) {
                if (!seals.next()) {
                    return fail(ReceiptStore.LOCKCHAIN + " has no lines");
                }
                int version;
                try {
                    version = headerVersion(seals.line, seals.length);
                } catch (IllegalArgumentException e) {
                    return fail(ReceiptStore.LOCKCHAIN + " line 1: neither a format header nor a seal: "
                        + e.getMessage());
                }
                if (unsupported(version) != null) {
                    return fail(ReceiptStore.LOCKCHAIN + " line 1: " + unsupported(version));
                }
                format = version;
                if (format == Lockchain.FORMAT_LINE && !seals.terminated()) {
                    return fail(ReceiptStore.LOCKCHAIN + " line 1: header without line break (torn)");
                }
                if (format == Lockchain.FORMAT_LINE) {
                    if (cp == null) {
                        if (chainSize > seals.endOffset() || receiptsSize > 0) {
                            return fail(ReceiptStore.CHECKPOINT + " is missing or unreadable but the chain holds seals "
                                + "or receipts: the checkpoint is missing, so removed receipts cannot be ruled out");
                        }
                        cp = Checkpoint.initial(seals.endOffset());
                    }
                    if (chainSize < cp.chainBytes() || receiptsLimit < cp.receiptsBytes()) {
                        return fail("the checkpoint records " + cp.receiptsBytes() + " bytes of " + ReceiptStore.RECEIPTS
                            + " and " + cp.chainBytes() + " of " + ReceiptStore.LOCKCHAIN + " as durable, but the files "
                            + "hold " + receiptsLimit + " and " + chainSize + ": acknowledged receipts or seals removed");
                    }
                    chainLimit = cp.chainBytes();
                    receiptsLimit = cp.receiptsBytes();
                    uncommitted = chainSize - chainLimit + Math.max(receiptsSize, 0) - receiptsLimit;
                    String bad = pastCheckpoint(seals);
                    if (bad != null) {
                        return fail(bad);
                    }
                }
                try (LineReader rec = reader(receiptsFile, ReceiptStore.RECEIPTS, receiptsLimit)) {
                    boolean first = format == Lockchain.FORMAT_RECORD; // format 1: line 1 is already a seal
                    while (first || seals.endOffset() < chainLimit && seals.next()) {
                        first = false;
                        String bad = cycle(seals, rec);
                        if (bad != null) {
                            return fail(bad);
                        }
                    }
                    String bad = tail(rec);
                    if (bad != null) {
                        return fail(bad);
                    }
                }
            }
            if (format == Lockchain.FORMAT_LINE && (cycles != cp.cycles() || receipts != cp.receipts())) {
                return fail("the checkpoint records " + cp.receipts() + " receipts in " + cp.cycles() + " sealed cycles "
                    + "but the files hold " + receipts + " in " + cycles + ": lines removed or inserted");
            }
            if (format == Lockchain.FORMAT_LINE && !Arrays.equals(cp.head(), prev)) {
                return fail("the checkpoint records head " + Hex.of(cp.head()) + " after " + cp.cycles() + " cycles but "
                    + "the chain's last link is " + Hex.of(prev) + ": seals rewritten");
            }
            if (head != null && anchoredAt < 0) {
                return fail("the published head " + Hex.of(head) + " is not the link of any of the " + cycles
                    + " cycles: cycles missing or replaced");
            }
            return new Verdict(true, null, format, receipts, cycles, unsealed, uncommitted, Hex.of(prev), head != null,
                anchoredAt, anchoredAt < 0 ? 0 : cycles - 1 - anchoredAt);
        }

        /** Checks the cycle whose seal line was just read; null when it is intact. */
        private String cycle(LineReader seals, LineReader rec) throws IOException {
            String where = ReceiptStore.LOCKCHAIN + " line " + seals.number;
            if (!seals.terminated()) {
                return where + ": seal without line break (torn)";
            }
            String past = pastCheckpoint(seals);
            if (past != null) {
                return past;
            }
            CycleSeal seal;
            try {
                seal = seal(seals.line, seals.length);
            } catch (IllegalArgumentException e) {
                return where + ": not a seal: " + e.getMessage();
            }
            if (format == Lockchain.FORMAT_LINE && seal.cycleId() != cycles) {
                return where + ": seal of cycle " + seal.cycleId() + " where cycle " + cycles + " belongs";
            }
            int n = seal.receiptCount();
            // the seal in itself first (its leaves against its root, its root against the chain), so
            // that a changed seal is blamed on lockchain.jsonl, not on the first receipt whose leaf
            // it no longer holds
            byte[] root = new byte[32];
            byte[] leaves = new byte[Math.max(1, n) * 32];
            for (int r = 0; r < n; r++) {
                System.arraycopy(seal.leaf(r), 0, leaves, r * 32, 32);
            }
            Lockchain.merkleRoot(sha, leaves, n, new byte[Math.max(1, n) * 32], root);
            if (!Arrays.equals(root, seal.root())) {
                return where + " (cycle " + seal.cycleId() + "): Merkle root does not match the sealed leaves";
            }
            byte[] link = new byte[32];
            Lockchain.link(sha, prev, seal.cycleId(), n, root, link);
            if (!Arrays.equals(link, seal.link())) {
                return where + " (cycle " + seal.cycleId() + "): link does not chain to the previous cycle";
            }
            for (int r = 0; r < n; r++) {
                if (!rec.next()) {
                    return "cycle " + seal.cycleId() + " sealed " + n + " receipts but " + ReceiptStore.RECEIPTS
                        + " ends after " + r + " of them (receipts removed)";
                }
                String bad = receipt(rec, cycles);
                if (bad != null) {
                    return bad;
                }
                if (format == Lockchain.FORMAT_LINE) {
                    Lockchain.lineLeaf(sha, rec.line, 0, rec.length, leaf, 0);
                } else {
                    line.record(record);
                    Lockchain.recordLeaf(sha, record, leaf);
                }
                if (!seal.leafEquals(r, leaf, 0)) {
                    return ReceiptStore.RECEIPTS + " line " + rec.number + " (cycle " + seal.cycleId() + ", receipt "
                        + r + "): does not match the sealed leaf hash (changed, removed, inserted or reordered)";
                }
                receipts++;
            }
            prev = link;
            if (head != null && anchoredAt < 0 && Arrays.equals(link, head)) {
                anchoredAt = cycles;
            }
            cycles++;
            return null;
        }

        /**
         * Format 2: the checkpoint's count of durable lockchain bytes always ends at a line end, so
         * a line read below it must not run past it; when it does, bytes were inserted below the
         * checkpoint (null when the line ends within it).
         */
        private String pastCheckpoint(LineReader seals) {
            if (format != Lockchain.FORMAT_LINE || seals.endOffset() <= chainLimit) {
                return null;
            }
            return ReceiptStore.LOCKCHAIN + " line " + seals.number + " ends at byte " + seals.endOffset()
                + ", past the " + chainLimit + " bytes the checkpoint records as durable: bytes were inserted "
                + "below the checkpoint (the file was changed)";
        }

        /** Receipts after the last seal: each must be a receipt of the next cycle. */
        private String tail(LineReader rec) throws IOException {
            while (rec.next()) {
                String bad = receipt(rec, cycles);
                if (bad != null) {
                    return bad;
                }
                unsealed++;
                receipts++;
            }
            return null;
        }

        private String receipt(LineReader rec, long cycle) {
            String where = ReceiptStore.RECEIPTS + " line " + rec.number;
            if (!rec.terminated() && format == Lockchain.FORMAT_LINE) {
                return where + ": receipt without line break inside the checkpointed bytes (torn or changed)";
            }
            try {
                line.parse(rec.line, 0, rec.length);
            } catch (IllegalArgumentException e) {
                return where + ": not a receipt: " + e.getMessage();
            }
            if (line.chainCycle != cycle) {
                return where + ": receipt claims chainCycle " + line.chainCycle + " but sits where cycle " + cycle
                    + " belongs (stray or reordered)";
            }
            return null;
        }

        private static long size(Path p) throws IOException {
            try {
                return Files.size(p);
            } catch (NoSuchFileException e) {
                return -1;
            }
        }

        private static LineReader reader(Path p, String name, long limit) throws IOException {
            InputStream in = Files.exists(p) ? Files.newInputStream(p) : InputStream.nullInputStream();
            return new LineReader(in, name, ReceiptStore.MAX_LINE, limit);
        }
    }

    /** Parses one seal line strictly (each field once, nothing unknown). */
    static CycleSeal seal(byte[] b, int len) {
        var f = new Object() {
            long cycle = -1;
            long count = -1;
            byte[] root;
            byte[] link;
            String leaves;
        };
        StrictJson.object(b, 0, len, (name, p, v) -> {
            switch (name) {
                case "cycle" -> f.cycle = StrictJson.integer(p, v, name, 0, Long.MAX_VALUE);
                case "receipts" -> f.count = StrictJson.integer(p, v, name, 0, ReceiptStore.MAX_CYCLE_RECEIPTS);
                case "root" -> f.root = StrictJson.hash(p, v, name);
                case "link" -> f.link = StrictJson.hash(p, v, name);
                case "leaves" -> f.leaves = v == JsonToken.VALUE_STRING ? p.getText() : null;
                default -> throw StrictJson.unknown(name);
            }
        });
        if (f.cycle < 0 || f.count < 0 || f.root == null || f.link == null || f.leaves == null) {
            throw new IllegalArgumentException("a seal needs cycle, receipts, root, link and leaves");
        }
        if (f.leaves.length() != f.count * 64) {
            int digits = f.leaves.length();
            throw new IllegalArgumentException(digits % 64 == 0
                ? "leaves hold " + digits / 64 + " hashes for " + f.count + " receipts"
                : "leaves hold " + digits + " hex digits, not a whole number of 64-digit hashes, for " + f.count
                    + " receipts");
        }
        return new CycleSeal(f.cycle, Hex.parse(f.leaves), f.root, f.link);
    }
}
