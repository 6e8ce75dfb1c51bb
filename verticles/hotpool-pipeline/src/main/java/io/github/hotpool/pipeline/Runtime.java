package io.github.hotpool.pipeline;

import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.TermTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * State shared by the verticles of one deployed pipeline: options, hooks, counters, recent
 * errors and the test seams. Found by id from each verticle's config. Thread-safe.
 */
final class Runtime {

    private static final Map<String, Runtime> BY_ID = new ConcurrentHashMap<>();

    final String id;
    final PipelineOptions options;
    final List<Hook> hooks;
    /** Names ids again for sinks; null without sinks or with several Transform instances. */
    final TermTable terms;
    /** Set by the one Transform instance that writes {@link #terms}. */
    final java.util.concurrent.atomic.AtomicBoolean termWriter = new java.util.concurrent.atomic.AtomicBoolean();
    /** Issued batches; also the next batch sequence number. */
    final AtomicLong batches = new AtomicLong();
    final AtomicLong emitted = new AtomicLong();
    /** Ingest instances number themselves 0, 1, 2... (the receipts' shard id). */
    final java.util.concurrent.atomic.AtomicInteger shards = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLongArray failed = new AtomicLongArray(Failure.values().length);
    final AtomicLong triples = new AtomicLong();
    final AtomicLong receipts = new AtomicLong();
    final AtomicLong badLines = new AtomicLong();
    final AtomicLong staleDeliveries = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong resumes = new AtomicLong();
    final AtomicLong sinkFailures = new AtomicLong();
    final AtomicLong webhookRetries = new AtomicLong();
    /** Webhook posts dropped because webhookMaxInFlight were pending (also in sinkFailures). */
    final AtomicLong webhookDropped = new AtomicLong();
    final AtomicLong maxQueuedChunks = new AtomicLong();
    /** Open HTTP and TCP connections, every Ingest instance together (maxConnections bounds it). */
    final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong refusedConnections = new AtomicLong();
    final AtomicLong idleClosedConnections = new AtomicLong();
    private final RecentErrors errors = new RecentErrors();
    volatile FaultInjector faults = FaultInjector.NONE;
    final java.util.List<Ledger> ledgers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Started Ingest instances, for in-memory input (round robin over {@link #nextIngest}). */
    final java.util.List<IngestVerticle> ingests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger nextIngest = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean closing;
    /** What Emit's receipt store found when it opened its directory (null before Emit started). */
    volatile io.github.hotpool.pipeline.store.ReceiptStore.Recovery recovery;
    /** Why the pipeline cannot go on (the receipt store failed), or null; the first reason wins. */
    final java.util.concurrent.atomic.AtomicReference<String> fatal = new java.util.concurrent.atomic.AtomicReference<>();
    volatile int httpPort = -1;
    volatile int tcpPort = -1;
    /**
     * Test seam: Emit stops as a crash would leave it after its last flush landed: receipts
     * durable, the open cycle unsealed.
     */
    volatile boolean crashOnStop;
    /** Test seam: when set, each batch's outcome by (shard << 48 | seq): 1 emitted, 2 failed. */
    volatile Map<Long, Integer> outcomes;

    Runtime(String id, PipelineOptions options) {
        this.id = id;
        this.options = options;
        this.hooks = GuardHooks.parse(options.getHooks());
        // names are only read by sinks (receipts' subjects): without one, recording them is wasted work per term
        boolean sinks = options.getLockchain().getOutDir() != null || options.getSinks().getEventBusSink() != null || options.getSinks().getWebhookUrl() != null;
        this.terms = sinks && options.getStages().getTransform().getInstances() == 1 ? new TermTable(1 << 14, 256) : null;
    }

    static Runtime register(Runtime r) {
        BY_ID.put(r.id, r);
        return r;
    }

    static void unregister(String id) {
        BY_ID.remove(id);
    }

    static Runtime of(String id) {
        Runtime r = BY_ID.get(id);
        if (r == null) {
            throw new IllegalStateException("no pipeline with id '" + id + "' is deployed in this JVM");
        }
        return r;
    }

    void error(String message) {
        errors.add(message);
    }

    List<String> recentErrors() {
        return errors.list();
    }

    /**
     * Batch {@code seq} of {@code stream} was emitted; called once, by Emit, after its buffer
     * went home (so a completed stream never has a buffer out).
     */
    void emitted(long seq, IngestStream stream) {
        emitted.incrementAndGet();
        record(seq, 1);
        stream.resolved(seq, true);
    }

    /** Batch {@code seq} failed; called once per batch, by whoever decided its fate. */
    void failed(long seq, IngestStream stream, Failure cause, Stage stage, Throwable t) {
        failed.incrementAndGet(cause.ordinal());
        record(seq, 2);
        error("batch " + seq + " failed at " + stage + ": " + cause + (t == null ? "" : " (" + t.getMessage() + ")"));
        stream.resolved(seq, false);
    }

    private void record(long seq, int outcome) {
        Map<Long, Integer> o = outcomes;
        if (o != null) {
            Integer before = o.put(seq, outcome);
            if (before != null) {
                error("batch " + seq + " resolved twice (" + before + ", then " + outcome + ")");
            }
        }
    }

    long failedTotal() {
        long n = 0;
        for (int i = 0; i < failed.length(); i++) {
            n += failed.get(i);
        }
        return n;
    }
}
