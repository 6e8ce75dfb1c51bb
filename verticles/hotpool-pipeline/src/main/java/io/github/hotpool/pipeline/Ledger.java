package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.vertx.ContextPools;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Who holds each in-flight handle of one Ingest pool, and the batch data that rides beside it
 * (sequence number, staged N-Triples lines). One per Ingest pool; thread-safe through the
 * per-slot state word, which every party changes by compare-and-set.
 */
final class Ledger {

    /*
     * A slot's state word packs (generation << 32 | stage << 8 | phase). The event-bus message is
     * only a doorbell for the slot: a stage acts on a delivery only if it wins the CAS
     * TRANSIT(gen, me) -> HELD(gen, me). Exactly one party ends every lease:
     *   - the holder, when its work throws or its hold timed out (HELD/TIMED_OUT -> FREE);
     *   - Emit, when it claims the batch (TRANSIT(gen, EMIT) -> FREE, then writes and releases);
     *   - the watchdog, when a batch stayed in TRANSIT past the stage timeout (lost: no handler,
     *     consumer undeployed, queue too slow) -> FREE. A late delivery then fails its CAS and is
     *     dropped untouched, so a timeout never recycles a buffer that a stage is reading.
     * A holder past the timeout is only marked TIMED_OUT (and counted); it keeps the buffer until
     * its work ends and then releases instead of forwarding.
     * State is set to FREE before the pool release, so a new lease never sees a stale word.
     */

    static final int FREE = 0;
    static final int TRANSIT = 1;
    static final int HELD = 2;
    static final int TIMED_OUT = 3;

    private static final Map<BufferPool, Ledger> BY_POOL = new ConcurrentHashMap<>();

    final BufferPool pool;
    private final AtomicLongArray state;
    private final AtomicLongArray since;
    final SoaBuffer[] buffers;
    final long[] seq;
    final IngestStream[] stream;
    final byte[][] staging;
    final int[] stagingLength;
    /** Per slot: line number and staging offset of each staged line (at most MAX_RUN_LEN). */
    final long[][] lineNumber;
    /** Input offset just past the last line staged in the slot, and that line's number (resume points). */
    final long[] endOffset;
    final long[] endLine;
    final int[][] lineStart;
    final int[] lineCount;

    Ledger(BufferPool pool, int maxLineLength) {
        this.pool = pool;
        int slots = pool.options().getSoaBuffers();
        this.state = new AtomicLongArray(slots);
        this.since = new AtomicLongArray(slots);
        this.buffers = new SoaBuffer[slots];
        this.seq = new long[slots];
        this.stream = new IngestStream[slots];
        // every staged line ends with '\n', so MAX_RUN_LEN lines of maxLineLength always fit
        this.staging = new byte[slots][SoaLayout.MAX_RUN_LEN * (maxLineLength + 1)];
        this.stagingLength = new int[slots];
        this.lineNumber = new long[slots][SoaLayout.MAX_RUN_LEN + 1];
        this.endOffset = new long[slots];
        this.endLine = new long[slots];
        this.lineStart = new int[slots][SoaLayout.MAX_RUN_LEN + 1];
        this.lineCount = new int[slots];
    }

    static void register(Ledger ledger) {
        BY_POOL.put(ledger.pool, ledger);
    }

    static void unregister(Ledger ledger) {
        BY_POOL.remove(ledger.pool, ledger);
    }

    /** @return the ledger of {@code b}'s pool, or null when that Ingest is gone */
    static Ledger of(SoaBuffer b) {
        return BY_POOL.get(b.pool());
    }

    static long word(int generation, int stage, int phase) {
        return (long) generation << 32 | (long) stage << 8 | phase;
    }

    static int phase(long word) {
        return (int) word & 0xFF;
    }

    static int stage(long word) {
        return (int) (word >>> 8) & 0xFF;
    }

    static int generation(long word) {
        return (int) (word >>> 32);
    }

    long word(int slot) {
        return state.get(slot);
    }

    long since(int slot) {
        return since.get(slot);
    }

    /** Ingest, after acquire: the batch is on its way to {@code stage}. */
    void dispatch(int slot, int generation, int stage, long now) {
        since.set(slot, now);
        state.set(slot, word(generation, stage, TRANSIT));
    }

    /** Changes the word from {@code expect} to {@code update}, stamping the time on success. */
    boolean move(int slot, long expect, long update, long now) {
        if (state.compareAndSet(slot, expect, update)) {
            since.set(slot, now);
            return true;
        }
        return false;
    }

    /** Ends the lease of {@code slot}: marks it free, then gives the buffer back (any thread). */
    void release(int slot) {
        SoaBuffer b = buffers[slot];
        state.set(slot, FREE);
        ContextPools.release(b);
    }
}
