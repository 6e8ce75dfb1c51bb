package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.ConnectionLimitsTest.readUntilClosed;
import static io.github.hotpool.pipeline.ConnectionLimitsTest.waitFor;
import static io.github.hotpool.pipeline.ConnectionLimitsTest.write;
import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP and TCP listeners on the ring pipeline ({@link GuardPipeline}, {@link RingListeners}):
 * the guarantees of the handle pipeline's listeners (ConnectionLimitsTest, FramingTest) on real
 * sockets, and what several connections at once do to rows and the head.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RingListenersTest extends VertxTestBase {

    static final String LINE = ConnectionLimitsTest.LINE;
    static final String HALF = ConnectionLimitsTest.HALF;

    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    PipelineOptions options(ListenerOptions l) {
        return new PipelineOptions().setHooks(TestData.hooksJson()).setListeners(l.setHttpPort(0).setTcpPort(0));
    }

    GuardPipeline deploy(PipelineOptions o) {
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        assertThat(p.httpPort()).isPositive();
        assertThat(p.tcpPort()).isPositive();
        return p;
    }

    Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    static String replyLine(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** One TCP input: {@code body}, then the end line; @return the reply line. */
    String tcp(GuardPipeline p, byte[] body) throws IOException {
        Socket s = connect(p.tcpPort());
        OutputStream out = s.getOutputStream();
        out.write(body);
        out.write(new byte[] {NetFramer.EOT, '\n'});
        out.flush();
        return replyLine(s);
    }

    static HttpResponse<String> post(GuardPipeline p, byte[] body) throws Exception {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/")).timeout(Duration.ofSeconds(30))
                .header(IngestVerticle.SOURCE_HEADER, "in").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The file path's result for {@code data}: summary, head, errors (input named "in"). */
    record Ref(JsonObject summary, String head, List<String> errors) {
    }

    Ref file(byte[] data, Path out) {
        PipelineOptions o = new PipelineOptions().setHooks(TestData.hooksJson());
        if (out != null) {
            o.getLockchain().setOutDir(out.toString());
        }
        GuardPipeline p = await(GuardPipeline.deploy(vertx, o));
        JsonObject s = await(p.ingest(Buffer.buffer(data), "in", null));
        String head = await(p.flush()).getString("head");
        List<String> errors = p.stats().recentErrors();
        await(p.undeploy());
        return new Ref(s, head, errors);
    }

    // ------------------------------------------------------------------ ported from the handle pipeline

    /** ConnectionLimitsTest's reported failure, on the ring: idle peers mid-line hold no row, a POST is answered. */
    @Test
    void sixtyFourIdlePeersMidLine_aCompletePostOnAnotherConnectionIsAnswered_andNoRowIsHeld() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions()));
        for (int i = 0; i < 20; i++) {
            write(connect(p.httpPort()), "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + HALF);
        }
        for (int i = 0; i < 32; i++) {
            write(connect(p.httpPort()), "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + LINE + HALF);
            write(connect(p.tcpPort()), LINE + HALF);
        }
        // the whole lines reach rows after the linger though their inputs stay open
        waitFor("the whole lines of the 64 idle peers in rows", 10_000, () -> p.stats().triples() == 64);
        waitFor("those rows past Emit", 10_000, () -> p.stats().rowsEmitted() == 64);

        long start = System.nanoTime();
        HttpResponse<String> resp = post(p, LINE.repeat(5).getBytes(StandardCharsets.UTF_8));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(new JsonObject(resp.body()).getLong("triples")).isEqualTo(5);
        assertThat(millis).as("answer time, ms").isLessThan(5_000);
        assertThat(p.stats().connections().open()).as("84 idle peers and the client's connection").isEqualTo(85);
        assertThat(p.stats().rowsInFlight()).as("no ring row held by an idle peer").isZero();
        for (Socket s : sockets) {
            s.close();
        }
        waitFor("every idle peer's connection closed", 5_000, () -> p.stats().connections().open() <= 1);
        await(p.undeploy());
        assertThat(p.stats().rowsInFlight()).isZero();
    }

    /** Silent connections are swept after the idle timeout; their inputs fail with the reason; no staged line is chained. */
    @Test
    void idleTimeout_closesSilentConnections_failsTheirInputs_andChainsNoStagedLine() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setIdleTimeoutMillis(300).setBatchLingerMillis(0)));
        List<Socket> holding = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            Socket h = connect(p.httpPort());
            write(h, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + LINE + HALF);
            holding.add(h);
            Socket t = connect(p.tcpPort());
            write(t, LINE + HALF);
            holding.add(t);
        }
        Socket bareHttp = connect(p.httpPort());
        Socket bareTcp = connect(p.tcpPort());
        waitFor("six connections open", 5_000, () -> p.stats().connections().open() == 6);

        List<String> replies = new ArrayList<>();
        for (Socket s : holding) {
            replies.add(readUntilClosed(s));
        }
        readUntilClosed(bareHttp);
        readUntilClosed(bareTcp);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        waitFor("connections counted closed", 5_000, () -> p.stats().connections().open() == 0);
        GuardStats s = p.stats();
        await(p.undeploy());

        assertThat(millis).as("closed after the idle timeout, not before").isGreaterThanOrEqualTo(300);
        assertThat(s.connections().idleClosed()).isEqualTo(6);
        assertThat(s.rows()).as("a staged line of an input cut for idleness is never claimed").isZero();
        assertThat(s.triples()).isZero();
        assertThat(s.recentErrors()).filteredOn(e -> e.contains("nothing received for 300 ms (idleTimeoutMillis 300)"))
            .hasSize(5); // four inputs cut mid-line and the silent TCP input; the bare HTTP connection had none
        assertThat(replies).filteredOn(r -> r.contains("idleTimeoutMillis 300")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void maxConnections_refusesTheNextConnectionWithAClearMessage_untilOneCloses() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setMaxConnections(3)));
        Socket a = connect(p.tcpPort());
        connect(p.tcpPort());
        connect(p.httpPort());
        waitFor("three connections open", 5_000, () -> p.stats().connections().open() == 3);

        String tcpRefusal = readUntilClosed(connect(p.tcpPort()));
        String httpRefusal = readUntilClosed(connect(p.httpPort()));
        assertThat(tcpRefusal).contains("connection refused: 3 connections open (maxConnections 3)");
        assertThat(httpRefusal).isEmpty(); // closed before a byte is read
        assertThat(p.stats().connections().refused()).isEqualTo(2);

        a.close();
        waitFor("the closed connection no longer counted", 5_000, () -> p.stats().connections().open() == 2);
        String reply = tcp(p, LINE.repeat(3).getBytes(StandardCharsets.UTF_8));
        GuardStats s = p.stats();
        await(p.undeploy());

        assertThat(new JsonObject(reply).getLong("triples")).as(reply).isEqualTo(3);
        assertThat(s.connections().refused()).isEqualTo(2);
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("maxConnections 3"));
    }

    // ------------------------------------------------------------------ bytes: CR, NUL, truncated lines, EOT

    /**
     * CR LF, lone CR, a NUL byte, a bad line and a last line without a line break: over HTTP and
     * over TCP (one connection, no linger: rows by content only) the same summary, the same errors
     * (line and column) and the same head as the file path, and the chain verifies.
     */
    @Test
    void crLfLoneCrNulAndALastLineWithoutBreak_sameErrorsSummaryAndHeadAsTheFilePath() throws Exception {
        byte[] slice = CycleSealingTest.slice(0, 200);
        String text = new String(slice, StandardCharsets.UTF_8);
        String doc = text.substring(0, text.length() / 2).replace("\n", "\r\n")
            + "<http://ex/n> <http://ex/p> \"nul\u0000byte\" .\r"
            + "<http://ex/b> <http://ex/p> <bad iri> .\n"
            + text.substring(text.length() / 2).replace("\n", "\r")
            + FramingTest.triple(99); // no line end
        byte[] data = doc.getBytes(StandardCharsets.UTF_8);
        Ref ref = file(data, null);
        assertThat(ref.errors()).as("the bad IRI, at least").isNotEmpty();

        Path out = dir.resolve("net");
        PipelineOptions o = options(new ListenerOptions().setBatchLingerMillis(0));
        o.getLockchain().setOutDir(out.toString());
        GuardPipeline p = deploy(o);
        HttpResponse<String> resp = post(p, data);
        JsonObject viaHttp = new JsonObject(resp.body());
        String head1 = await(p.flush()).getString("head");
        List<String> httpErrors = p.stats().recentErrors();
        await(p.undeploy());

        GuardPipeline q = deploy(options(new ListenerOptions().setBatchLingerMillis(0)));
        // the TCP input ends with the end line, so its last line must end: give it a break
        JsonObject viaTcp = new JsonObject(tcp(q, (doc + "\n").getBytes(StandardCharsets.UTF_8)));
        String head2 = await(q.flush()).getString("head");
        List<String> tcpErrors = q.stats().recentErrors();
        await(q.undeploy());

        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        for (JsonObject got : List.of(viaHttp, viaTcp)) {
            for (String k : List.of("triples", "batches", "badLines", "failedBatches")) {
                assertThat(got.getLong(k)).as(k + " of " + got).isEqualTo(ref.summary().getLong(k));
            }
        }
        assertThat(viaHttp.getLong("lines")).isEqualTo(ref.summary().getLong("lines"));
        assertThat(viaTcp.getLong("lines")).as("and the end line").isEqualTo(ref.summary().getLong("lines") + 1);
        assertThat(head1).isEqualTo(ref.head());
        assertThat(head2).isEqualTo(ref.head());
        assertThat(httpErrors).isEqualTo(ref.errors());
        assertThat(tcpErrors).isEqualTo(ref.errors().stream().map(e -> e.replaceFirst("^in:", viaTcp.getString("source") + ":")).toList());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(head1));
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    /**
     * Under FAIL a network input is chained up to the row that holds its first bad line, as a file
     * is: that row and the rest of the input are cut, however much of it came in the same read.
     */
    @Test
    void badLine_underFail_overHttpAndTcp_chainsOnlyTheRowsBeforeItsRow() throws Exception {
        byte[] before = CycleSealingTest.slice(0, 40); // five whole rows
        String bad = "<http://ex/b> <http://ex/p> <bad iri> .\n";
        byte[] after = CycleSealingTest.slice(40, 80);
        byte[] data = new byte[before.length + bad.length() + after.length];
        System.arraycopy(before, 0, data, 0, before.length);
        System.arraycopy(bad.getBytes(StandardCharsets.UTF_8), 0, data, before.length, bad.length());
        System.arraycopy(after, 0, data, before.length + bad.length(), after.length);
        long expected = Direct.run(before, TestData.hooks(), 1024).receipts;
        assertThat(expected).isPositive();
        for (boolean http : new boolean[] {true, false}) {
            GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(0)).setBadLinePolicy(BadLinePolicy.FAIL));
            String reply;
            if (http) {
                HttpResponse<String> resp = post(p, data);
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
                reply = resp.body();
            } else {
                reply = new JsonObject(tcp(p, data)).getString("error");
            }
            JsonObject chain = await(p.flush());
            GuardStats st = p.stats();
            await(p.undeploy());
            assertThat(reply).as(http ? "http" : "tcp").contains(":41:")
                .contains("; chained before it failed: 5 rows, through line 40");
            assertThat(chain.getLong("receipts")).as(http ? "http" : "tcp").isEqualTo(expected);
            assertThat(st.triples()).as("triples of the chained rows only").isEqualTo(40);
            assertThat(st.rowsInFlight()).isZero();
        }
    }

    /** A TCP peer that closes mid-line ends its input: the half line is a bad line with line and column, never chained. */
    @Test
    void tcpPeerClosesMidLine_theTruncatedLineIsReportedWithLineAndColumn_theWholeLinesAreChained() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions()));
        Socket s = connect(p.tcpPort());
        write(s, LINE.repeat(3) + HALF);
        s.close();
        waitFor("the input ended and its rows passed Emit", 10_000, () -> p.stats().badLines() == 1 && p.stats().rowsInFlight() == 0
            && p.stats().triples() == 3);
        JsonObject chain = await(p.flush());
        GuardStats st = p.stats();
        await(p.undeploy());

        assertThat(st.recentErrors()).singleElement().asString().matches("tcp [^:]+:\\d+:4:\\d+: .*");
        assertThat(st.triples()).isEqualTo(3);
        assertThat(chain.getLong("receipts")).isEqualTo(Direct.run(LINE.repeat(3).getBytes(StandardCharsets.UTF_8),
            TestData.hooks(), 1024).receipts);
    }

    /** An HTTP body cut short by the peer fails its input; its staged lines are never claimed, nothing half-chained. */
    @Test
    void httpBodyCutShort_failsTheInput_leavesNoRowHeld() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(0)));
        Socket s = connect(p.httpPort());
        write(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + LINE.repeat(3) + HALF);
        waitFor("connection open", 5_000, () -> p.stats().connections().open() == 1);
        s.close();
        waitFor("connection closed", 5_000, () -> p.stats().connections().open() == 0);
        JsonObject chain = await(p.flush());
        GuardStats st = p.stats();
        await(p.undeploy());
        assertThat(st.rows()).isZero();
        assertThat(chain.getLong("receipts")).isZero();
        assertThat(st.rowsInFlight()).isZero();
    }

    /**
     * A body cut short after whole rows: those rows were chained as they filled (a network input is
     * streamed, not held back), and the read error is reported, not only answered to a peer that
     * is gone.
     */
    @Test
    void httpBodyCutShortAfterWholeRows_chainsThoseRows_andReportsTheReadError() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(0)));
        Socket s = connect(p.httpPort());
        write(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n" + LINE.repeat(16) + HALF);
        waitFor("two rows chained", 5_000, () -> p.stats().rowsEmitted() == 2);
        s.close();
        waitFor("connection closed", 5_000, () -> p.stats().connections().open() == 0);
        JsonObject chain = await(p.flush());
        GuardStats st = p.stats();
        await(p.undeploy());
        assertThat(st.recentErrors()).anySatisfy(e -> assertThat(e).startsWith("http ").contains(": read error: "));
        assertThat(chain.getLong("receipts")).isEqualTo(Direct.run(LINE.repeat(16).getBytes(StandardCharsets.UTF_8),
            TestData.hooks(), 1024).receipts);
        assertThat(st.rowsInFlight()).isZero();
    }

    /** Only a POST body is an input: other methods get 405, an encoded body 415; nothing is chained. */
    @Test
    void aRequestThatIsNoInput_isRefusedWithItsStatus_andChainsNothing() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions()));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + p.httpPort() + "/");
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> gzip = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
            .header("content-encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x1f, (byte) 0x8b, 8, 0}))
            .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ok = post(p, LINE.getBytes(StandardCharsets.UTF_8));
        JsonObject chain = await(p.flush());
        await(p.undeploy());
        assertThat(get.statusCode()).as(get.body()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(get.body()).contains("GET is not an input");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(gzip.statusCode()).as(gzip.body()).isEqualTo(415);
        assertThat(gzip.body()).contains("content-encoding gzip is not decoded");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(chain.getLong("receipts")).isEqualTo(Direct.run(LINE.getBytes(StandardCharsets.UTF_8), TestData.hooks(), 1024).receipts);
    }

    /** The TCP protocol: a line holding 0x04 ends the input; what follows on the connection is not read. */
    @Test
    void eotLine_endsTheTcpInput_theBytesAfterItAreNotRead() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions()));
        Socket s = connect(p.tcpPort());
        write(s, LINE.repeat(5) + "\u0004\r\n" + LINE.repeat(7));
        JsonObject reply = new JsonObject(replyLine(s));
        await(p.undeploy());
        assertThat(reply.getLong("triples")).isEqualTo(5);
        assertThat(reply.getLong("lines")).as("five lines and the end line").isEqualTo(6);
        assertThat(readUntilClosed(s)).as("closed after the reply").isEmpty();
    }

    // ------------------------------------------------------------------ linger

    /** A trickle from a slow client flows: a partial row is written once the linger passed, the input still open. */
    @Test
    void trickle_aPartialRowIsChainedAfterTheLinger_whileTheConnectionStaysOpen() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(5)));
        Socket s = connect(p.tcpPort());
        for (int i = 1; i <= 3; i++) {
            write(s, LINE);
            int n = i;
            waitFor("line " + i + " in a row and past Emit", 5_000, () -> p.stats().rowsEmitted() == n);
        }
        write(s, "\u0004\n");
        JsonObject reply = new JsonObject(replyLine(s));
        await(p.undeploy());
        assertThat(reply.getLong("triples")).isEqualTo(3);
        assertThat(reply.getLong("batches")).as("one row per lingered line").isEqualTo(3);
    }

    /** With linger 0 a partial row waits for its eighth line or the end: rows by content only. */
    @Test
    void noLinger_linesSentApartStillShareTheirRow() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(0)));
        Socket s = connect(p.tcpPort());
        write(s, LINE.repeat(3));
        waitFor("the three lines read", 5_000, () -> p.stats().bytesRead() == 3L * LINE.length());
        // more than a default linger apart, as the test above: there it split the row
        Thread.sleep(50);
        assertThat(p.stats().rows()).as("no row before the eighth line").isZero();
        write(s, LINE.repeat(6) + "\u0004\n");
        JsonObject reply = new JsonObject(replyLine(s));
        await(p.undeploy());
        assertThat(reply.getLong("triples")).isEqualTo(9);
        assertThat(reply.getLong("batches")).isEqualTo(2);
    }

    // ------------------------------------------------------------------ back-pressure, stop, held-open connections

    /** A slow Emit fills the ring: the sockets are paused (not cut for idleness), nothing is lost, the head is the file's. */
    @Test
    void slowEmit_pausesTheSockets_boundsTheRing_losesNothing() throws Exception {
        byte[] data = CycleSealingTest.slice(0, 1200);
        Ref ref = file(data, dir.resolve("ref"));
        PipelineOptions o = options(new ListenerOptions().setBatchLingerMillis(0).setIdleTimeoutMillis(150))
            .setRings(new RingsOptions().setRingCapacity(16).setSpan(new SpanOptions().setMaxSpanRows(4)));
        o.getLockchain().setOutDir(dir.resolve("net").toString()).setReceiptsWriteQueueBytes(2);
        GuardPipeline p = deploy(o);
        p.slowDisk(40);
        JsonObject reply = new JsonObject(tcp(p, data));
        String head = await(p.flush()).getString("head");
        GuardStats s = p.stats();
        await(p.undeploy());

        assertThat(reply.getLong("triples")).as(reply.encode()).isEqualTo(ref.summary().getLong("triples"));
        assertThat(s.connections().pauses()).as("the socket waited for the ring").isPositive();
        assertThat(s.connections().idleClosed()).as("back-pressure is not idleness").isZero();
        assertThat(s.stages().ring().capacity()).isEqualTo(16);
        assertThat(head).isEqualTo(ref.head());
    }

    /**
     * A held-open connection neither blocks sealing nor shutdown: flush seals with it open, and
     * stopIntake cuts it after the drain time; an input sent in full meanwhile is answered.
     */
    @Test
    void heldOpenConnection_doesNotBlockSealingOrStopIntake() throws Exception {
        GuardPipeline p = deploy(options(new ListenerOptions().setBatchLingerMillis(0)));
        Socket held = connect(p.tcpPort());
        write(held, LINE.repeat(3)); // staged, never ended
        Socket idle = connect(p.httpPort());
        assertThat(new JsonObject(tcp(p, LINE.repeat(2).getBytes(StandardCharsets.UTF_8))).getLong("triples")).isEqualTo(2);
        JsonObject chain = await(p.flush());
        assertThat(chain.getLong("receipts")).isPositive();

        long start = System.nanoTime();
        await(p.stopIntake(200));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String cut = readUntilClosed(held);
        readUntilClosed(idle);
        GuardStats s = p.stats();
        await(p.undeploy());

        assertThat(millis).as("stopIntake time").isBetween(150L, 5_000L);
        assertThat(cut).contains("listener stopped");
        assertThat(s.triples()).as("the held input's staged lines were not chained").isEqualTo(2);
        assertThat(s.rowsInFlight()).isZero();
    }

    /** Undeploy while peers stream: every input ends, every row drains, the chain verifies. */
    @Test
    void undeployMidStream_endsEveryInput_drainsEveryRow_andTheChainVerifies() throws Exception {
        Path out = dir.resolve("out");
        PipelineOptions o = options(new ListenerOptions());
        o.getLockchain().setOutDir(out.toString());
        GuardPipeline p = deploy(o);
        List<CompletableFuture<String>> writers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Socket s = connect(p.tcpPort());
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    OutputStream os = s.getOutputStream();
                    byte[] chunk = LINE.repeat(50).getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < 100_000; i++) {
                        os.write(chunk);
                    }
                    return "wrote everything";
                } catch (IOException e) {
                    return "stopped: " + e.getMessage();
                }
            }));
        }
        write(connect(p.tcpPort()), LINE + HALF); // held open mid-line
        waitFor("rows flowing", 10_000, () -> p.stats().rowsEmitted() > 100);
        await(p.undeploy());
        GuardStats s = p.stats();
        for (CompletableFuture<String> w : writers) {
            assertThat(w.get(20, TimeUnit.SECONDS)).startsWith("stopped");
        }
        assertThat(s.rowsInFlight()).isZero();
        assertThat(s.stages().ring().published()).isEqualTo(s.stages().ring().gating());
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("pipeline stopped"));
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    // ------------------------------------------------------------------ several connections

    /**
     * Eight TCP peers at once, each sending its own copy of schema.org lines (its own subject IRIs)
     * in random pieces, while a file input streams too: each input's rows hold only its lines, in
     * its order, exactly as the file path cuts that input's bytes alone (linger 0), whatever the
     * interleaving of rows between inputs; every receipt is chained once and the chain verifies.
     */
    @Test
    void eightConcurrentConnections_rowsNeverMixConnections_andKeepEachConnectionsOrder() throws Exception {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        System.out.println("RingListenersTest seed " + seed + " (replay with -Dhotpool.seed=" + seed + ")");
        Random rnd = new Random(seed);
        int n = 8;
        List<byte[]> inputs = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (int c = 0; c <= n; c++) { // input n: the file, many chunks long, so that its row is open across reads
            byte[] lines = c < n ? CycleSealingTest.slice(c * 400, 400) : CycleSealingTest.slice(n * 400, 5000);
            byte[] mine = new String(lines, StandardCharsets.UTF_8).replace("<https://schema.org/", "<https://schema.org/c" + c + "/")
                .getBytes(StandardCharsets.UTF_8);
            inputs.add(mine);
            Path ref = dir.resolve("ref" + c);
            file(mine, ref);
            expected.add(rowsOf(ref));
        }
        Path out = dir.resolve("net");
        PipelineOptions o = options(new ListenerOptions().setBatchLingerMillis(0));
        o.getLockchain().setOutDir(out.toString());
        GuardPipeline p = deploy(o);
        // the file trickles in, 1000 bytes a millisecond, so that its framer holds an open row between reads
        io.vertx.core.Future<JsonObject> fileDone = p.ingest(new Trickle(p.sourceContext(), Buffer.buffer(inputs.get(n)), 1000),
            "file");
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Socket s = connect(p.tcpPort());
            byte[] mine = inputs.get(c);
            long pieceSeed = rnd.nextLong();
            replies.add(CompletableFuture.supplyAsync(() -> {
                try {
                    Random r = new Random(pieceSeed);
                    OutputStream os = s.getOutputStream();
                    for (int at = 0; at < mine.length; ) {
                        int len = Math.min(mine.length - at, 1 + r.nextInt(3000));
                        os.write(mine, at, len);
                        os.flush();
                        at += len;
                    }
                    os.write(new byte[] {NetFramer.EOT, '\n'});
                    os.flush();
                    return replyLine(s);
                } catch (IOException e) {
                    return "failed: " + e;
                }
            }));
        }
        for (CompletableFuture<String> r : replies) {
            String line = r.get(60, TimeUnit.SECONDS);
            assertThat(new JsonObject(line).getLong("failedBatches")).as(line).isZero();
        }
        assertThat(await(fileDone).getLong("failedBatches")).isZero();
        String head = await(p.flush()).getString("head");
        await(p.undeploy());

        // the chain's rows, in sequence order, are a merge of the inputs' own row sequences (rows of
        // different inputs can have equal receipts: a search over the merges, not a greedy match)
        List<String> rows = rowsOf(out);
        assertThat(rows).hasSize(expected.stream().mapToInt(List::size).sum());
        assertThat(isMerge(rows, expected, 0, new int[n + 1], new java.util.HashSet<>()))
            .as("the chain's rows are a merge of each input's rows in its order (seed %d)", seed).isTrue();
        StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(head));
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    /** A stream on {@code context} that hands out {@code chunk} bytes per millisecond, honouring pause. */
    static final class Trickle implements io.vertx.core.streams.ReadStream<Buffer> {
        private final io.vertx.core.Context context;
        private final Buffer data;
        private final int chunk;
        private io.vertx.core.Handler<Buffer> handler;
        private io.vertx.core.Handler<Void> endHandler;
        private int pos;
        private boolean paused;
        private boolean armed;

        Trickle(io.vertx.core.Context context, Buffer data, int chunk) {
            this.context = context;
            this.data = data;
            this.chunk = chunk;
        }

        private void arm() {
            if (!armed && !paused && handler != null) {
                armed = true;
                context.owner().setTimer(1, id -> {
                    armed = false;
                    if (paused || handler == null) {
                        return;
                    }
                    if (pos >= data.length()) {
                        if (endHandler != null) {
                            endHandler.handle(null);
                        }
                        return;
                    }
                    int to = Math.min(data.length(), pos + chunk);
                    Buffer b = data.getBuffer(pos, to);
                    pos = to;
                    handler.handle(b);
                    arm();
                });
            }
        }

        @Override
        public Trickle exceptionHandler(io.vertx.core.Handler<Throwable> h) {
            return this;
        }

        @Override
        public Trickle handler(io.vertx.core.Handler<Buffer> h) {
            handler = h;
            arm();
            return this;
        }

        @Override
        public Trickle pause() {
            paused = true;
            return this;
        }

        @Override
        public Trickle resume() {
            paused = false;
            arm();
            return this;
        }

        @Override
        public Trickle fetch(long amount) {
            return resume();
        }

        @Override
        public Trickle endHandler(io.vertx.core.Handler<Void> h) {
            endHandler = h;
            return this;
        }
    }

    /** Whether {@code rows[at..]} is a merge of the rest of each sequence from {@code next}; memoised on failures. */
    static boolean isMerge(List<String> rows, List<List<String>> seqs, int at, int[] next, java.util.Set<String> failed) {
        if (at == rows.size()) {
            return true;
        }
        String key = java.util.Arrays.toString(next);
        if (failed.contains(key)) {
            return false;
        }
        for (int c = 0; c < seqs.size(); c++) {
            if (next[c] < seqs.get(c).size() && seqs.get(c).get(next[c]).equals(rows.get(at))) {
                next[c]++;
                boolean ok = isMerge(rows, seqs, at + 1, next, failed);
                next[c]--;
                if (ok) {
                    return true;
                }
            }
        }
        failed.add(key);
        return false;
    }

    /**
     * The receipts of a receipts.jsonl grouped by row (its {@code cycle}, the row's sequence), each
     * row as its receipts' content without the sequence: hook, lanes, flags, aHash, result.
     */
    static List<String> rowsOf(Path out) throws IOException {
        Map<Long, StringBuilder> byRow = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("receipts.jsonl"))) {
            JsonObject r = new JsonObject(line);
            byRow.computeIfAbsent(r.getLong("cycle"), k -> new StringBuilder()).append(r.getInteger("hookId")).append('/')
                .append(r.getInteger("lanes")).append('/').append(r.getInteger("flags")).append('/')
                .append(r.getString("aHash")).append('/').append(r.getString("result")).append(' ');
        }
        List<String> rows = new ArrayList<>();
        byRow.values().forEach(b -> rows.add(b.toString()));
        return rows;
    }
}
