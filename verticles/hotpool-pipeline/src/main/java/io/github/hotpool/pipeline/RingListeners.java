package io.github.hotpool.pipeline;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP and TCP ingest listeners of a {@link GuardPipeline}: push inputs of its source, on the
 * source's context (the Δ-ring's producer), so every accepted connection, its framing and its rows
 * run on that one event loop. One input per HTTP request body (answered with the input's summary
 * once every row of it is durable) and per TCP connection (ended by a line holding the byte 0x04,
 * or by the peer closing; answered with one JSON line, then closed). Owner-thread only, except the
 * counters and ports.
 */
final class RingListeners {

    private final RingIngest ingest;
    private final GuardState state;
    private final ListenerOptions options;
    private final Context context;
    private final Vertx vertx;
    private HttpServer http;
    private NetServer tcp;
    /** Open connections, by HttpConnection or NetSocket, in the order they were accepted. */
    private final Map<Object, Conn> conns = new LinkedHashMap<>();
    private long sweeper = -1;
    /** No new connection or request is taken (intake stopping, or closed). */
    private boolean refusing;
    private Future<Void> closed;
    /** How long a cut input's answer may take before its connection is closed without it. */
    static final long REPLY_GRACE_MILLIS = 2_000;

    volatile int httpPort = -1;
    volatile int tcpPort = -1;
    final AtomicInteger openConnections = new AtomicInteger();
    final AtomicLong refusedConnections = new AtomicLong();
    final AtomicLong idleClosedConnections = new AtomicLong();
    /** Times a network input was paused because its complete row waited for the ring. */
    final AtomicLong pauses = new AtomicLong();

    /** One accepted connection. */
    private static final class Conn {
        final Runnable close;
        /** The input being read on it; null on an HTTP connection between requests. */
        NetFramer input;
        /** When it last had no input (accepted, or an HTTP response was sent). */
        long quietSince = System.nanoTime();
        /** Its input was cut (idle, stopping): close it once the answer is out. */
        boolean closeAfterReply;

        Conn(Runnable close) {
            this.close = close;
        }
    }

    RingListeners(RingIngest ingest, GuardState state, ListenerOptions options, Context context) {
        this.ingest = ingest;
        this.state = state;
        this.options = options;
        this.context = context;
        this.vertx = context.owner();
    }

    /** Any thread: binds the listeners the options ask for, on the source's context. */
    Future<Void> listen() {
        Promise<Void> bound = Promise.promise();
        context.runOnContext(v -> {
            List<Future<?>> started = new ArrayList<>();
            if (options.getHttpPort() >= 0) {
                started.add(startHttp());
            }
            if (options.getTcpPort() >= 0) {
                started.add(startTcp());
            }
            long idle = options.getIdleTimeoutMillis();
            if (idle > 0) {
                // one periodic sweep rather than a timer per connection
                sweeper = vertx.setPeriodic(Math.max(5, idle / 4), id -> sweep(System.nanoTime()));
            }
            Future.all(started).<Void>mapEmpty().onComplete(bound);
        });
        return bound.future();
    }

    private Future<?> startHttp() {
        // HTTP/1.1 only: with cleartext HTTP/2 detection on, Vert.x makes a connection known only after
        // its first bytes, so a peer that connects and stays silent would escape the idle sweep and the cap;
        // 100-continue answered at once, so that curl does not wait a second before a large body
        http = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
            .setHandle100ContinueAutomatically(true));
        http.connectionHandler(conn -> {
            Conn c = admit(conn, "http " + conn.remoteAddress(), conn::close);
            if (c == null) {
                conn.close(); // before reading a byte: a refused peer costs no request parsing
                return;
            }
            conn.closeHandler(v -> closed(conn));
        });
        http.requestHandler(this::onRequest);
        return http.listen(options.getHttpPort(), options.getHost()).onSuccess(srv -> httpPort = srv.actualPort());
    }

    private void onRequest(HttpServerRequest req) {
        Conn c = conns.get(req.connection());
        if (c == null || refusing) { // refused (a request read with the connection), closed meanwhile, or stopping
            req.response().setStatusCode(503).putHeader("connection", "close")
                .end(refusing ? "listener shutting down: not taking new input\n"
                    : "connection refused: maxConnections " + options.getMaxConnections() + "\n");
            return;
        }
        if (IngestVerticle.refusedMethod(req)) {
            return;
        }
        String named = req.getHeader(IngestVerticle.SOURCE_HEADER);
        GuardInput in = new GuardInput(named != null ? named : "http " + req.remoteAddress(), null, Promise.promise());
        in.done.future().onComplete(ar -> context.runOnContext(v -> {
            c.input = null;
            c.quietSince = System.nanoTime();
            if (req.response().closed() || req.response().ended()) {
                return; // the peer went away: nobody to answer
            }
            Future<Void> sent;
            if (ar.succeeded()) {
                // 200 only when every row's receipts are durable; failed rows were not chained
                int status = ar.result().getLong("failedBatches") > 0 ? 500 : 200;
                sent = req.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(ar.result().encode());
            } else {
                if (c.closeAfterReply) {
                    req.response().putHeader("connection", "close");
                }
                sent = req.response().setStatusCode(400).end(ar.cause().getMessage() + "\n");
            }
            if (c.closeAfterReply) {
                sent.onComplete(x -> c.close.run());
            }
        }));
        c.input = ingest.startNet(in, req, false, options.getBatchLingerMillis());
    }

    private Future<?> startTcp() {
        tcp = vertx.createNetServer();
        tcp.connectHandler(this::onSocket);
        return tcp.listen(options.getTcpPort(), options.getHost()).onSuccess(srv -> tcpPort = srv.actualPort());
    }

    private void onSocket(NetSocket socket) {
        String name = "tcp " + socket.remoteAddress();
        if (refusing) {
            socket.end(Buffer.buffer(new JsonObject().put("error", name + ": listener shutting down: not taking new input")
                .encode() + "\n"));
            return;
        }
        Conn c = admit(socket, name, socket::close);
        if (c == null) {
            // the reply line of the TCP protocol, then close; the input is never read
            socket.end(Buffer.buffer(new JsonObject().put("error", name + ": connection refused: "
                + options.getMaxConnections() + " connections open (maxConnections " + options.getMaxConnections() + ")")
                .encode() + "\n"));
            return;
        }
        socket.closeHandler(v -> closed(socket));
        GuardInput in = new GuardInput(name, null, Promise.promise());
        in.done.future().onComplete(ar -> context.runOnContext(v -> socket.end(Buffer.buffer(
            (ar.succeeded() ? ar.result().encode() : new JsonObject().put("error", ar.cause().getMessage()).encode())
                + "\n"))));
        c.input = ingest.startNet(in, socket, true, options.getBatchLingerMillis());
    }

    /**
     * Counts a new connection against {@code maxConnections} (both listeners together).
     *
     * @return its record, or null when it is refused (counted and reported)
     */
    private Conn admit(Object key, String name, Runnable close) {
        int max = options.getMaxConnections();
        int open = openConnections.incrementAndGet();
        if (open > max) {
            openConnections.decrementAndGet();
            refusedConnections.incrementAndGet();
            state.error(name + ": connection refused: " + (open - 1) + " connections open (maxConnections " + max + ")");
            return null;
        }
        Conn c = new Conn(close);
        conns.put(key, c);
        return c;
    }

    private void closed(Object key) {
        // the input goes on to its end: a TCP peer that closes ends it (the end event may come after
        // the input's paused chunks), an HTTP peer that goes mid-body fails it (a read error)
        if (conns.remove(key) != null) {
            openConnections.decrementAndGet();
        }
    }

    /** Closes connections whose peer sent nothing for {@code idleTimeoutMillis}. */
    private void sweep(long now) {
        if (conns.isEmpty()) {
            return;
        }
        long idleMillis = options.getIdleTimeoutMillis();
        long limit = idleMillis * 1_000_000L;
        for (Map.Entry<Object, Conn> e : List.copyOf(conns.entrySet())) {
            Conn c = e.getValue();
            NetFramer f = c.input;
            // a finished input waits for its rows to be durable: that is not the peer's silence
            boolean idle = f == null ? now - c.quietSince >= limit : !f.finished() && f.idle(now, limit);
            if (!idle) {
                continue;
            }
            idleClosedConnections.incrementAndGet();
            if (f == null) {
                c.close.run();
                continue;
            }
            // the input is incomplete: fail it with the reason (its staged lines were never claimed),
            // answer, then close; the connection counts as open until it is closed
            String why = "nothing received for " + idleMillis + " ms (idleTimeoutMillis " + idleMillis
                + "): connection closed";
            state.error(f.input.name + ": " + why);
            c.closeAfterReply = true;
            f.stop(why);
            vertx.setTimer(REPLY_GRACE_MILLIS, id -> c.close.run());
        }
    }

    /**
     * Owner thread: stops taking connections and requests; the inputs being read may end within
     * {@code millis} (their answers are sent once durable), then whatever is still open is cut with
     * the reason and closed.
     *
     * @return completes once the listeners are closed
     */
    Future<Void> stopIntake(long millis) {
        refusing = true;
        Promise<Void> quiet = Promise.promise();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long[] poll = {-1};
        Runnable check = () -> {
            boolean reading = false;
            for (Conn c : conns.values()) {
                reading |= c.input != null;
            }
            if (!reading || System.nanoTime() >= deadline) {
                if (poll[0] >= 0) {
                    vertx.cancelTimer(poll[0]);
                }
                quiet.tryComplete();
            }
        };
        check.run();
        if (!quiet.future().isComplete()) {
            poll[0] = vertx.setPeriodic(5, id -> check.run());
        }
        long drainedMillis = millis;
        return quiet.future().compose(v -> close("listener stopped: input not ended within the drain time of "
            + drainedMillis + " ms"));
    }

    /**
     * Owner thread: cuts every input still being read (failed with {@code reason}: their staged
     * lines were never claimed, so no row is held), closes every connection once its answer is out
     * (a held-open or silent one at once, any at the latest after {@link #REPLY_GRACE_MILLIS}), then
     * the servers. Idempotent.
     *
     * @return completes once the servers are closed
     */
    Future<Void> close(String reason) {
        if (closed != null) {
            return closed;
        }
        refusing = true;
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        Promise<Void> done = Promise.promise();
        closed = done.future();
        for (Conn c : List.copyOf(conns.values())) {
            c.closeAfterReply = true;
        }
        ingest.stopNets(reason);
        for (Conn c : List.copyOf(conns.values())) {
            if (c.input == null) {
                c.close.run(); // nothing to answer
            }
        }
        long deadline = System.nanoTime() + REPLY_GRACE_MILLIS * 1_000_000L;
        long[] poll = {-1};
        Runnable check = () -> {
            if (done.future().isComplete() || (!conns.isEmpty() && System.nanoTime() < deadline)) {
                return;
            }
            if (poll[0] >= 0) {
                vertx.cancelTimer(poll[0]);
            }
            for (Conn c : List.copyOf(conns.values())) {
                c.close.run();
            }
            List<Future<?>> all = new ArrayList<>();
            if (http != null) {
                all.add(http.close());
            }
            if (tcp != null) {
                all.add(tcp.close());
            }
            Future.join(all).<Void>mapEmpty().onComplete(ar -> done.tryComplete());
        };
        poll[0] = vertx.setPeriodic(5, id -> check.run());
        return closed;
    }
}
