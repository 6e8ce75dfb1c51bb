package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.listening;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idle and half-finished connections must not hold pool buffers, and the listeners bound them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest extends VertxTestBase {

    static final String LINE = "<http://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        + "<http://www.w3.org/2000/01/rdf-schema#Class> .\n";
    static final String HALF = "<http://ex/half> <http://www.w3.org/1999/02/22-rdf-syn";

    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    Pipeline deploy(PipelineOptions o) {
        return await(Pipeline.deploy(vertx, listening(o.setHooks(TestData.hooksJson()))));
    }

    Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5_000);
        sockets.add(s);
        return s;
    }

    /** An HTTP POST announcing a body of 100000 bytes, of which only {@code sent} is sent. */
    Socket httpPartial(Pipeline p, String sent) throws IOException {
        Socket s = connect(p.httpPort());
        write(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + sent);
        return s;
    }

    Socket tcpPartial(Pipeline p, String sent) throws IOException {
        Socket s = connect(p.tcpPort());
        write(s, sent);
        return s;
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Waits for {@code condition}, failing the test after {@code millis}. */
    static void waitFor(String what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + millis + " ms: " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Reads until the peer closes; @return what it sent. Fails if it stays open for 5 s. */
    static String readUntilClosed(Socket s) {
        StringBuilder got = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            fail("connection still open after 5 s; received so far: " + got);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return got.toString();
    }

    static HttpResponse<String> post(Pipeline p, String body, Duration timeout) throws Exception {
        return HttpClient.newBuilder().connectTimeout(timeout).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/")).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The reported failure: peers that announce a large body, send half a line and wait held every
     * pool buffer, and a normal POST got no answer. Here 20 such HTTP peers, then 32 HTTP and 32 TCP
     * peers that each send one whole line and half the next, all left idle: a 5-triple POST on a
     * further connection must still be answered within 5 s (a half line waits outside the pool; a
     * partial batch is dispatched after the linger time).
     */
    @Test
    void sixtyFourIdlePeersMidLine_aCompletePostOnAnotherConnectionIsAnsweredWithinSeconds() throws Exception {
        Pipeline p = deploy(new PipelineOptions()); // default pool: 16 buffers; default linger and limits
        for (int i = 0; i < 20; i++) {
            httpPartial(p, HALF);
        }
        for (int i = 0; i < 32; i++) {
            httpPartial(p, LINE + HALF);
            tcpPartial(p, LINE + HALF);
        }
        // each whole line reaches a batch only once its input is framed: all 64 were read
        waitFor("the whole lines of the 64 idle peers processed", 10_000, () -> p.stats().triples() == 64);

        long start = System.nanoTime();
        HttpResponse<String> resp = post(p, LINE.repeat(5), Duration.ofSeconds(5));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(new JsonObject(resp.body()).getLong("triples")).isEqualTo(5);
        assertThat(millis).as("answer time, ms").isLessThan(5_000);
        assertThat(p.stats().openConnections()).as("84 idle peers and the client's keep-alive connection")
            .isEqualTo(85);
        waitFor("no pool buffer held by the idle peers", 5_000, () -> p.stats().soaInUse() == 0);
        for (Socket s : sockets) {
            s.close();
        }
        waitFor("every idle peer's connection closed", 5_000, () -> p.stats().openConnections() == 1);
        // a TCP peer that closes ends its input: its half line is framed (a bad line) and emitted
        waitFor("every buffer back in the pool", 5_000, () -> p.stats().soaInUse() == 0);
        await(p.undeploy());
    }

    /**
     * Without linger each idle peer holds the buffer of its one staged line; the idle timeout
     * closes it, fails its input with the reason and gives the buffer back.
     */
    @Test
    void idleTimeout_closesSilentConnections_andReturnsTheBuffersTheyHeld() throws Exception {
        Pipeline p = deploy(new PipelineOptions().setListeners(new ListenerOptions().setIdleTimeoutMillis(300).setBatchLingerMillis(0)));
        List<Socket> holding = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            holding.add(httpPartial(p, LINE + HALF));
            holding.add(tcpPartial(p, LINE + HALF));
        }
        Socket bareHttp = connect(p.httpPort()); // connected, never sends a request
        Socket bareTcp = connect(p.tcpPort());   // connected, never sends a byte
        waitFor("four buffers held, one per staged line", 5_000, () -> p.stats().soaInUse() == 4);

        List<String> replies = new ArrayList<>();
        for (Socket s : holding) {
            replies.add(readUntilClosed(s));
        }
        readUntilClosed(bareHttp);
        readUntilClosed(bareTcp);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        waitFor("buffers back in the pool", 5_000, () -> p.stats().soaInUse() == 0);
        waitFor("connections counted closed", 5_000, () -> p.stats().openConnections() == 0);
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(millis).as("closed after the idle timeout, not before").isGreaterThanOrEqualTo(300);
        assertThat(s.idleClosedConnections()).isEqualTo(6);
        assertThat(s.triples()).as("a staged line of an input cut for idleness is not processed").isZero();
        assertThat(s.recentErrors()).filteredOn(e -> e.contains("nothing received for 300 ms (idleTimeoutMillis 300)"))
            .hasSize(5); // four inputs cut mid-line and the silent TCP input; the bare HTTP connection had none
        assertThat(replies).filteredOn(r -> r.contains("idleTimeoutMillis 300")).hasSizeGreaterThanOrEqualTo(2);
    }

    /** Time spent paused by back-pressure is not idleness: a slow pipeline does not cut its inputs. */
    @Test
    void inputPausedByBackPressureLongerThanTheIdleTimeout_isNotClosed() throws Exception {
        PipelineOptions o = new PipelineOptions().setListeners(new ListenerOptions().setIdleTimeoutMillis(200));
        o.getPool().setSoaBuffers(2);
        Pipeline p = deploy(o);
        p.runtime().faults = (stage, seq) -> stage == Stage.REFLEX ? 400 : 0; // each batch holds its buffer 400 ms

        Socket s = connect(p.tcpPort());
        s.setSoTimeout(10_000);
        write(s, LINE.repeat(32) + "\u0004\n");
        String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        PipelineStats stats = p.stats();
        await(p.undeploy());

        assertThat(new JsonObject(reply).getLong("triples")).as(reply).isEqualTo(32);
        assertThat(stats.pauses()).as("the input waited for a buffer").isPositive();
        assertThat(stats.idleClosedConnections()).isZero();
    }

    @Test
    void maxConnections_refusesTheNextConnection_untilOneCloses() throws Exception {
        Pipeline p = deploy(new PipelineOptions().setListeners(new ListenerOptions().setMaxConnections(3)));
        Socket a = connect(p.tcpPort());
        connect(p.tcpPort());
        connect(p.httpPort());
        waitFor("three connections open", 5_000, () -> p.stats().openConnections() == 3);

        String tcpRefusal = readUntilClosed(connect(p.tcpPort()));
        String httpRefusal = readUntilClosed(connect(p.httpPort()));
        assertThat(tcpRefusal).contains("connection refused: 3 connections open (maxConnections 3)");
        assertThat(httpRefusal).isEmpty(); // closed before a byte is read
        assertThat(p.stats().refusedConnections()).isEqualTo(2);
        assertThat(p.stats().openConnections()).isEqualTo(3);

        a.close();
        waitFor("the closed connection no longer counted", 5_000, () -> p.stats().openConnections() == 2);
        Socket admitted = connect(p.tcpPort());
        write(admitted, LINE.repeat(3) + "\u0004\n");
        String reply = new BufferedReader(new InputStreamReader(admitted.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(new JsonObject(reply).getLong("triples")).isEqualTo(3);
        assertThat(s.refusedConnections()).isEqualTo(2);
        assertThat(s.soaInUse()).isZero();
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("maxConnections 3"));
    }
}
