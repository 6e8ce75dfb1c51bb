package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A deployed Ingest → Transform → Load → Reflex → Emit pipeline: deploy it with one call, feed
 * it files (or let its HTTP / TCP listeners take input), read its counters, undeploy it.
 * Thread-safe: every method may be called from any thread.
 *
 * <pre>
 *  file / HTTP / TCP ──► Ingest ──handle──► Transform ──► Load ──► Reflex ──► Emit ──► sinks, lockchain
 *                          ▲  (pool owner)                                      │
 *                          └────────────── handle goes home (release) ◄─────────┘
 * </pre>
 */
public final class Pipeline implements ReceiptPipeline {

    static final String CONFIG_ID = "pipelineId";
    /**
     * Options of every handle hop: shared (never mutated) because {@code send(address, body)} would
     * allocate a fresh DeliveryOptions per message; local only, a handle never leaves the JVM.
     */
    static final DeliveryOptions HOP = new DeliveryOptions().setLocalOnly(true);
    private static final DeliveryOptions LONG = new DeliveryOptions().setSendTimeout(24L * 3600 * 1000);

    private final Vertx vertx;
    private final Runtime rt;
    private final List<String> deployments = new ArrayList<>();
    private Future<Void> undeployed;

    private Pipeline(Vertx vertx, Runtime rt) {
        this.vertx = vertx;
        this.rt = rt;
    }

    /**
     * Validates {@code options} and deploys the five stages (Emit first, Ingest last, so that
     * every address has a consumer before anything is sent to it).
     *
     * @return the running pipeline, or a failure naming the bad option or the stage that failed to start
     */
    public static Future<Pipeline> deploy(Vertx vertx, PipelineOptions options) {
        Runtime rt;
        try {
            PipelineOptions o = new PipelineOptions(options).validate();
            rt = new Runtime("p" + UUID.randomUUID().toString().substring(0, 8), o);
            checkReceiptCapacity(o, rt.hooks.size());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Runtime.register(rt);
        Pipeline p = new Pipeline(vertx, rt);
        PipelineOptions o = rt.options;
        return p.deploy(EmitVerticle::new, 1)
            .compose(v -> p.deploy(ReflexVerticle::new, o.getStages().getReflex().getInstances()))
            .compose(v -> p.deploy(LoadVerticle::new, o.getStages().getLoad().getInstances()))
            .compose(v -> p.deploy(TransformVerticle::new, o.getStages().getTransform().getInstances()))
            .compose(v -> p.deploy(IngestVerticle::new, o.getStages().getIngest().getInstances()))
            .map(v -> p)
            .recover(t -> p.undeploy().transform(ar -> Future.failedFuture(t)));
    }

    private static void checkReceiptCapacity(PipelineOptions o, int hooks) {
        int perBuffer = o.getPool().getReceiptsPerBuffer();
        if (hooks > perBuffer) {
            throw new IllegalArgumentException(hooks + " hooks exceed receiptsPerBuffer " + perBuffer
                + " (each batch carries one receipt per hook)");
        }
        long needed = (long) hooks * o.getPool().getSoaBuffers();
        if (needed > o.getPool().getReceipts()) {
            throw new IllegalArgumentException(hooks + " hooks x " + o.getPool().getSoaBuffers()
                + " SoA buffers need " + needed + " receipts, pool has receipts " + o.getPool().getReceipts());
        }
    }

    private Future<Void> deploy(Supplier<? extends Deployable> verticle, int instances) {
        DeploymentOptions d = new DeploymentOptions().setInstances(instances)
            .setConfig(new JsonObject().put(CONFIG_ID, rt.id));
        return vertx.deployVerticle(verticle, d).onSuccess(deployments::add).mapEmpty();
    }

    /** @return this pipeline's id (unique in the JVM) */
    public String id() {
        return rt.id;
    }

    /** @return the options in force (a copy, with default addresses filled in) */
    public PipelineOptions options() {
        return new PipelineOptions(rt.options);
    }

    /**
     * Streams one N-Triples file through the pipeline.
     *
     * @return a summary ({@code source, lines, triples, batches, failedBatches, badLines}) once every
     *     batch of the file was emitted or failed; a failure if the file cannot be read or a bad line
     *     met {@link BadLinePolicy#FAIL}
     */
    public Future<JsonObject> ingestFile(String path) {
        return ingestFile(path, null);
    }

    /**
     * Streams one N-Triples file through the pipeline and records its progress in the receipt
     * store's checkpoint under {@code mark}'s identity, starting where {@code mark} says (its offset
     * and line: the resume point a store recorded for this same file, or 0 for its start); null:
     * from the start, progress not recorded.
     */
    public Future<JsonObject> ingestFile(String path, io.github.hotpool.pipeline.store.InputMark mark) {
        JsonObject req = new JsonObject().put("file", path);
        if (mark != null) {
            req.put("mark", mark.toJson());
        }
        return vertx.eventBus().<JsonObject>request(address(rt.options, Stage.INGEST), req, LONG).map(m -> m.body());
    }

    /**
     * Streams N-Triples already in memory through the pipeline, framed exactly like a file (in
     * {@value MemoryStream#CHUNK}-byte chunks, with the same back-pressure); {@code sourceName} names
     * the input in error reports ({@code sourceName:LINE:COL: reason}). {@code data} must not change
     * until the future completes. Instances of Ingest take such inputs in turn.
     *
     * @return the same summary as {@link #ingestFile}; a failure if no Ingest runs or a bad line met
     *     {@link BadLinePolicy#FAIL}
     */
    public Future<JsonObject> ingest(Buffer data, String sourceName) {
        return ingest(data, sourceName, MemoryStream.CHUNK, null);
    }

    /**
     * {@link #ingest(Buffer, String)} from where {@code mark} says, recording progress under its
     * identity, as {@link #ingestFile(String, io.github.hotpool.pipeline.store.InputMark)} does.
     */
    public Future<JsonObject> ingest(Buffer data, String sourceName, io.github.hotpool.pipeline.store.InputMark mark) {
        return ingest(data, sourceName, MemoryStream.CHUNK, mark);
    }

    /** {@link #ingest(Buffer, String)} in chunks of {@code chunk} bytes (tests: line ends cut at every offset). */
    Future<JsonObject> ingest(Buffer data, String sourceName, int chunk) {
        return ingest(data, sourceName, chunk, null);
    }

    private Future<JsonObject> ingest(Buffer data, String sourceName, int chunk,
                                      io.github.hotpool.pipeline.store.InputMark mark) {
        if (data == null || sourceName == null) {
            return Future.failedFuture(new IllegalArgumentException("data and sourceName must not be null"));
        }
        java.util.List<IngestVerticle> ingests = rt.ingests;
        int n = ingests.size();
        if (n == 0 || rt.closing) {
            return Future.failedFuture(new IllegalStateException("pipeline " + rt.id + " takes no input: "
                + (rt.closing ? "undeploying" : "no Ingest instance is running")));
        }
        return ingests.get(Math.floorMod(rt.nextIngest.getAndIncrement(), n)).ingest(data, sourceName, chunk, mark);
    }

    /** Seals the open lockchain cycle; @return {@code head} (hex), {@code cycles}, {@code receipts} */
    public Future<JsonObject> flush() {
        return vertx.eventBus().<JsonObject>request(flushAddress(rt.options), null, LONG).map(m -> m.body());
    }

    /** @return a snapshot of the counters */
    public PipelineStats stats() {
        return PipelineStats.of(rt);
    }

    /** @return the core pools of the Ingest instances, for meters (read their counters from any thread) */
    public List<BufferPool> pools() {
        List<BufferPool> pools = new ArrayList<>();
        for (Ledger l : rt.ledgers) {
            pools.add(l.pool);
        }
        return pools;
    }

    /** @return the HTTP ingest port actually bound, or -1 */
    public int httpPort() {
        return rt.httpPort;
    }

    /** @return the TCP ingest port actually bound, or -1 */
    public int tcpPort() {
        return rt.tcpPort;
    }

    /**
     * Why the pipeline cannot go on (its receipt store could not write: disk full, not writable),
     * or null. Batches after such a failure fail with {@link Failure#STORE}.
     */
    public String failure() {
        return rt.fatal.get();
    }

    /**
     * What the receipt store found when it opened its output directory (a crash recovered, an
     * unsealed tail), or null without an output directory or before Emit started.
     */
    public io.github.hotpool.pipeline.store.ReceiptStore.Recovery recovery() {
        return rt.recovery;
    }

    /**
     * Graceful stop for listeners: stops accepting connections, lets open requests finish within
     * {@code millis}, waits until every batch issued so far is emitted or failed, then seals and
     * flushes. The returned chain state (as {@link #flush}) covers every request that was
     * answered. The stages stay deployed: {@link #undeploy} after it.
     */
    public Future<JsonObject> drain(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Future<?>> stopping = new java.util.ArrayList<>();
        for (IngestVerticle i : rt.ingests) {
            stopping.add(i.stopIntake(millis));
        }
        Promise<Void> resolved = Promise.promise();
        Future.join(stopping).onComplete(ar -> awaitResolved(resolved, deadline));
        return resolved.future().compose(v -> flush());
    }

    private void awaitResolved(Promise<Void> resolved, long deadline) {
        if (rt.batches.get() == rt.emitted.get() + rt.failedTotal() || System.nanoTime() > deadline) {
            resolved.complete();
        } else {
            vertx.setTimer(5, id -> awaitResolved(resolved, deadline));
        }
    }

    /**
     * Stops taking input, waits (at most twice the stage timeout) for the batches in flight to be
     * emitted or failed, then undeploys every stage. Emit seals the open cycle and closes its files.
     * Idempotent.
     */
    public synchronized Future<Void> undeploy() {
        if (undeployed == null) {
            rt.closing = true;
            Promise<Void> drained = Promise.promise();
            long deadline = System.nanoTime() + 2 * rt.options.getStages().getStageTimeoutMillis() * 1_000_000L + 100_000_000L;
            awaitIdle(drained, deadline);
            undeployed = drained.future().compose(v -> undeployAll()).andThen(ar -> Runtime.unregister(rt.id));
        }
        return undeployed;
    }

    private void awaitIdle(Promise<Void> drained, long deadline) {
        if (stats().soaInUse() == 0 || System.nanoTime() > deadline) {
            drained.complete();
        } else {
            vertx.setTimer(5, id -> awaitIdle(drained, deadline));
        }
    }

    /** Ingest first (its stop fails what is still out), Emit last. */
    private Future<Void> undeployAll() {
        Future<Void> f = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            f = f.compose(v -> vertx.undeploy(id).recover(t -> Future.succeededFuture()));
        }
        return f;
    }

    /** Deploys one more instance of a middle stage as its own deployment; @return its deployment id (tests). */
    Future<String> addInstance(Stage stage) {
        Supplier<? extends Deployable> v;
        switch (stage) {
            case TRANSFORM: v = TransformVerticle::new; break;
            case LOAD: v = LoadVerticle::new; break;
            case REFLEX: v = ReflexVerticle::new; break;
            default: throw new IllegalArgumentException("only Transform, Load and Reflex scale out, not " + stage);
        }
        return vertx.deployVerticle(v, new DeploymentOptions().setConfig(new JsonObject().put(CONFIG_ID, rt.id)));
    }

    Runtime runtime() {
        return rt;
    }

    static String address(PipelineOptions o, Stage stage) {
        switch (stage) {
            case INGEST: return o.getStages().getIngest().getAddress();
            case TRANSFORM: return o.getStages().getTransform().getAddress();
            case LOAD: return o.getStages().getLoad().getAddress();
            case REFLEX: return o.getStages().getReflex().getAddress();
            case EMIT: return o.getStages().getEmit().getAddress();
            default: throw new IllegalArgumentException("no address for stage " + stage);
        }
    }

    static String flushAddress(PipelineOptions o) {
        return o.getStages().getEmit().getAddress() + ".flush";
    }

}
