package io.github.hotpool.cluster;

import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.triples.NTriplesParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One run of the guard across the cluster, from this node: reads the input (Ingest), places
 * every later stage on the nodes that host it, hosts the stages nobody else does, hands units
 * over with acknowledgements, re-sends what a dead or silent node held, and ends with the chain's
 * head. Thread-safe: {@link #run} may be called from any thread; the run's state lives on one
 * context.
 *
 * <pre>
 *  this node (source)                 node A                           node with Emit
 *  read + frame ─units frame─►  transform ─► load ─► reflex ─handles frame─►  emit ──► receipts, lockchain
 *      ▲   keeps each unit's lines   (up to 64 units per frame)                 │
 *      └──── "durable" (seq, triples) + chain position after each flush lands ◄─┘
 *      node left / no ack in time / nack: send the unit again (other node), Emit dedupes by seq
 * </pre>
 */
public final class ClusterRun {

    private final ClusterNode node;
    private final PipelineOptions options;
    private final ClusterOptions co;
    private final ClusterMeters meters;
    private final String runId;
    /** What units name the run by: short, it rides in every unit's header. */
    private final String tag;
    private final String source;
    private final Promise<JsonObject> done = Promise.promise();
    private Context ctx;
    private Placement placement;
    private final Set<String> opened = new TreeSet<>();
    private String emitNode;
    private String localDeployment;
    private final Map<Long, Unit> inflight = new HashMap<>();
    /** Units frames being filled, by target node. */
    private final Map<String, Outgoing> outgoing = new HashMap<>();
    private long wireBytes;
    private long frames;
    private final Semaphore window;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private final Set<Long> badLineNumbers = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    /** The sequences Emit said were durable. */
    private final java.util.BitSet acknowledged = new java.util.BitSet();
    /** The chain position Emit's last acknowledgement carried: receipts, cycles, head. */
    private JsonObject durable = new JsonObject().put("receipts", 0L).put("cycles", 0L).put("head", null);
    private long nextSeq;
    private long emitted;
    private long triples;
    private long failed;
    private long retried;
    private long badLines;
    private long lines;
    private long bytesRead;
    private long frameBytes;
    private boolean inputEnded;
    private volatile boolean aborted;
    private String abortReason;
    private long timer = -1;
    /** Removes this run's membership listener from the node. */
    private Runnable stopWatching = () -> { };

    /** Units waiting to go to one node in the next units frame, with the attempt each was queued at. */
    private static final class Outgoing {
        final List<Unit> units = new ArrayList<>();
        final List<Integer> attempts = new ArrayList<>();
        long timer = NO_TIMER;
    }

    private static final long NO_TIMER = -1;
    private static final long ON_CONTEXT = -3;

    private static final class Unit {
        final long seq;
        final Buffer frame;
        int attempt;
        long deadline;
        String[] route;

        Unit(long seq, Buffer frame) {
            this.seq = seq;
            this.frame = frame;
        }
    }

    private ClusterRun(ClusterNode node, PipelineOptions options, String source, MeterRegistry registry) {
        this.node = node;
        this.options = options;
        this.co = node.options();
        this.meters = new ClusterMeters(registry, node.nodeId());
        this.tag = UUID.randomUUID().toString().substring(0, 8);
        this.runId = Addresses.PREFIX + "run." + node.nodeId() + "." + tag;
        this.source = source;
        this.window = new Semaphore(co.getWindow());
    }

    /**
     * Streams {@code in} through the cluster's stages.
     *
     * @param options hooks, cycle size, durability, output directory (used when Emit runs here), line length
     * @param in the input, read to its end on a thread of its own and closed by the caller
     * @param source the input's name in error reports
     * @param registry where this node's meters go; null for a private registry
     * @return the summary: {@code source, triples, batches, receipts, failed, badLines, cycles, head,
     *     retried, duplicates, durable, acknowledged, placement, emitNode, sent, received, errors};
     *     failed if the run could not start, and with a {@link ClusterRunException} carrying this
     *     summary if Emit's node was lost or did not confirm the final flush
     */
    public static Future<JsonObject> run(ClusterNode node, PipelineOptions options, InputStream in, String source,
                                         MeterRegistry registry) {
        PipelineOptions o;
        try {
            o = new PipelineOptions(options).validate();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        ClusterRun r = new ClusterRun(node, o, source, registry);
        r.ctx = node.vertx().getOrCreateContext();
        r.ctx.runOnContext(v -> r.start(in));
        return r.done.future();
    }

    private Vertx vertx() {
        return node.vertx();
    }

    private void start(InputStream in) {
        vertx().sharedData().<String, JsonObject>getAsyncMap(Addresses.DIRECTORY)
            .compose(map -> map.entries())
            .compose(this::place)
            .onSuccess(v -> {
                stopWatching = node.onNodeLeft(id -> ctx.runOnContext(x -> nodeLeft(id)));
                timer = vertx().setPeriodic(Math.max(50, co.getHopTimeoutMillis() / 4), id -> checkDeadlines());
                Thread reader = new Thread(() -> read(in), "hotpool-cluster-source");
                reader.setDaemon(true);
                reader.start();
            })
            .onFailure(t -> finish(t));
    }

    /** Chooses the hosts of each stage, opens the run on them, and hosts the rest here. */
    private Future<Void> place(Map<String, JsonObject> directory) {
        Map<String, Set<GuardStage>> announced = new java.util.HashMap<>();
        directory.forEach((id, entry) -> {
            Set<GuardStage> s = EnumSet.noneOf(GuardStage.class);
            for (Object name : entry.getJsonArray("stages", new JsonArray())) {
                s.add(GuardStage.valueOf(String.valueOf(name).toUpperCase(java.util.Locale.ROOT)));
            }
            announced.put(id, s);
        });
        placement = new Placement(node.nodeId(), announced, node.liveNodes());
        List<Future<?>> opening = new ArrayList<>();
        for (String id : placement.candidates()) {
            opening.add(open(id, placement.hostsEmit(id)).onSuccess(x -> opened.add(id)));
        }
        // Future.join: a busy or dead node leaves the placement; the stages nobody took run here
        return Future.join(opening).transform(x -> {
            Set<GuardStage> local;
            try {
                local = placement.settle(opened);
            } catch (IllegalStateException e) {
                return Future.failedFuture(new IllegalStateException(e.getMessage() + ": " + x.cause()));
            }
            emitNode = placement.emitNode();
            return consumers().compose(v -> local.isEmpty() ? Future.succeededFuture() : hostLocally(local));
        });
    }

    private Future<Void> hostLocally(Set<GuardStage> local) {
        Path out = options.getLockchain().getOutDir() == null ? null : Path.of(options.getLockchain().getOutDir());
        StageHost host = new StageHost(node.nodeId(), local, out, co, meters);
        return vertx().deployVerticle(host, new DeploymentOptions())
            .compose(id -> {
                localDeployment = id;
                return open(node.nodeId(), local.contains(GuardStage.EMIT));
            })
            .onSuccess(x -> opened.add(node.nodeId())).mapEmpty();
    }

    private Future<JsonObject> open(String id, boolean emit) {
        PipelineOptions o = new PipelineOptions(options); // the hosting node's own --out counts
        o.getLockchain().setOutDir(null);
        JsonObject req = new JsonObject().put("op", "open").put("run", runId).put("tag", tag)
            .put("nodes", new JsonArray(new ArrayList<>(placement.table()))).put("driver", node.nodeId())
            .put("options", o.toJson()).put("emit", emit);
        return control(id, req).onSuccess(r -> {
            if (r.getString("recovery") != null) {
                errors.add("node " + id + ": " + r.getString("recovery"));
            }
        });
    }

    private Future<JsonObject> control(String id, JsonObject req) {
        DeliveryOptions d = new DeliveryOptions().setSendTimeout(Math.max(30_000, co.getUnitTimeoutMillis()));
        return vertx().eventBus().<JsonObject>request(Addresses.control(id), req, d).map(Message::body);
    }

    private Future<Void> consumers() {
        MessageConsumer<Buffer> acks = vertx().eventBus().consumer(Addresses.acks(runId), m -> onDurable(m));
        MessageConsumer<JsonObject> events = vertx().eventBus().consumer(Addresses.events(runId), m -> onEvent(m.body()));
        consumers.add(acks);
        consumers.add(events);
        return Future.all(acks.completion(), events.completion()).mapEmpty();
    }

    /** The reader's thread: frames the input, waiting for room in the window before each unit. */
    private void read(InputStream in) {
        SourceFramer framer = new SourceFramer(options.getMaxLineLength(), new SourceFramer.Sink() {
            @Override
            public void frame(Buffer frame) throws InterruptedException {
                while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (aborted) {
                        throw new InterruptedException("run aborted");
                    }
                }
                ctx.runOnContext(v -> submit(frame));
            }

            @Override
            public void overlong(long line, int max) {
                ctx.runOnContext(v -> badLine(line, max + 1, NTriplesParser.lineTooLong(max) + " (maxLineLength)"));
            }
        });
        String failure = null;
        try {
            framer.read(in);
        } catch (InterruptedException e) {
            failure = "input stopped: " + e.getMessage();
        } catch (java.io.IOException | RuntimeException e) {
            failure = "cannot read " + source + ": " + e.getMessage();
        }
        String f = failure;
        long n = framer.lines();
        long b = framer.bytes();
        ctx.runOnContext(v -> {
            lines = n;
            bytesRead = b;
            if (f != null && abortReason == null) {
                abortReason = f;
            }
            inputEnded = true;
            maybeFinish();
        });
    }

    private void submit(Buffer frame) {
        if (aborted) {
            window.release();
            return;
        }
        Unit u = new Unit(nextSeq++, frame);
        inflight.put(u.seq, u);
        frameBytes += frame.length();
        send(u);
    }

    private void send(Unit u) {
        String[] route = placement.route(u.seq, u.attempt);
        if (route == null) {
            fail(u, "no live node hosts every stage any more");
            return;
        }
        u.route = route;
        u.deadline = System.nanoTime() + co.getUnitTimeoutMillis() * 1_000_000L;
        Outgoing o = outgoing.computeIfAbsent(route[0], k -> new Outgoing());
        o.units.add(u);
        o.attempts.add(u.attempt);
        if (o.units.size() >= co.getUnitsPerFrame()) {
            sendFrame(route[0]);
        } else if (o.timer == NO_TIMER) {
            String target = route[0];
            if (co.getLingerMillis() == 0) {
                o.timer = ON_CONTEXT; // after the events queued now: what they add goes along
                ctx.runOnContext(x -> sendFrame(target));
            } else {
                o.timer = vertx().setTimer(co.getLingerMillis(), id -> {
                    o.timer = NO_TIMER;
                    sendFrame(target);
                });
            }
        }
    }

    /**
     * Sends the units waiting for {@code target} in one units frame: one request, one reply for
     * all of them; a failure re-sends each on its own (retry), unless it was handled meanwhile.
     */
    private void sendFrame(String target) {
        Outgoing o = outgoing.get(target);
        if (o == null || o.units.isEmpty()) {
            return;
        }
        if (o.timer >= 0) {
            vertx().cancelTimer(o.timer);
        }
        o.timer = NO_TIMER;
        List<Unit> units = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        int bytes = UnitsFrame.HEADER;
        for (int i = 0; i < o.units.size(); i++) {
            Unit u = o.units.get(i);
            if (!aborted && inflight.get(u.seq) == u && u.attempt == o.attempts.get(i)) {
                units.add(u);
                attempts.add(o.attempts.get(i));
                bytes += UnitsFrame.UNIT_HEADER + u.frame.length();
            }
        }
        o.units.clear();
        o.attempts.clear();
        if (units.isEmpty()) {
            return;
        }
        Buffer frame = UnitsFrame.begin(bytes);
        int[] route = new int[UnitsFrame.STAGES];
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            for (int s = 0; s < route.length; s++) {
                route[s] = placement.table().indexOf(u.route[s]);
            }
            UnitsFrame.unit(frame, u.seq, attempts.get(i), route, u.frame);
        }
        UnitsFrame.end(frame);
        wireBytes += frame.length();
        frames++;
        if (!target.equals(node.nodeId())) {
            meters.sent.increment(units.size());
        }
        DeliveryOptions d = new DeliveryOptions().setSendTimeout(co.getHopTimeoutMillis()).addHeader(Addresses.H_RUN, tag);
        vertx().eventBus().request(Addresses.units(target), frame, d).onFailure(t -> {
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                retry(u, attempts.get(i), "transform on node " + target + " did not take unit " + u.seq + " (a frame of "
                    + units.size() + "): " + t.getMessage());
            }
        });
    }

    private void onDurable(Message<Buffer> m) {
        Buffer acks = m.body();
        String r = m.headers().get(Addresses.H_RECEIPTS);
        if (r != null && Long.parseLong(r) >= durable.getLong("receipts")) {
            durable = new JsonObject().put("receipts", Long.parseLong(r))
                .put("cycles", Long.parseLong(m.headers().get(Addresses.H_CYCLES)))
                .put("head", m.headers().get(Addresses.H_HEAD));
        }
        for (int at = 0; at + 12 <= acks.length(); at += 12) {
            Unit u = inflight.remove(acks.getLong(at));
            if (u != null) {
                acknowledged.set((int) u.seq);
                emitted++;
                triples += acks.getInt(at + 8);
                window.release();
            }
        }
        maybeFinish();
    }

    private void onEvent(JsonObject e) {
        String type = e.getString("type");
        if ("nack".equals(type)) {
            Unit u = inflight.get(e.getLong("seq"));
            if (u != null) {
                retry(u, e.getInteger("attempt"), e.getString("reason"));
            }
        } else if ("badLine".equals(type)) {
            badLine(e.getLong("line"), e.getInteger("column"), e.getString("reason"));
        }
    }

    private void badLine(long line, int column, String reason) {
        if (badLineNumbers.add(line)) { // a unit sent again reports its bad lines again
            badLines++;
            error(source + ":" + line + ":" + column + ": " + reason);
        }
    }

    /** Sends {@code u} again unless that attempt was retried already, or fails it after maxAttempts. */
    private void retry(Unit u, int attempt, String reason) {
        if (aborted || inflight.get(u.seq) != u || u.attempt != attempt) {
            return; // durable meanwhile, or this attempt was handled already
        }
        u.attempt++;
        if (u.attempt >= co.getMaxAttempts()) {
            fail(u, reason + " (attempt " + u.attempt + " of " + co.getMaxAttempts() + ")");
            return;
        }
        retried++;
        meters.retried.increment();
        error("unit " + u.seq + " sent again (attempt " + (u.attempt + 1) + "): " + reason);
        u.deadline = Long.MAX_VALUE; // the resend below sets it
        vertx().setTimer(20L * u.attempt, id -> {
            if (!aborted && inflight.get(u.seq) == u) {
                send(u);
            }
        });
    }

    private void fail(Unit u, String reason) {
        if (inflight.remove(u.seq) == null) {
            return;
        }
        failed++;
        meters.failed.increment();
        error("unit " + u.seq + " failed: " + reason);
        window.release();
        maybeFinish();
    }

    private void checkDeadlines() {
        long now = System.nanoTime();
        for (Unit u : new ArrayList<>(inflight.values())) {
            if (u.deadline - now < 0) {
                retry(u, u.attempt, "not durable within unitTimeoutMillis " + co.getUnitTimeoutMillis());
            }
        }
    }

    private void nodeLeft(String id) {
        boolean emitLeft = placement != null && placement.remove(id);
        opened.remove(id);
        if (emitLeft) {
            abort("the node hosting emit (" + id + ") left: its chain ends at its last durable flush");
            return;
        }
        for (Unit u : new ArrayList<>(inflight.values())) {
            if (u.route != null && List.of(u.route).contains(id)) {
                retry(u, u.attempt, "node " + id + " left");
            }
        }
    }

    private void abort(String reason) {
        if (aborted) {
            return;
        }
        aborted = true;
        abortReason = reason;
        error(reason);
        for (Unit u : new ArrayList<>(inflight.values())) {
            fail(u, reason);
        }
    }

    private void error(String message) {
        if (errors.size() < 100) {
            errors.add(message);
        }
    }

    private void maybeFinish() {
        if (!inputEnded || !inflight.isEmpty() || done.future().isComplete() || timer == -2) {
            return;
        }
        vertx().cancelTimer(timer);
        timer = -2;
        if (aborted) {
            finish(new ClusterRunException(abortReason, null));
            return;
        }
        control(emitNode, new JsonObject().put("op", "flush").put("run", runId))
            .onComplete(ar -> finish(ar.failed() ? new ClusterRunException("the node hosting emit (" + emitNode
                + ") did not confirm the final flush: " + ar.cause().getMessage(), null) : null, ar.result()));
    }

    private void finish(Throwable t) {
        finish(t, null);
    }

    private void finish(Throwable t, JsonObject chain) {
        if (timer >= 0) {
            vertx().cancelTimer(timer);
            timer = -2;
        }
        aborted = true;
        stopWatching.run();
        List<Future<?>> closing = new ArrayList<>();
        // a failed run does not wait long for a node that may be gone too
        DeliveryOptions closeTimeout = new DeliveryOptions().setSendTimeout(t == null
            ? Math.max(30_000, co.getUnitTimeoutMillis()) : Math.max(2_000, co.getHopTimeoutMillis()));
        for (String id : opened) {
            closing.add(vertx().eventBus().request(Addresses.control(id),
                new JsonObject().put("op", "close").put("run", runId), closeTimeout));
        }
        Future.join(closing)
            .transform(x -> localDeployment == null ? Future.succeededFuture() : vertx().undeploy(localDeployment))
            .transform(x -> {
                List<Future<?>> un = new ArrayList<>();
                consumers.forEach(c -> un.add(c.unregister()));
                return Future.join(un);
            })
            .onComplete(x -> {
                if (t instanceof ClusterRunException) {
                    JsonObject s = summary(null);
                    done.fail(new ClusterRunException(t.getMessage() + "; durable up to receipts="
                        + durable.getLong("receipts") + " cycles=" + durable.getLong("cycles") + " head="
                        + durable.getString("head") + "; " + emitted + " of " + nextSeq + " batches acknowledged, "
                        + failed + " failed, " + retried + " retried", s));
                } else if (t != null) {
                    done.fail(t);
                } else {
                    done.complete(summary(chain));
                }
            });
    }

    /** @return the set bits of {@code bits} as [first, last] ranges */
    static JsonArray ranges(java.util.BitSet bits) {
        JsonArray r = new JsonArray();
        for (int from = bits.nextSetBit(0); from >= 0; ) {
            int to = bits.nextClearBit(from);
            r.add(new JsonArray().add(from).add(to - 1));
            from = bits.nextSetBit(to);
        }
        return r;
    }

    /** The summary; {@code chain} null when Emit's node is gone: the chain is then as Emit last acknowledged. */
    private JsonObject summary(JsonObject chain) {
        JsonObject where = new JsonObject();
        if (placement != null) {
            placement.all().forEach((g, h) -> where.put(g.id(), new JsonArray(new ArrayList<>(h))));
        }
        JsonObject s = new JsonObject().put("source", source).put("lines", lines).put("bytes", bytesRead)
            .put("triples", triples).put("batches", nextSeq).put("emitted", emitted).put("failed", failed)
            .put("retried", retried).put("badLines", badLines)
            .put("receipts", chain == null ? durable.getLong("receipts") : chain.getLong("receipts"))
            .put("cycles", chain == null ? durable.getLong("cycles") : chain.getLong("cycles"))
            .put("head", chain == null ? durable.getString("head") : chain.getString("head"))
            .put("duplicates", chain == null ? null : chain.getLong("duplicates")).put("durable", durable)
            .put("acknowledged", ranges(acknowledged)).put("emitNode", emitNode).put("placement", where)
            .put("node", node.nodeId()).put("frameBytes", frameBytes).put("unitsFrames", frames)
            .put("unitsFrameBytes", wireBytes).put("meters", meters.toJson())
            .put("errors", new JsonArray(new ArrayList<>(errors)));
        if (abortReason != null) {
            s.put("failure", abortReason);
        }
        return s;
    }
}
