package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.Ledger.HELD;
import static io.github.hotpool.pipeline.Ledger.TIMED_OUT;
import static io.github.hotpool.pipeline.Ledger.TRANSIT;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.pipeline.store.InputMark;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.vertx.ContextPool;
import io.github.hotpool.vertx.ContextPools;
import io.github.hotpool.vertx.HotpoolOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest stage: owns the pool every handle comes from, reads N-Triples from files (asked for on
 * its address), HTTP request bodies and TCP connections, cuts them into batches and dispatches
 * them; runs the watchdog that fails batches held or in transit past the stage timeout.
 * One instance per context; everything runs on that context.
 */
final class IngestVerticle extends VerticleBase {

    /** HTTP request header naming the input in error reports (default: the peer address). */
    static final String SOURCE_HEADER = "x-hotpool-source";


    Runtime rt;
    Ledger ledger;
    private ContextPool pool;
    private int shard;
    private String transformAddress;
    private long timeoutNanos;
    private long watchdog;
    private MessageConsumer<JsonObject> control;
    private HttpServer http;
    private NetServer tcp;
    private final List<Framer> framers = new ArrayList<>();
    /** Open HTTP and TCP connections of this instance, by HttpConnection or NetSocket. */
    private final Map<Object, Conn> conns = new HashMap<>();
    private long sweeper = -1;
    volatile boolean closing;

    /**
     * One accepted HTTP or TCP connection: what the connection cap and the idle sweep need.
     * Owner-thread only.
     */
    private static final class Conn {
        final Runnable close;
        /** The input being read on it; null on an HTTP connection between requests. */
        Framer input;
        /** When it last had no input (accepted, or an HTTP response was sent). */
        long quietSince = System.nanoTime();

        Conn(Runnable close) {
            this.close = close;
        }
    }

    @Override
    public Future<?> start() {
        rt = Runtime.of(config().getString(Pipeline.CONFIG_ID));
        shard = rt.shards.getAndIncrement();
        HotpoolOptions po = new HotpoolOptions(rt.options.getPool());
        if (po.getName() == null) {
            po.setName("ingest-" + rt.id + "-" + shard);
        }
        pool = ContextPools.install(context, po);
        ledger = new Ledger(pool.pool(), rt.options.getMaxLineLength());
        Ledger.register(ledger);
        rt.ledgers.add(ledger);
        transformAddress = Pipeline.address(rt.options, Stage.TRANSFORM);
        timeoutNanos = rt.options.getStages().getStageTimeoutMillis() * 1_000_000L;
        watchdog = vertx.setPeriodic(Math.max(5, rt.options.getStages().getStageTimeoutMillis() / 4), id -> watch(System.nanoTime()));
        control = vertx.eventBus().localConsumer(Pipeline.address(rt.options, Stage.INGEST), this::onControl);
        List<Future<?>> started = new ArrayList<>();
        started.add(control.completion().onSuccess(v -> rt.ingests.add(this)));
        if (rt.options.getListeners().getHttpPort() >= 0) {
            started.add(startHttp());
        }
        if (rt.options.getListeners().getTcpPort() >= 0) {
            started.add(startTcp());
        }
        long idle = rt.options.getListeners().getIdleTimeoutMillis();
        if (idle > 0 && (http != null || tcp != null)) {
            // one periodic sweep per instance rather than a timer per connection
            sweeper = vertx.setPeriodic(Math.max(5, idle / 4), id -> sweep(System.nanoTime()));
        }
        return Future.all(started);
    }

    @Override
    public Future<?> stop() {
        closing = true;
        rt.ingests.remove(this);
        vertx.cancelTimer(watchdog);
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        for (Framer f : List.copyOf(framers)) {
            f.cut();
        }
        List<Future<?>> stopped = new ArrayList<>();
        stopped.add(control.unregister());
        if (http != null) {
            stopped.add(http.close());
        }
        if (tcp != null) {
            stopped.add(tcp.close());
        }
        // fail what is still out so that every buffer goes home before the pool closes
        watch(Long.MAX_VALUE / 2);
        Ledger.unregister(ledger);
        rt.ledgers.remove(ledger);
        return Future.join(stopped);
    }

    /**
     * Stops accepting connections; open ones may finish within {@code millis}, then are closed.
     * Thread-safe (the servers' shutdown is).
     */
    Future<Void> stopIntake(long millis) {
        List<Future<?>> stopped = new ArrayList<>();
        if (http != null) {
            stopped.add(http.shutdown(millis, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        if (tcp != null) {
            stopped.add(tcp.shutdown(millis, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        return Future.join(stopped).mapEmpty();
    }

    private Future<?> startHttp() {
        // HTTP/1.1 only: with cleartext HTTP/2 detection on, Vert.x makes a connection known only
        // after its first bytes, so a peer that connects and stays silent would escape the idle
        // sweep and the connection cap; and one input per connection is what Conn tracks
        http = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false));
        http.connectionHandler(conn -> {
            Conn c = admit(conn, "http " + conn.remoteAddress(), conn::close);
            if (c == null) {
                conn.close(); // before reading a byte: a refused peer costs no request parsing
                return;
            }
            conn.closeHandler(v -> closed(conn));
        });
        http.requestHandler(req -> {
            Conn c = conns.get(req.connection());
            if (c == null) { // refused (a request already read with the connection), or closed meanwhile
                req.response().setStatusCode(503).putHeader("connection", "close")
                    .end("connection refused: maxConnections " + rt.options.getListeners().getMaxConnections() + "\n");
                return;
            }
            if (refusedMethod(req)) {
                return;
            }
            String named = req.getHeader(SOURCE_HEADER);
            IngestStream s = stream(named != null ? named : "http " + req.remoteAddress());
            s.future().onComplete(ar -> {
                c.input = null;
                c.quietSince = System.nanoTime();
                if (req.response().closed()) {
                    return; // cut for idleness, or the peer went away: nobody to answer
                }
                if (ar.succeeded()) {
                    // 200 only when every batch's receipts are durable; failed batches were not chained
                    int status = ar.result().getLong("failedBatches") > 0 ? 500 : 200;
                    req.response().setStatusCode(status).putHeader("content-type", "application/json")
                        .end(ar.result().encode());
                } else {
                    req.response().setStatusCode(400).end(ar.cause().getMessage() + "\n");
                }
            });
            c.input = read(s, req, false, rt.options.getListeners().getBatchLingerMillis());
        });
        return http.listen(rt.options.getListeners().getHttpPort(), rt.options.getListeners().getHost())
            .onSuccess(srv -> rt.httpPort = srv.actualPort());
    }

    private Future<?> startTcp() {
        tcp = vertx.createNetServer();
        tcp.connectHandler(socket -> {
            String name = "tcp " + socket.remoteAddress();
            Conn c = admit(socket, name, socket::close);
            if (c == null) {
                // the reply line of the TCP protocol, then close; the input is never read
                socket.end(Buffer.buffer(new JsonObject().put("error", name + ": connection refused: "
                    + rt.options.getListeners().getMaxConnections() + " connections open (maxConnections "
                    + rt.options.getListeners().getMaxConnections() + ")").encode() + "\n"));
                return;
            }
            socket.closeHandler(v -> closed(socket));
            IngestStream s = stream(name);
            s.future().onComplete(ar -> socket.end(Buffer.buffer(
                (ar.succeeded() ? ar.result().encode() : new JsonObject().put("error", ar.cause().getMessage()).encode())
                    + "\n")));
            c.input = read(s, socket, true, rt.options.getListeners().getBatchLingerMillis());
        });
        return tcp.listen(rt.options.getListeners().getTcpPort(), rt.options.getListeners().getHost())
            .onSuccess(srv -> rt.tcpPort = srv.actualPort());
    }

    private void onControl(Message<JsonObject> msg) {
        String file = msg.body().getString("file");
        JsonObject m = msg.body().getJsonObject("mark");
        InputMark mark = m == null ? null : InputMark.fromJson(m);
        IngestStream s = stream(file, mark);
        s.future().onComplete(ar -> {
            if (ar.succeeded()) {
                msg.reply(ar.result());
            } else {
                msg.fail(400, ar.cause().getMessage());
            }
        });
        vertx.fileSystem().open(file, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
            .onSuccess(f -> {
                f.setReadBufferSize(64 * 1024); // fewer worker round trips per file; the Framer copies anyway
                if (mark != null && mark.offset() > 0) {
                    f.setReadPos(mark.offset() - 1); // from the terminator of the last line already chained
                }
                read(s, f, mark); // a file cannot stall at a peer's will: no linger, batches by content only
                s.future().onComplete(ar -> f.close());
            })
            .onFailure(t -> {
                s.fail("cannot open: " + t.getMessage());
                s.end();
            });
    }

    /** Any thread: streams {@code data} (N-Triples in memory) through the pipeline as input {@code name}. */
    Future<JsonObject> ingest(Buffer data, String name, int chunk, InputMark mark) {
        Promise<JsonObject> done = Promise.promise();
        context.runOnContext(v -> {
            IngestStream s = stream(name, mark);
            s.future().onComplete(done);
            Buffer rest = mark != null && mark.offset() > 0 ? data.slice((int) mark.offset() - 1, data.length()) : data;
            read(s, new MemoryStream(context, rest, chunk), mark);
        });
        return done.future();
    }

    private IngestStream stream(String name) {
        return stream(name, null);
    }

    private IngestStream stream(String name, InputMark mark) {
        // a context promise: completion handlers (replies, HTTP responses) run back on this context
        // internal API, justified: a promise bound to this verticle's context, so the input's summary
        // completes its listeners there whichever thread Emit completes it on; the public
        // Promise.promise() would run them on Emit's thread
        return new IngestStream(name, ((ContextInternal) context).promise(), mark);
    }

    /** Reads a file or in-memory input, from the start or from where {@code mark} says it got. */
    private Framer read(IngestStream s, ReadStream<Buffer> source, InputMark mark) {
        boolean resume = mark != null && mark.offset() > 0;
        Framer f = new Framer(this, s, source, rt.options.getMaxLineLength(), false, 0,
            resume ? mark.offset() - 1 : 0, mark == null ? 1 : mark.line() + 1, resume);
        framers.add(f);
        s.future().onComplete(ar -> framers.remove(f));
        f.start();
        return f;
    }

    private Framer read(IngestStream s, ReadStream<Buffer> source, boolean endMarker, long lingerMillis) {
        Framer f = new Framer(this, s, source, rt.options.getMaxLineLength(), endMarker, lingerMillis);
        framers.add(f);
        s.future().onComplete(ar -> framers.remove(f));
        f.start();
        return f;
    }

    // ------------------------------------------------------------------ connections (owner thread)

    /**
     * Counts a new connection against {@code maxConnections} (all listeners and instances share
     * the count); @return its record, or null when it is refused (counted and reported)
     */
    private Conn admit(Object key, String name, Runnable close) {
        int max = rt.options.getListeners().getMaxConnections();
        int open = rt.connections.incrementAndGet();
        if (open > max) {
            rt.connections.decrementAndGet();
            rt.refusedConnections.incrementAndGet();
            rt.error(name + ": connection refused: " + (open - 1) + " connections open (maxConnections " + max + ")");
            return null;
        }
        Conn c = new Conn(close);
        conns.put(key, c);
        return c;
    }

    private void closed(Object key) {
        if (conns.remove(key) != null) {
            rt.connections.decrementAndGet();
        }
    }

    /** Closes connections whose peer sent nothing for {@code idleTimeoutMillis}. */
    private void sweep(long now) {
        if (conns.isEmpty()) {
            return;
        }
        long idleMillis = rt.options.getListeners().getIdleTimeoutMillis();
        long limit = idleMillis * 1_000_000L;
        for (Map.Entry<Object, Conn> e : List.copyOf(conns.entrySet())) {
            Conn c = e.getValue();
            Framer f = c.input;
            if (f == null ? now - c.quietSince < limit : !f.idle(now, limit)) {
                continue;
            }
            rt.idleClosedConnections.incrementAndGet();
            if (f != null) {
                // the input is incomplete: fail it with the reason and give back what it holds
                String why = "nothing received for " + idleMillis + " ms (idleTimeoutMillis " + idleMillis
                    + "): connection closed";
                rt.error(f.stream.name + ": " + why);
                f.stream.fail(why);
                f.cut();
            }
            closed(e.getKey());
            c.close.run();
        }
    }

    /** A timer on this verticle's context (the Framers' linger). */
    long timer(long delayMillis, Handler<Long> handler) {
        return vertx.setTimer(delayMillis, handler);
    }

    void cancelTimer(long id) {
        vertx.cancelTimer(id);
    }

    // ------------------------------------------------------------------ handles (owner thread)

    /** A free handle opened for staging, or null when the pool is exhausted. */
    SoaBuffer open() {
        SoaBuffer b = pool.tryAcquire(SoaLayout.MAX_RUN_LEN);
        return b == null ? null : opened(b);
    }

    /**
     * Parks {@code node} until a handle is free (FIFO, no timeout; the pool's close ends the wait
     * with null). Refused while Ingest is closing: its stop() cuts every Framer.
     *
     * @return false, without parking, while closing
     */
    boolean park(ContextPool.Parking node) {
        if (closing) {
            return false;
        }
        pool.park(node, SoaLayout.MAX_RUN_LEN);
        return true;
    }

    void unpark(ContextPool.Parking node) {
        pool.unpark(node);
    }

    /** Returns a handle that was never opened for staging (on this thread: serves the next parked Framer). */
    void giveBack(SoaBuffer b) {
        pool.release(b);
    }

    SoaBuffer opened(SoaBuffer b) {
        int slot = b.slot();
        ledger.buffers[slot] = b;
        ledger.stagingLength[slot] = 0;
        ledger.lineCount[slot] = 0;
        ledger.lineStart[slot][0] = 0;
        return b;
    }

    /** Numbers the staged batch, attaches one receipt per hook and sends it to Transform. */
    void dispatch(SoaBuffer b, IngestStream s) {
        int slot = b.slot();
        long seq = rt.batches.getAndIncrement();
        ledger.seq[slot] = seq;
        ledger.stream[slot] = s;
        for (int i = 0, n = rt.hooks.size(); i < n; i++) { // indexed: the list's iterator would allocate
            Hook h = rt.hooks.get(i);
            Receipt r = pool.pool().acquireReceipt();
            r.cycleId(seq).shardId(shard).hookId(h.id());
            b.attach(r);
        }
        s.issued(seq, ledger.endOffset[slot], ledger.endLine[slot]);
        ledger.dispatch(slot, b.generation(), Stage.TRANSFORM.ordinal(), System.nanoTime());
        vertx.eventBus().send(transformAddress, b, Pipeline.HOP);
    }

    /**
     * Answers a request that is no input: only a POST body is one (a GET or DELETE used to be taken
     * as an empty input and answered 200), and a body this listener cannot decode is refused rather
     * than parsed as N-Triples bytes. The connection closes after the answer: an unread body is not
     * left on it.
     *
     * @return true when the request was answered here
     */
    static boolean refusedMethod(io.vertx.core.http.HttpServerRequest req) {
        String refusal = null;
        int status = 0;
        if (req.method() != io.vertx.core.http.HttpMethod.POST) {
            status = 405;
            refusal = req.method() + " is not an input: POST an N-Triples body\n";
            req.response().putHeader("allow", "POST");
        } else {
            String encoding = req.getHeader("content-encoding");
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                status = 415;
                refusal = "content-encoding " + encoding + " is not decoded: POST the N-Triples body as it is\n";
            }
        }
        if (refusal == null) {
            return false;
        }
        req.response().setStatusCode(status).putHeader("connection", "close").end(refusal);
        return true;
    }

    void badLine(IngestStream s, long line, int column, String reason) {
        String where = s.name + ":" + line + ":" + column + ": " + reason;
        s.badLines.incrementAndGet();
        rt.badLines.incrementAndGet();
        rt.error(where);
        if (rt.options.getBadLinePolicy() == BadLinePolicy.FAIL) {
            s.fail(where);
        }
    }

    // ------------------------------------------------------------------ watchdog (owner thread)

    /** Fails batches held or in transit for longer than the stage timeout at {@code now}. */
    void watch(long now) {
        for (int slot = 0; slot < ledger.buffers.length; slot++) {
            long w = ledger.word(slot);
            int phase = Ledger.phase(w);
            if ((phase != TRANSIT && phase != HELD) || now - ledger.since(slot) < timeoutNanos) {
                continue;
            }
            Stage at = Stage.values()[Ledger.stage(w)];
            long seq = ledger.seq[slot];
            IngestStream s = ledger.stream[slot];
            if (phase == TRANSIT) {
                if (ledger.move(slot, w, Ledger.FREE, now)) {
                    ledger.release(slot); // nobody holds it: a late delivery will fail its CAS
                    rt.failed(seq, s, closing ? Failure.UNDEPLOYED : Failure.LOST, at, null);
                }
            } else if (ledger.move(slot, w, Ledger.word(Ledger.generation(w), Ledger.stage(w), TIMED_OUT), now)) {
                rt.failed(seq, s, closing ? Failure.UNDEPLOYED : Failure.TIMEOUT, at, null); // holder releases
            }
        }
    }

    int inUse() {
        return pool.pool().soaInUse();
    }

}
