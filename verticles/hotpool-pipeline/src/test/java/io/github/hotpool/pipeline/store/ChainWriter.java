package io.github.hotpool.pipeline.store;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.triples.CycleSeal;
import io.github.hotpool.triples.Lockchain;
import io.github.hotpool.triples.ReceiptRecord;
import io.github.hotpool.triples.TermIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes real chains for the verifier tests without a pipeline: receipts from one scratch pool
 * receipt, appended, sealed and flushed by the {@link ReceiptStore} itself (format 2), or written
 * by hand in format 1. Receipt {@code x} (counted from 0 over the whole chain) has
 * {@code hookId = x % 3 + 1}, hook name {@code "hook-" + hookId}, {@code lanes = 2} and
 * {@code result = x % 2}; a fired receipt (result 1) shows two subject ids: the term ids of
 * {@link #name} (named in the names file), or cheap made-up ids in bulk. Owner thread only.
 */
final class ChainWriter implements AutoCloseable {

    /** Flush once this many receipts wait, as a group commit would. */
    static final int FLUSH_EVERY = 4096;

    final ReceiptStore store;
    private final BufferPool pool;
    private final Receipt r;
    private final boolean names;
    long written;

    private ChainWriter(Path dir, int cycleReceipts, boolean names) throws IOException {
        this.store = ReceiptStore.open(dir, cycleReceipts, Durability.NONE);
        this.pool = scratchPool();
        this.r = pool.acquireReceipt();
        this.names = names;
    }

    /** A store on {@code dir} whose fired receipts also get a line in the names file. */
    static ChainWriter open(Path dir, int cycleReceipts) throws IOException {
        return new ChainWriter(dir, cycleReceipts, true);
    }

    /** A store on {@code dir} that writes no names (bulk generation). */
    static ChainWriter bulk(Path dir, int cycleReceipts) throws IOException {
        return new ChainWriter(dir, cycleReceipts, false);
    }

    static BufferPool scratchPool() {
        return new BufferPool(new PoolOptions().setName("chain-writer").setSoaBuffers(1).setReceipts(1)
            .setReceiptsPerBuffer(1));
    }

    /** A made-up subject id of receipt {@code x} for bulk chains (no term behind it). */
    static long subject(long x, int i) {
        return (x * 0x9E3779B97F4A7C15L) ^ (i + 1L) * 0xC2B2AE3D27D4EB4FL;
    }

    /** The name the names file shows for a subject of receipt {@code x}. */
    static String name(long x, int i) {
        return "<https://example.org/s" + x + "-" + i + ">";
    }

    /** Sets the scratch receipt to receipt {@code x}. */
    static Receipt fill(Receipt r, long x) {
        int hook = (int) (x % 3) + 1;
        return r.cycleId(x / 8).shardId(0).hookId(hook).ticks(0).actualTicks(x % 97).lanes(2).flags(770)
            .spanId(x * 0x2545F4914F6CDD1DL).aHash(~x).result(x % 2);
    }

    /** Appends {@code n} receipts; the store seals each cycle as it fills; flushes every {@link #FLUSH_EVERY}. */
    ChainWriter receipts(long n) throws IOException {
        for (long i = 0; i < n; i++) {
            long x = written++;
            fill(r, x);
            store.beginReceipt(r, "hook-" + r.hookId());
            if (r.result() != 0) {
                for (int s = 0; s < 2; s++) {
                    long id = names ? TermIds.of(name(x, s)) : subject(x, s);
                    store.subject(id);
                    if (names) {
                        store.name(id, name(x, s));
                    }
                }
            }
            store.endReceipt();
            if (store.bufferedReceipts() >= FLUSH_EVERY) {
                flush();
            }
        }
        return this;
    }

    /** Seals the open cycle (as a stopping run does). */
    ChainWriter seal() {
        store.seal();
        return this;
    }

    /** Writes and acknowledges everything appended (one flush: receipts, seals, checkpoint). */
    ChainWriter flush() throws IOException {
        ReceiptStore.Flush f = store.takeFlush();
        store.write(f);
        store.flushed(f);
        return this;
    }

    @Override
    public void close() throws IOException {
        r.close();
        pool.close();
        store.close();
    }

    /**
     * Writes a format-1 directory by hand, as runs before format 2 did: no header line and no
     * checkpoint; seal lines {@code {"cycle","receipts","root","link","leaves"}}; receipt lines
     * whose {@code subjects} are names; each leaf the format-1 hash of the receipt's 64-byte
     * record ({@link Lockchain#add(byte[], int)}). The last {@code n % cycleReceipts} receipts stay
     * unsealed. Returns the head.
     */
    static byte[] writeFormat1(Path dir, int cycleReceipts, int n) throws IOException {
        Files.createDirectories(dir);
        Lockchain chain = new Lockchain(cycleReceipts);
        BufferPool pool = scratchPool();
        Receipt r = pool.acquireReceipt();
        byte[] rec = new byte[ReceiptRecord.LENGTH];
        long cycle = 0;
        try (Writer receipts = Files.newBufferedWriter(dir.resolve(ReceiptStore.RECEIPTS), StandardCharsets.UTF_8);
             Writer seals = Files.newBufferedWriter(dir.resolve(ReceiptStore.LOCKCHAIN), StandardCharsets.UTF_8)) {
            for (long x = 0; x < n; x++) {
                fill(r, x);
                ReceiptRecord.encode(r, rec, 0);
                chain.add(rec, 0);
                JsonObject line = new JsonObject().put("chainCycle", cycle).put("cycle", r.cycleId())
                    .put("shard", r.shardId()).put("hookId", r.hookId()).put("hook", "hook-" + r.hookId())
                    .put("ticks", r.ticks()).put("actualTicks", r.actualTicks()).put("lanes", r.lanes())
                    .put("flags", r.flags()).put("spanId", Hex.of(r.spanId())).put("aHash", Hex.of(r.aHash()))
                    .put("result", Hex.of(r.result()));
                if (r.result() != 0) {
                    line.put("subjects", new JsonArray().add(name(x, 0)).add(name(x, 1)));
                }
                receipts.write(line.encode() + "\n");
                if (chain.pending() == cycleReceipts) {
                    CycleSeal seal = chain.seal(cycle++);
                    seals.write(ReceiptStore.sealJson(seal).encode() + "\n");
                }
            }
        } finally {
            r.close();
            pool.close();
        }
        return chain.head();
    }
}
