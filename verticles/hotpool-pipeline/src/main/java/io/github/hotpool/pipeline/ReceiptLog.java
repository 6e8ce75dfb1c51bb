package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.triples.CycleSeal;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.Lockchain;
import io.github.hotpool.triples.LockchainVerifier;
import io.github.hotpool.triples.ReceiptRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The files Emit writes into its output directory and their verification: {@value #RECEIPTS}
 * (one JSON receipt per line) and {@value #LOCKCHAIN} (one JSON seal per closed cycle).
 * Stateless, thread-safe; cold path (allocates).
 */
public final class ReceiptLog {

    /** Receipts file name, one JSON object per line. */
    public static final String RECEIPTS = "receipts.jsonl";
    /** Lockchain file name, one sealed cycle per line. */
    public static final String LOCKCHAIN = "lockchain.jsonl";

    private static final HexFormat HEX = HexFormat.of();

    private ReceiptLog() {
    }

    /**
     * Outcome of {@link #verify}: the verifier's verdict plus what was read. {@code anchored} is
     * true only when a published head was given and the recomputed head equals it.
     */
    public record Verdict(boolean ok, String reason, long receipts, long cycles, long unsealed, String head,
                          boolean anchored) {
    }

    /** The JSON form of {@code r}, which Emit sealed into chain cycle {@code chainCycle}. */
    static JsonObject toJson(Receipt r, long chainCycle, Hook hook) {
        return new JsonObject()
            .put("chainCycle", chainCycle)
            .put("cycle", r.cycleId())
            .put("shard", r.shardId())
            .put("hookId", r.hookId())
            .put("hook", hook == null ? null : hook.name())
            .put("ticks", r.ticks())
            .put("actualTicks", r.actualTicks())
            .put("lanes", r.lanes())
            .put("flags", r.flags())
            .put("spanId", hex(r.spanId()))
            .put("aHash", hex(r.aHash()))
            .put("result", hex(r.result()));
    }

    static JsonObject toJson(CycleSeal seal) {
        StringBuilder leaves = new StringBuilder(seal.receiptCount() * 64);
        for (int i = 0; i < seal.receiptCount(); i++) {
            leaves.append(HEX.formatHex(seal.leaf(i)));
        }
        return new JsonObject().put("cycle", seal.cycleId()).put("receipts", seal.receiptCount())
            .put("root", HEX.formatHex(seal.root())).put("link", HEX.formatHex(seal.link()))
            .put("leaves", leaves.toString());
    }

    static String hex(long v) {
        return HEX.toHexDigits(v);
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * Recomputes the lockchain of {@code dir} from its receipts and seals, unanchored: a chain
     * that lost its last cycles, or was rewritten consistently, still verifies.
     *
     * @throws IOException when a file cannot be read
     */
    public static Verdict verify(Path dir) throws IOException {
        return verify(dir, null);
    }

    /**
     * Recomputes the lockchain of {@code dir} and, when {@code publishedHead} is not null, checks
     * that its last link equals that head (the one a run printed), which catches dropped or
     * consistently rewritten cycles.
     *
     * @throws IOException when a file cannot be read
     */
    public static Verdict verify(Path dir, byte[] publishedHead) throws IOException {
        Read read;
        try {
            read = read(dir);
        } catch (IllegalArgumentException e) {
            return new Verdict(false, e.getMessage(), 0, 0, 0, null, false);
        }
        LockchainVerifier.Result r = LockchainVerifier.verify(read.cycles, publishedHead);
        String head = read.cycles.isEmpty() ? hex(new byte[32])
            : hex(read.seals.get(read.seals.size() - 1).link());
        return new Verdict(r.ok(), r.ok() ? null : r.toString(), read.receiptCount, read.cycles.size(),
            read.tail.size(), head, r.anchored());
    }

    /**
     * Replays {@code dir}'s receipts into a fresh chain so that a restart continues it exactly.
     * Receipts written after the last seal (a crash before the seal) are the unsealed tail: they
     * open the next cycle again and are sealed into it with the receipts that follow. A tail that
     * does not belong to the next cycle, or a torn line, is refused with its line number; nothing
     * is rewritten.
     */
    static Replayed replay(Path dir, int cycleReceipts) throws IOException {
        Read read = read(dir);
        LockchainVerifier.Result r = LockchainVerifier.verify(read.cycles, null);
        if (!r.ok()) {
            throw new IllegalStateException("lockchain in " + dir + " does not verify, refusing to extend it: " + r);
        }
        if (read.strayLine > 0) {
            throw new IllegalStateException(RECEIPTS + " line " + read.strayLine + " in " + dir + ": unsealed receipt "
                + "claims chainCycle " + read.strayCycle + " but the next cycle is " + read.seals.size()
                + "; refusing to extend the chain");
        }
        // earlier runs may have used a larger cycleReceipts (or left a tail that fills a cycle)
        int capacity = Math.max(cycleReceipts, read.tail.size());
        for (CycleSeal s : read.seals) {
            capacity = Math.max(capacity, s.receiptCount());
        }
        Lockchain chain = new Lockchain(capacity);
        long next = 0;
        for (LockchainVerifier.Cycle c : read.cycles) {
            // seals are read back, not trusted: the replay recomputes each link
            for (byte[] rec : read.records.get((int) next)) {
                chain.add(rec, 0);
            }
            chain.seal(read.seals.get((int) next).cycleId());
            next++;
        }
        for (byte[] rec : read.tail) {
            chain.add(rec, 0);
        }
        long nextCycle = read.seals.isEmpty() ? 0 : read.seals.get(read.seals.size() - 1).cycleId() + 1;
        return new Replayed(chain, nextCycle, read.receiptCount);
    }

    record Replayed(Lockchain chain, long nextCycle, long receipts) {
    }

    private static final class Read {
        final List<CycleSeal> seals = new ArrayList<>();
        final List<List<byte[]>> records = new ArrayList<>();
        final List<LockchainVerifier.Cycle> cycles = new ArrayList<>();
        final List<byte[]> tail = new ArrayList<>();
        long receiptCount;
        /** Line of the first unsealed receipt whose chainCycle is not the next cycle (0: none), and that cycle. */
        long strayLine;
        long strayCycle;
    }

    private static Read read(Path dir) throws IOException {
        Read read = new Read();
        Path chainFile = dir.resolve(LOCKCHAIN);
        Path receiptsFile = dir.resolve(RECEIPTS);
        if (Files.exists(chainFile)) {
            int n = 0;
            for (String line : Files.readAllLines(chainFile, StandardCharsets.UTF_8)) {
                n++;
                if (!line.isBlank()) {
                    read.seals.add(seal(line, n));
                    read.records.add(new ArrayList<>());
                }
            }
        }
        if (Files.exists(receiptsFile)) {
            BufferPool scratch = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(1)
                .setReceiptsPerBuffer(1).setName("receipt-log"));
            Receipt r = scratch.acquireReceipt();
            try (BufferedReader in = Files.newBufferedReader(receiptsFile, StandardCharsets.UTF_8)) {
                String line;
                long n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    long chainCycle = fill(r, line, n);
                    byte[] rec = ReceiptRecord.encode(r);
                    read.receiptCount++;
                    if (chainCycle < read.seals.size()) {
                        read.records.get((int) chainCycle).add(rec);
                    } else {
                        read.tail.add(rec);
                        if (chainCycle != read.seals.size() && read.strayLine == 0) {
                            read.strayLine = n;
                            read.strayCycle = chainCycle;
                        }
                    }
                }
            } finally {
                scratch.close();
            }
        }
        for (int i = 0; i < read.seals.size(); i++) {
            read.cycles.add(new LockchainVerifier.Cycle(read.seals.get(i), read.records.get(i)));
        }
        return read;
    }

    private static CycleSeal seal(String line, int n) {
        try {
            JsonObject j = new JsonObject(line);
            byte[] leaves = HEX.parseHex(j.getString("leaves"));
            return new CycleSeal(j.getLong("cycle"), leaves, HEX.parseHex(j.getString("root")),
                HEX.parseHex(j.getString("link")));
        } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(LOCKCHAIN + " line " + n + ": not a seal: " + e.getMessage());
        }
    }

    /** Sets every field of {@code r} from one receipts line; returns its chain cycle. */
    private static long fill(Receipt r, String line, long n) {
        try {
            JsonObject j = new JsonObject(line);
            r.cycleId(j.getLong("cycle")).shardId(j.getInteger("shard")).hookId(j.getInteger("hookId"))
                .ticks(j.getLong("ticks")).actualTicks(j.getLong("actualTicks")).lanes(j.getInteger("lanes"))
                .flags(j.getInteger("flags")).spanId(HexFormat.fromHexDigitsToLong(j.getString("spanId")))
                .aHash(HexFormat.fromHexDigitsToLong(j.getString("aHash")))
                .result(HexFormat.fromHexDigitsToLong(j.getString("result")));
            long chainCycle = j.getLong("chainCycle");
            if (chainCycle < 0) {
                throw new IllegalArgumentException("chainCycle " + chainCycle + " is negative");
            }
            return chainCycle;
        } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(RECEIPTS + " line " + n + ": not a receipt: " + e.getMessage());
        }
    }
}
