package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.stage.StagePipeline;
import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The RDF guard on the stage framework (pipeline v2): one {@link StagePipeline} declaration whose
 * rows are 8-triple Δ-ring rows travelling as spans, with receipts in a table beside the ring.
 *
 * <pre>
 *   ingest (source: frame + parse)  --span--> load --span--> reflex --span--> emit --> receipts.jsonl, lockchain.jsonl
 *   file / buffer, one at a time      group by    hook kernels    store, group commit,
 *   rows of 8 lines, ids in lanes     predicate   receipts[row]   inputs settled when durable
 * </pre>
 *
 * <p>Inputs are files, buffers and streams, read one at a time in submission order, and, with
 * {@code listeners} set, HTTP request bodies and TCP connections, read side by side with them
 * (rows of one input never mix with another's; see docs/pipeline.md, Network inputs); an input's
 * future (or its HTTP response, its TCP reply line) completes once every one of its rows is
 * durable (chained or failed and counted). One writer per output directory. Thread-safety: every
 * method may be called on any thread.
 */
public final class GuardPipeline implements ReceiptPipeline {

    private final Vertx vertx;
    private final GuardState state;
    private final RingIngest ingest;
    private final RingEmit emit;
    private final StagePipeline stages;
    private Future<Void> undeploying;

    private GuardPipeline(Vertx vertx, GuardState state, RingIngest ingest, RingEmit emit, StagePipeline stages) {
        this.vertx = vertx;
        this.state = state;
        this.ingest = ingest;
        this.emit = emit;
        this.stages = stages;
    }

    /**
     * Deploys the guard with the options' Δ-ring ({@code ringCapacity}, default 1024 rows) and spans
     * ({@code span}: rows per span and linger, which change neither the rows nor the receipts).
     *
     * @param vertx the Vert.x instance
     * @param options hooks, output directory, durability, bad-line policy, line length, cycle size, ring, spans
     * @return the pipeline once every stage runs and the output directory is open (recovered); failed
     *     (nothing left deployed) if the options are invalid or the output directory cannot be opened
     */
    public static Future<GuardPipeline> deploy(Vertx vertx, PipelineOptions options) {
        PipelineOptions o;
        try {
            o = new PipelineOptions(options).validate();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        LockchainOptions lc = o.getLockchain();
        Future<ReceiptStore> opened = lc.getOutDir() == null
            ? Future.succeededFuture(ReceiptStore.inMemory(lc.getCycleReceipts()))
            : vertx.executeBlocking(() -> ReceiptStore.open(Path.of(lc.getOutDir()), lc.getCycleReceipts(), lc.getDurability()));
        return opened.compose(store -> {
            GuardState state;
            try {
                // the tables beside the ring are indexed by sequence: an adaptive ring holds fewer
                // than twice its maximum rows at once (the old slab's and the new one's)
                int max = o.getRings().getRingMaxCapacity();
                state = new GuardState(o, max == 0 ? o.getRings().getRingCapacity() : 2 * max, store);
            } catch (RuntimeException e) {
                return closeStore(vertx, store).transform(x -> Future.failedFuture(e));
            }
            RingEmit emit = new RingEmit(state);
            RingIngest ingest = new RingIngest(state, emit::poke);
            int[] reflexMade = {0};
            StagesOptions so = o.getStages();
            StagePipeline.Builder b = StagePipeline.builder().name("guard")
                .pushSource("ingest", () -> ingest)
                .stage("load", RingLoad::new, so.getLoad().getInstances())
                .stage("reflex", () -> new RingReflex(state, reflexMade[0]++), so.getReflex().getInstances())
                .stage("emit", () -> emit, 1);
            shareContexts(b, so);
            return b
                .ringCapacity(o.getRings().getRingCapacity()).ringMaxCapacity(o.getRings().getRingMaxCapacity())
                .span(o.getRings().getSpan())
                .stageTimeoutMillis(o.getStages().getStageTimeoutMillis())
                .drainTimeoutMillis(Math.max(10_000, 2 * o.getStages().getStageTimeoutMillis()))
                .deploy(vertx)
                .map(sp -> {
                    ingest.context = sp.spanRing().context();
                    return new GuardPipeline(vertx, state, ingest, emit, sp);
                })
                .recover(e -> closeStore(vertx, store).transform(x -> Future.failedFuture(e)))
                .compose(gp -> {
                    if (!o.getListeners().any()) {
                        return Future.succeededFuture(gp);
                    }
                    RingListeners l = new RingListeners(ingest, state, o.getListeners(), ingest.context);
                    ingest.listeners = l;
                    // a port that cannot be bound fails the deployment, leaving nothing deployed
                    return l.listen().map(gp).recover(e -> gp.undeploy().transform(x -> Future.failedFuture(e)));
                });
        });
    }

    private static Future<Void> closeStore(Vertx vertx, ReceiptStore store) {
        return store.dir() == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            store.close();
            return null;
        });
    }

    /** Declares Load, Reflex and Emit that name a shared context (StageOptions.context) on it. */
    private static void shareContexts(StagePipeline.Builder b, StagesOptions so) {
        java.util.Map<String, java.util.List<String>> groups = new java.util.LinkedHashMap<>();
        String[] names = {"load", "reflex", "emit"};
        StageOptions[] stages = {so.getLoad(), so.getReflex(), so.getEmit()};
        for (int i = 0; i < names.length; i++) {
            if (stages[i].getContext() != null) {
                groups.computeIfAbsent(stages[i].getContext(), g -> new java.util.ArrayList<>()).add(names[i]);
            }
        }
        groups.forEach((g, members) -> b.sharedContext(g, members.toArray(String[]::new)));
    }

    /** Streams a file from its start; see {@link #ingestFile(String, InputMark)}. */
    public Future<JsonObject> ingestFile(String path) {
        return ingestFile(path, null);
    }

    /**
     * Streams an N-Triples file through the pipeline, after any input submitted before it.
     *
     * @param path the file
     * @param mark the input's identity and where to resume (its offset and line), or null
     * @return the summary ({@code source, lines, triples, batches, failedBatches, badLines}) once
     *     every row of the file is durable; failed with the first bad line under FAIL, or why it
     *     could not be read
     */
    public Future<JsonObject> ingestFile(String path, InputMark mark) {
        GuardInput in = new GuardInput(path, mark, Promise.promise());
        ingest.submitFile(in, path);
        return in.done.future();
    }

    /**
     * Streams N-Triples already in memory, framed in 64 KiB chunks exactly like a file.
     *
     * @param data the input
     * @param name the input's name in error reports ({@code name:LINE:COL: reason})
     * @param mark the input's identity and where to resume, or null
     * @return the summary, as {@link #ingestFile(String, InputMark)}
     */
    public Future<JsonObject> ingest(Buffer data, String name, InputMark mark) {
        GuardInput in = new GuardInput(name, mark, Promise.promise());
        ingest.submitBuffer(in, data);
        return in.done.future();
    }

    /**
     * Streams N-Triples from {@code in} (stdin, a pipe, a socket's stream) to its end, read on a
     * worker as bytes come and cut into rows by content, like a file. Not resumable: a crash loses
     * what was not yet durable, and the same bytes sent again are chained again.
     *
     * <p>The reads run as blocking tasks on Vert.x's worker threads, one at a time but not always on
     * the same thread. A stream that reads through a {@code FileChannel} (such as
     * {@code Files.newInputStream}) then leaves each of those threads the JDK's cached native copy of
     * a 256 KiB read; for a file, {@link #ingestFile(String, InputMark)} reads through one buffer
     * and resumes after a crash.
     *
     * @param in the input; read here, closed by the caller
     * @param name the input's name in error reports
     * @return the summary, as {@link #ingestFile(String, InputMark)}
     */
    public Future<JsonObject> ingest(java.io.InputStream in, String name) {
        GuardInput input = new GuardInput(name, null, Promise.promise());
        ingest.submitStream(input, in);
        return input.done.future();
    }

    /** Test seam: streams a ReadStream whose handlers run on {@link #sourceContext()}. */
    Future<JsonObject> ingest(io.vertx.core.streams.ReadStream<Buffer> stream, String name) {
        GuardInput in = new GuardInput(name, null, Promise.promise());
        ingest.submitStream(in, stream);
        return in.done.future();
    }

    /** @return the HTTP listener's port (the one bound, with port 0 asked for), or -1 when it is off */
    public int httpPort() {
        RingListeners l = ingest.listeners;
        return l == null ? -1 : l.httpPort;
    }

    /** @return the TCP listener's port, or -1 when it is off */
    public int tcpPort() {
        RingListeners l = ingest.listeners;
        return l == null ? -1 : l.tcpPort;
    }

    /**
     * Stops the HTTP and TCP listeners taking new connections and requests (a new TCP peer gets an
     * error line, a new HTTP request a 503); the inputs being read may end within {@code millis},
     * then those still open fail ("listener stopped: ...") and every connection is closed. A
     * connection held open therefore delays this by at most {@code millis}. Rows already written
     * go on through the pipeline: {@link #flush()} after this makes them durable.
     *
     * @return completes once the listeners are closed (at once without listeners)
     */
    public Future<Void> stopIntake(long millis) {
        RingListeners l = ingest.listeners;
        if (l == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        ingest.context.runOnContext(v -> l.stopIntake(millis).onComplete(done));
        return done.future();
    }

    /** Cuts the network inputs ("pipeline stopped"), answers them, closes the listeners. */
    private Future<Void> closeListeners() {
        RingListeners l = ingest.listeners;
        if (l == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        ingest.context.runOnContext(v -> l.close("pipeline stopped").onComplete(done));
        return done.future();
    }

    /** Test seam: every flush waits this long before it writes, as on a slow disk. */
    void slowDisk(long millis) {
        state.flushDelayMillis = millis;
    }

    /** Test seam: Reflex throws on every row whose sequence is a multiple of {@code every}. */
    void failRows(long every) {
        state.failEvery = every;
    }

    /** @return the source's context (the Δ-ring's producer) */
    io.vertx.core.Context sourceContext() {
        return ingest.context;
    }

    /**
     * Seals the open cycle and makes everything durable.
     *
     * @return the chain state: {@code head} (hex), {@code cycles}, {@code receipts}, {@code heldForFile}
     */
    public Future<JsonObject> flush() {
        return emit.sealAndFlush();
    }

    /** @return what the receipt store found when it opened the directory */
    public ReceiptStore.Recovery recovery() {
        return state.store.recovery();
    }

    /** @return why the pipeline cannot go on (the receipt store failed), or null */
    public String failure() {
        return state.fatal.get();
    }

    /** @return the options the pipeline runs with (a copy) */
    public PipelineOptions options() {
        return new PipelineOptions(state.options);
    }

    /** @return the stage framework pipeline underneath (ring, spans, per-stage counters) */
    public StagePipeline stages() {
        return stages;
    }

    /** @return a snapshot of the counters */
    public GuardStats stats() {
        RingListeners l = ingest.listeners;
        GuardStats.Connections c = l == null ? GuardStats.Connections.NONE : new GuardStats.Connections(
            l.openConnections.get(), l.refusedConnections.get(), l.idleClosedConnections.get(), l.pauses.get());
        return new GuardStats(state.triples.get(), state.rows.get(), state.receiptsChained, state.rowsEmitted,
            state.rowsFailed, state.rowsCut, state.badLines.get(), state.bytesRead.get(), stages.stats(), c,
            state.recentErrors());
    }

    /**
     * Stops taking input (the input being read fails with "pipeline stopped"), waits for the rows in
     * flight to pass Emit, seals the open cycle, makes it durable, undeploys every stage and closes
     * the output directory (releasing its lock). Idempotent.
     *
     * @return completes once everything is undeployed and closed
     */
    public synchronized Future<Void> undeploy() {
        if (undeploying == null) {
            undeploying = closeListeners().transform(x -> stages.drain())
                .transform(d -> state.store.failure() != null ? Future.succeededFuture() : emit.sealAndFlush())
                .transform(f -> stages.undeploy())
                .transform(u -> closeStore(vertx, state.store));
        }
        return undeploying;
    }
}
