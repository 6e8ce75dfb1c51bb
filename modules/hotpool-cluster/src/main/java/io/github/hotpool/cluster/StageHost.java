package io.github.hotpool.cluster;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.vertx.ContextPool;
import io.github.hotpool.vertx.ContextPools;
import io.github.hotpool.vertx.HandleDecodeException;
import io.github.hotpool.vertx.HandleWire;
import io.github.hotpool.vertx.HotpoolOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stages one node hosts, for one run at a time: a clustered consumer per hosted stage, a
 * control address (open, flush, close, stats), the node's own pool, and Emit's receipt store when
 * it hosts Emit. One instance per node; everything runs on its context but the store's writes.
 */
final class StageHost extends VerticleBase {

    /*
     * A unit arrives as a lines frame (Transform) or a pool handle's wire form (Load, Reflex,
     * Emit). The host validates it, materialises it in its own pool (the handle codec decodes into
     * the pool of this verticle's context) and only then replies: the reply is the acknowledgement
     * that lets the sender release its copy. It then runs every following stage the unit's route
     * places on this node, and lends the handle to the next node with ContextPool.request, whose
     * reply or failure releases it here: nothing is held past the hop timeout.
     *
     * A unit that cannot go on (next node gone, hop timed out, a stage threw, no run open) is
     * reported to the run's source (a "nack" event): the source keeps its own copy until Emit says
     * the unit is durable, and decides to send it again or to fail it.
     */

    private final String nodeId;
    private final Set<GuardStage> stages;
    private final Path outDir;
    private final ClusterOptions clusterOptions;
    private final ClusterMeters meters;
    private final int poolBuffers;
    private ContextPool pool;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    /** Handles frames being filled, by target node and stage. */
    private final java.util.Map<String, Outgoing> outgoing = new java.util.HashMap<>();
    private String run;
    /** The run's short tag, as units name it in their header. */
    private String tag;
    /** The run's node table: a unit's route header names nodes by their index in it. */
    private String[] nodes;
    private String driverNode;
    private RunStages work;
    private ClusterEmit emit;

    StageHost(String nodeId, Set<GuardStage> stages, Path outDir, ClusterOptions clusterOptions, ClusterMeters meters) {
        this.nodeId = nodeId;
        this.stages = stages;
        this.outDir = outDir;
        this.clusterOptions = clusterOptions;
        this.meters = meters;
        this.poolBuffers = Math.min(2 * clusterOptions.getWindow() + 16, io.github.hotpool.core.PoolOptions.MAX_SOA_BUFFERS);
    }

    @Override
    public Future<?> start() {
        // receipts: up to 16 hooks per handle; checked against the run's hooks when it opens
        pool = ContextPools.install(context, new HotpoolOptions().setSoaBuffers(poolBuffers)
            .setReceipts(Math.min(poolBuffers * 16, io.github.hotpool.core.PoolOptions.MAX_RECEIPTS))
            .setReceiptsPerBuffer(16).setName("cluster-" + nodeId));
        List<Future<?>> ready = new ArrayList<>();
        for (GuardStage s : stages) {
            MessageConsumer<Object> c = vertx.eventBus().consumer(Addresses.stage(nodeId, s), m -> onUnit(s, m));
            consumers.add(c);
            ready.add(c.completion());
        }
        if (stages.contains(GuardStage.TRANSFORM)) {
            MessageConsumer<Buffer> c = vertx.eventBus().consumer(Addresses.units(nodeId), this::onUnits);
            consumers.add(c);
            ready.add(c.completion());
        }
        MessageConsumer<Buffer> h = vertx.eventBus().consumer(Addresses.handles(nodeId), this::onHandles);
        consumers.add(h);
        ready.add(h.completion());
        MessageConsumer<JsonObject> control = vertx.eventBus().consumer(Addresses.control(nodeId), this::onControl);
        consumers.add(control);
        ready.add(control.completion());
        return Future.all(ready);
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> done = new ArrayList<>();
        for (MessageConsumer<?> c : consumers) {
            done.add(c.unregister());
        }
        done.add(closeRun());
        return Future.join(done);
    }

    /** @return the ids of the stages hosted here */
    Set<GuardStage> stages() {
        return stages;
    }

    /** Closes the open run, if {@code driver} was its source (its node left). Any thread. */
    void driverLeft(String driver) {
        context.runOnContext(v -> {
            if (driver.equals(driverNode)) {
                closeRun();
            }
        });
    }

    private void onControl(Message<JsonObject> m) {
        JsonObject req = m.body();
        String op = req == null ? null : req.getString("op");
        if ("stats".equals(op)) {
            m.reply(stats());
            return;
        }
        if ("open".equals(op)) {
            open(m, req);
            return;
        }
        if (run == null || !run.equals(req.getString("run"))) {
            m.fail(404, "node " + nodeId + " has no run '" + req.getString("run") + "' open"
                + (run == null ? "" : " (it serves run '" + run + "')"));
            return;
        }
        if ("flush".equals(op)) {
            if (emit == null) {
                m.fail(400, "node " + nodeId + " does not host emit");
                return;
            }
            emit.sealAndFlush().onComplete(ar -> {
                if (ar.succeeded()) {
                    m.reply(ar.result());
                } else {
                    m.fail(500, "node " + nodeId + ": " + ar.cause().getMessage());
                }
            });
        } else if ("close".equals(op)) {
            closeRun().onComplete(ar -> m.reply(new JsonObject().put("closed", run == null)));
        } else {
            m.fail(400, "unknown control op '" + op + "'");
        }
    }

    private void open(Message<JsonObject> m, JsonObject req) {
        if (run != null) {
            m.fail(409, "node " + nodeId + " is busy with run '" + run + "'");
            return;
        }
        PipelineOptions o;
        try {
            o = new PipelineOptions(req.getJsonObject("options")).validate();
        } catch (RuntimeException e) {
            m.fail(400, "node " + nodeId + ": bad run options: " + e.getMessage());
            return;
        }
        var hooks = io.github.hotpool.pipeline.GuardHooks.parse(o.getHooks());
        if (hooks.size() > 16) {
            m.fail(400, "node " + nodeId + ": " + hooks.size() + " hooks exceed receiptsPerBuffer 16 of the cluster pool");
            return;
        }
        String runId = req.getString("run");
        String runTag = req.getString("tag");
        String[] table = req.getJsonArray("nodes", new io.vertx.core.json.JsonArray()).stream().map(String::valueOf)
            .toArray(String[]::new);
        if (runTag == null || table.length == 0) {
            m.fail(400, "node " + nodeId + ": open needs the run's tag and node table");
            return;
        }
        String driver = req.getString("driver");
        boolean hostEmit = req.getBoolean("emit", false);
        Future<ReceiptStore> store = !hostEmit ? Future.succeededFuture()
            : outDir == null ? Future.succeededFuture(ReceiptStore.inMemory(o.getLockchain().getCycleReceipts()))
            : vertx.executeBlocking(() -> ReceiptStore.open(outDir, o.getLockchain().getCycleReceipts(), o.getLockchain().getDurability()));
        store.onComplete(ar -> {
            if (ar.failed()) {
                m.fail(500, "node " + nodeId + ": cannot open " + outDir + ": " + ar.cause().getMessage());
                return;
            }
            run = runId;
            tag = runTag;
            nodes = table;
            driverNode = driver;
            work = new RunStages(hooks, o.getMaxLineLength(), this::badLine);
            emit = hostEmit ? new ClusterEmit(vertx, ar.result(), hooks, Addresses.acks(runId)) : null;
            JsonObject reply = new JsonObject().put("node", nodeId);
            if (emit != null && emit.store().recovery() != null) {
                reply.put("recovery", emit.store().recovery().describe());
            }
            m.reply(reply);
        });
    }

    private Future<Void> closeRun() {
        if (run == null) {
            return Future.succeededFuture();
        }
        ClusterEmit e = emit;
        RunStages w = work;
        run = null;
        tag = null;
        nodes = null;
        driverNode = null;
        emit = null;
        work = null;
        w.close();
        for (Outgoing o : outgoing.values()) { // units not sent yet: their source sends them again
            if (o.timer >= 0) {
                vertx.cancelTimer(o.timer);
            }
            o.handles.forEach(pool::release);
            o.seqs.clear();
            o.attempts.clear();
            o.routes.clear();
            o.handles.clear();
        }
        outgoing.clear();
        if (e == null || e.store().dir() == null) {
            return Future.succeededFuture();
        }
        return e.sealAndFlush().otherwiseEmpty().transform(x -> vertx.executeBlocking(() -> {
            e.store().close();
            return null;
        }));
    }

    private void badLine(long seq, long line, int column, String reason) {
        if (run != null) {
            vertx.eventBus().send(Addresses.events(run), new JsonObject().put("type", "badLine").put("seq", seq)
                .put("line", line).put("column", column).put("reason", reason));
        }
    }

    private void nack(String runId, long seq, int attempt, String reason) {
        meters.failed.increment();
        vertx.eventBus().send(Addresses.events(runId), new JsonObject().put("type", "nack").put("seq", seq)
            .put("attempt", attempt).put("node", nodeId).put("reason", reason));
    }

    private void onUnit(GuardStage stage, Message<Object> m) {
        String unitTag = m.headers().get(Addresses.H_RUN);
        if (run == null || !tag.equals(unitTag)) {
            meters.rejected.increment();
            m.fail(404, "node " + nodeId + " has no run '" + unitTag + "' open");
            return;
        }
        String runId = run;
        String routeHeader = m.headers().get(Addresses.H_ROUTE);
        long seq;
        int attempt;
        String[] route;
        try {
            seq = Long.parseLong(m.headers().get(Addresses.H_SEQ));
            attempt = Integer.parseInt(m.headers().get(Addresses.H_ATTEMPT));
            route = route(routeHeader);
        } catch (RuntimeException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + ": bad unit headers " + m.headers() + ": " + e);
            return;
        }
        SoaBuffer b;
        try {
            b = stage == GuardStage.TRANSFORM ? transform(m, seq) : (SoaBuffer) m.body();
        } catch (FrameException | HandleDecodeException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + " " + stage.id() + ": " + e.getMessage());
            return;
        } catch (ClassCastException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + " " + stage.id() + ": unit body is not a pool handle");
            return;
        }
        if (b == null) {
            meters.rejected.increment();
            m.fail(503, "node " + nodeId + ": all " + poolBuffers + " SoA buffers of pool '" + pool.name()
                + "' in use, or too few receipts");
            return;
        }
        meters.received.increment();
        m.reply(null); // the unit is ours now: the sender may release its copy
        advance(runId, seq, attempt, route, routeHeader, stage.ordinal(), b);
    }

    /**
     * A units frame for Transform: validated whole, every unit materialised in this node's pool
     * (or none: a dry pool refuses the frame), then one reply acknowledges them all, and each unit
     * goes on along its own route.
     */
    private void onUnits(Message<Buffer> m) {
        String unitTag = m.headers().get(Addresses.H_RUN);
        if (run == null || !tag.equals(unitTag)) {
            meters.rejected.increment();
            m.fail(404, "node " + nodeId + " has no run '" + unitTag + "' open");
            return;
        }
        String runId = run;
        UnitsFrame.Unit[] units;
        try {
            if (m.body() == null) {
                throw new FrameException("units frame: no body");
            }
            units = UnitsFrame.validate(m.body(), nodes.length, work.maxLineLength);
            for (UnitsFrame.Unit u : units) {
                if (!nodes[u.route()[0]].equals(nodeId)) {
                    throw new FrameException("units frame: unit seq " + u.seq() + " routes transform to node "
                        + nodes[u.route()[0]] + ", not to this node");
                }
            }
        } catch (FrameException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + " transform: " + e.getMessage());
            return;
        } catch (ClassCastException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + " transform: units frame body is not a buffer");
            return;
        }
        SoaBuffer[] taken = new SoaBuffer[units.length];
        for (int i = 0; i < units.length; i++) {
            SoaBuffer b;
            try {
                b = pool.tryAcquire(SoaLayout.MAX_RUN_LEN);
                if (b != null && !work.transform(units[i].lines(), units[i].lineCount(), units[i].seq(), b, pool.pool())) {
                    pool.release(b);
                    b = null;
                }
            } catch (RuntimeException e) {
                release(taken, i);
                meters.rejected.increment();
                m.fail(400, "node " + nodeId + " transform: unit seq " + units[i].seq() + ": " + e.getMessage());
                return;
            }
            if (b == null) {
                release(taken, i);
                meters.rejected.increment();
                m.fail(503, "node " + nodeId + ": all " + poolBuffers + " SoA buffers of pool '" + pool.name()
                    + "' in use, or too few receipts, for a frame of " + units.length + " units");
                return;
            }
            taken[i] = b;
        }
        meters.received.increment(units.length);
        m.reply(null); // every unit of the frame is ours now
        for (int i = 0; i < units.length; i++) {
            UnitsFrame.Unit u = units[i];
            String[] route = new String[u.route().length];
            StringBuilder header = new StringBuilder();
            for (int s = 0; s < route.length; s++) {
                route[s] = nodes[u.route()[s]];
                header.append(s == 0 ? "" : ".").append(u.route()[s]);
            }
            advance(runId, u.seq(), u.attempt(), route, header.toString(), GuardStage.TRANSFORM.ordinal(), taken[i]);
        }
    }

    private void release(SoaBuffer[] taken, int n) {
        for (int i = 0; i < n; i++) {
            pool.release(taken[i]);
            taken[i] = null;
        }
    }

    /** Decodes a route header: one node index per stage, dot-separated, into the run's node table. */
    private String[] route(String header) {
        String[] idx = header.split("\\.");
        if (idx.length != GuardStage.values().length) {
            throw new IllegalArgumentException("route names " + idx.length + " nodes, stages are " + GuardStage.values().length);
        }
        String[] r = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            int n = Integer.parseInt(idx[i]);
            if (n < 0 || n >= nodes.length) {
                throw new IllegalArgumentException("route index " + n + " outside the run's " + nodes.length + " nodes");
            }
            r[i] = nodes[n];
        }
        return r;
    }

    /** Validates a lines frame and parses it into a handle of this node's pool; null if the pool is dry. */
    private SoaBuffer transform(Message<Object> m, long seq) {
        if (!(m.body() instanceof Buffer)) {
            throw new FrameException("transform unit is not a lines frame");
        }
        Buffer frame = (Buffer) m.body();
        int lines = LinesFrame.validate(frame, 0, work.maxLineLength);
        SoaBuffer b = pool.tryAcquire(SoaLayout.MAX_RUN_LEN);
        if (b == null) {
            return null;
        }
        try {
            if (!work.transform(frame, lines, seq, b, pool.pool())) {
                pool.release(b);
                return null;
            }
        } catch (RuntimeException e) {
            pool.release(b);
            throw e;
        }
        return b;
    }

    /** Runs the stages from {@code from} that the route places here, then hands the unit on. */
    private void advance(String runId, long seq, int attempt, String[] route, String routeHeader, int from, SoaBuffer b) {
        int i = from;
        try {
            for (; i < route.length && route[i].equals(nodeId); i++) {
                GuardStage s = GuardStage.values()[i];
                if (!stages.contains(s)) {
                    throw new IllegalStateException("route places " + s.id() + " on node " + nodeId + ", which does not host it");
                }
                switch (s) {
                    case TRANSFORM:
                        break; // done on arrival
                    case LOAD:
                        work.load(b);
                        break;
                    case REFLEX:
                        work.reflex(b);
                        break;
                    case EMIT:
                        if (emit == null) {
                            throw new IllegalStateException("node " + nodeId + " hosts emit but not for run " + runId);
                        }
                        emit.emit(seq, b);
                        break;
                    default:
                        throw new IllegalStateException("stage " + s);
                }
            }
        } catch (RuntimeException e) {
            pool.release(b);
            nack(runId, seq, attempt, GuardStage.values()[i].id() + " on node " + nodeId + " failed: " + e.getMessage());
            return;
        }
        if (i == route.length) {
            pool.release(b); // emitted here
            return;
        }
        GuardStage next = GuardStage.values()[i];
        String target = route[i];
        String key = target + "/" + next.ordinal();
        Outgoing o = outgoing.computeIfAbsent(key, k -> new Outgoing(target, next));
        o.add(seq, attempt, routeHeader, b);
        if (o.size() >= clusterOptions.getUnitsPerFrame()) {
            sendHandles(o);
        } else if (!o.scheduled) {
            o.scheduled = true;
            if (clusterOptions.getLingerMillis() == 0) {
                context.runOnContext(v -> sendHandles(o));
            } else {
                o.timer = vertx.setTimer(clusterOptions.getLingerMillis(), id -> {
                    o.timer = -1;
                    sendHandles(o);
                });
            }
        }
    }

    /** Units waiting to go to one stage of one node in the next handles frame; this node keeps their handles until the reply. */
    private static final class Outgoing {
        final String target;
        final GuardStage stage;
        final List<Long> seqs = new ArrayList<>();
        final List<Integer> attempts = new ArrayList<>();
        final List<String> routes = new ArrayList<>();
        final List<SoaBuffer> handles = new ArrayList<>();
        boolean scheduled;
        long timer = -1;

        Outgoing(String target, GuardStage stage) {
            this.target = target;
            this.stage = stage;
        }

        void add(long seq, int attempt, String route, SoaBuffer b) {
            seqs.add(seq);
            attempts.add(attempt);
            routes.add(route);
            handles.add(b);
        }

        int size() {
            return handles.size();
        }
    }

    /**
     * Sends the waiting units of {@code o} in one handles frame; their handles go back to this
     * node's pool when the reply (the receiver owns copies now) or the failure arrives, and a
     * failure is reported to the source for each unit.
     */
    private void sendHandles(Outgoing o) {
        if (o.timer >= 0) {
            vertx.cancelTimer(o.timer);
            o.timer = -1;
        }
        o.scheduled = false;
        if (o.size() == 0) {
            return;
        }
        List<Long> seqs = new ArrayList<>(o.seqs);
        List<Integer> attempts = new ArrayList<>(o.attempts);
        List<SoaBuffer> handles = new ArrayList<>(o.handles);
        Buffer frame = HandlesFrame.begin(o.stage);
        int[] route = new int[UnitsFrame.STAGES];
        for (int u = 0; u < handles.size(); u++) {
            String[] idx = o.routes.get(u).split("\\.");
            for (int s = 0; s < route.length; s++) {
                route[s] = Integer.parseInt(idx[s]);
            }
            HandlesFrame.unit(frame, seqs.get(u), attempts.get(u), route, handles.get(u));
        }
        HandlesFrame.end(frame);
        o.seqs.clear();
        o.attempts.clear();
        o.routes.clear();
        o.handles.clear();
        String runId = run;
        meters.sent.increment(handles.size());
        DeliveryOptions d = new DeliveryOptions().setSendTimeout(clusterOptions.getHopTimeoutMillis())
            .addHeader(Addresses.H_RUN, tag);
        vertx.eventBus().request(Addresses.handles(o.target), frame, d).onComplete(ar -> {
            handles.forEach(pool::release);
            if (ar.failed() && runId != null) {
                for (int u = 0; u < seqs.size(); u++) {
                    nack(runId, seqs.get(u), attempts.get(u), "node " + nodeId + " could not hand unit " + seqs.get(u)
                        + " to " + o.stage.id() + " on node " + o.target + " (a frame of " + seqs.size() + "): "
                        + ar.cause().getMessage());
                }
            }
        });
    }

    /**
     * A handles frame for Load, Reflex or Emit: validated whole, every unit materialised in this
     * node's pool (or none), one reply acknowledges them all, then each unit goes on.
     */
    private void onHandles(Message<Buffer> m) {
        String unitTag = m.headers().get(Addresses.H_RUN);
        if (run == null || !tag.equals(unitTag)) {
            meters.rejected.increment();
            m.fail(404, "node " + nodeId + " has no run '" + unitTag + "' open");
            return;
        }
        String runId = run;
        HandlesFrame.Unit[] units;
        GuardStage stage;
        try {
            if (m.body() == null) {
                throw new FrameException("handles frame: no body");
            }
            units = HandlesFrame.validate(m.body(), nodes.length, pool.options().getReceiptsPerBuffer());
            stage = HandlesFrame.stage(m.body());
            if (!stages.contains(stage)) {
                throw new FrameException("handles frame: stage " + stage.id() + " is not hosted on this node");
            }
            for (HandlesFrame.Unit u : units) {
                if (!nodes[u.route()[stage.ordinal()]].equals(nodeId)) {
                    throw new FrameException("handles frame: unit seq " + u.seq() + " routes " + stage.id() + " to node "
                        + nodes[u.route()[stage.ordinal()]] + ", not to this node");
                }
            }
        } catch (FrameException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + ": " + e.getMessage());
            return;
        } catch (ClassCastException e) {
            meters.rejected.increment();
            m.fail(400, "node " + nodeId + ": handles frame body is not a buffer");
            return;
        }
        SoaBuffer[] taken = new SoaBuffer[units.length];
        for (int i = 0; i < units.length; i++) {
            try {
                taken[i] = HandleWire.decode(m.body(), units[i].handleAt(), pool);
            } catch (HandleDecodeException e) { // validated already: only a dry pool gets here
                release(taken, i);
                meters.rejected.increment();
                m.fail(503, "node " + nodeId + " " + stage.id() + ": unit seq " + units[i].seq() + " of a frame of "
                    + units.length + ": " + e.getMessage());
                return;
            }
        }
        meters.received.increment(units.length);
        m.reply(null); // every unit of the frame is ours now
        for (int i = 0; i < units.length; i++) {
            HandlesFrame.Unit u = units[i];
            String[] route = new String[u.route().length];
            StringBuilder header = new StringBuilder();
            for (int s = 0; s < route.length; s++) {
                route[s] = nodes[u.route()[s]];
                header.append(s == 0 ? "" : ".").append(u.route()[s]);
            }
            advance(runId, u.seq(), u.attempt(), route, header.toString(), stage.ordinal(), taken[i]);
        }
    }

    private JsonObject stats() {
        JsonObject j = meters.toJson().put("node", nodeId).put("soaInUse", pool.pool().soaInUse())
            .put("receiptsInUse", pool.pool().receiptsInUse()).put("run", run);
        if (emit != null) {
            j.put("emit", emit.state());
        }
        return j;
    }
}
