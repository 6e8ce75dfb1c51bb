package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.listening;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.NTriplesParser;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Line ends as N-Triples defines them (LF, CR LF, lone CR) in the Framer, for every way the
 * input can be cut into chunks, and the Transform side's refusal of a 9th lane.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FramingTest extends VertxTestBase {

    static final String TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    static final String CLASS = "<http://www.w3.org/2000/01/rdf-schema#Class>";

    static String triple(int i) {
        return "<http://ex/s" + i + "> " + TYPE + " " + CLASS + " .";
    }

    /** Nine statements on what a Framer splitting on LF only takes for one line. */
    static String nineCrSeparated() {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            t.add(triple(i));
        }
        return String.join("\r", t) + "\n";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    PipelineOptions options() {
        return new PipelineOptions().setHooks(TestData.hooksJson());
    }

    /** Ingests {@code data} in {@code chunk}-byte pieces; @return summary, head and stats. */
    record Run(JsonObject summary, String head, PipelineStats stats) {
    }

    Run run(byte[] data, int chunk) {
        Pipeline p = await(Pipeline.deploy(vertx, options()));
        JsonObject summary = await(p.ingest(Buffer.buffer(data), "in", chunk));
        String head = await(p.flush()).getString("head");
        PipelineStats s = p.stats();
        await(p.undeploy());
        return new Run(summary, head, s);
    }

    @Test
    void nineStatementsSeparatedByLoneCr_areNineLinesInTwoBatches_asIfSeparatedByLf() {
        Direct lf = Direct.run(utf8(nineCrSeparated().replace('\r', '\n')), TestData.hooks(), 1024);

        Run r = run(utf8(nineCrSeparated()), MemoryStream.CHUNK);

        assertThat(r.stats.recentErrors()).isEmpty();
        assertThat(r.summary.getLong("failedBatches")).isZero();
        assertThat(r.summary.getLong("lines")).isEqualTo(9);
        assertThat(r.summary.getLong("triples")).isEqualTo(9).isEqualTo(lf.triples);
        assertThat(r.summary.getLong("batches")).isEqualTo(2);
        assertThat(r.stats.receipts()).isEqualTo(lf.receipts);
        assertThat(r.head).isEqualTo(lf.head);
        assertThat(r.stats.soaInUse()).isZero();
    }

    @Test
    void commentEndedByLoneCr_theTripleAfterItCounts() {
        Run r = run(utf8("# comment\r" + triple(1) + "\n"), MemoryStream.CHUNK);

        assertThat(r.summary.getLong("triples")).isEqualTo(1);
        assertThat(r.summary.getLong("lines")).isEqualTo(2);
        assertThat(r.summary.getLong("badLines")).isZero();
    }

    /**
     * LF, CR LF and lone CR mixed, with bad lines among them, cut into chunks of many sizes from 1
     * byte up: each chunk size puts a CR | LF boundary somewhere else. Line count, bad-line numbers
     * and columns must be those of the kernel's parser (what {@code triple-guard check} uses), and
     * triples and the chain head those of the same document with every line end an LF.
     */
    @Test
    void mixedLineEnds_everyChunkSize_sameLinesErrorsAndHeadAsTheParser() {
        String doc = triple(1) + "\r\n"           // 1
            + "# comment\r"                        // 2
            + triple(2) + "\r"                     // 3
            + "<http://ex/b> " + TYPE + " \"open .\n" // 4: bad, unterminated literal
            + "\r"                                 // 5: empty
            + "\r\n"                               // 6: empty
            + triple(3) + " " + triple(4) + "\r\n" // 7: bad, two statements on one line
            + triple(5) + "\r"                     // 8
            + triple(6) + "\n"                     // 9
            + triple(7) + "\r\r\n"                 // 10, then 11 (empty)
            + triple(8) + "\r"                     // 12
            + triple(9) + "\r"                     // 13
            + triple(10);                          // 14, no line end
        byte[] data = utf8(doc);
        List<String> expected = parserErrors(data, "in");
        assertThat(expected).hasSize(2);
        assertThat(expected.get(0)).startsWith("in:4:");
        assertThat(expected.get(1)).startsWith("in:7:").contains("unexpected text after '.'");
        Run lf = run(utf8(doc.replace("\r\n", "\n").replace('\r', '\n')), MemoryStream.CHUNK);
        assertThat(lf.stats.recentErrors()).isEqualTo(expected);

        for (int chunk : new int[] {1, 2, 3, 5, 7, 11, 13, 64, 100, 101, 4096}) {
            Run r = run(data, chunk);
            assertThat(r.stats.recentErrors()).as("chunk %d", chunk).isEqualTo(expected);
            assertThat(r.summary.getLong("lines")).as("chunk %d", chunk).isEqualTo(14);
            assertThat(r.summary.getLong("triples")).as("chunk %d", chunk).isEqualTo(lf.summary.getLong("triples")).isEqualTo(8);
            assertThat(r.summary.getLong("badLines")).as("chunk %d", chunk).isEqualTo(2);
            assertThat(r.head).as("chunk %d", chunk).isEqualTo(lf.head);
            assertThat(r.stats.soaInUse()).isZero();
        }
    }

    /** A CR LF pair cut between two chunks is one line end: line numbers after it do not shift. */
    @Test
    void crAtTheEndOfAChunk_lfAtTheStartOfTheNext_isOneLineEnd() {
        String first = triple(1) + "\r";
        String doc = first + "\n" + "<http://ex/a> <http://ex/p> <bad iri> .\n";
        Run r = run(utf8(doc), first.length()); // the first chunk ends exactly on the CR

        assertThat(r.summary.getLong("lines")).isEqualTo(2);
        assertThat(r.stats.recentErrors()).singleElement().asString().startsWith("in:2:");
    }

    @Test
    void schemaOrgWithCrLfAndWithLoneCr_givesTheHeadOfTheLfFile() {
        byte[] lf = CycleSealingTest.slice(0, 500);
        String text = new String(lf, StandardCharsets.UTF_8);
        Direct direct = Direct.run(lf, TestData.hooks(), 1024);
        for (String eol : new String[] {"\r\n", "\r"}) {
            Run r = run(utf8(text.replace("\n", eol)), 997); // a prime: cuts fall everywhere
            assertThat(r.summary.getLong("triples")).as(eol.length() + "-byte EOL").isEqualTo(direct.triples);
            assertThat(r.summary.getLong("lines")).isEqualTo(500);
            assertThat(r.head).isEqualTo(direct.head);
            assertThat(r.stats.recentErrors()).isEmpty();
        }
    }

    @Test
    void httpBodyAndTcpStream_withLoneCrLineEnds_everyStatementCounted() throws Exception {
        Pipeline p = await(Pipeline.deploy(vertx, listening(options())));
        byte[] body = utf8(nineCrSeparated() + "# c\r" + triple(20) + "\r");

        HttpResponse<String> resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        String reply;
        try (Socket socket = new Socket("127.0.0.1", p.tcpPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(body);
            out.write(new byte[] {Framer.EOT, '\r'}); // the end marker ends with a lone CR too
            out.flush();
            reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(new JsonObject(resp.body()).getLong("triples")).isEqualTo(10);
        assertThat(new JsonObject(reply).getLong("triples")).isEqualTo(10);
        assertThat(s.failed()).isZero();
        assertThat(s.recentErrors()).isEmpty();
    }

    /**
     * The guard behind the Framer: a staged "line" that still holds nine statements (what the
     * Framer used to stage for CR-separated input) fills the 8 lanes and reports the 9th as a bad
     * line with its line number, instead of writing lane 8 (an exception with checks on, another
     * slot's lanes with {@code -Dhotpool.checks=false}; see ChecksOffTest).
     */
    @Test
    void transform_aNinthStatementInOneBatch_isABadLine_notALaneOverflow() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(2));
        Ledger ledger = new Ledger(pool, 1024);
        SoaBuffer b = pool.acquire(8);
        int slot = b.slot();
        stageOneLine(ledger, slot, nineCrSeparated(), 41);
        NTriplesParser parser = new NTriplesParser(1025, NTriplesParser.ErrorPolicy.SKIP);
        TransformVerticle.LaneSink sink = new TransformVerticle.LaneSink();
        parser.errorHandler(sink);

        TransformVerticle.parse(parser, sink, ledger, slot, b, null);

        assertThat(b.length()).isEqualTo(8);
        assertThat(ledger.stream[slot].triples.get()).isEqualTo(8);
        assertThat(ledger.stream[slot].badLines.get()).isEqualTo(1);
    }

    static void stageOneLine(Ledger ledger, int slot, String line, long lineNumber) {
        ledger.stream[slot] = new IngestStream("staged", Promise.promise());
        byte[] bytes = utf8(line);
        System.arraycopy(bytes, 0, ledger.staging[slot], 0, bytes.length);
        ledger.lineStart[slot][0] = 0;
        ledger.lineStart[slot][1] = bytes.length;
        ledger.lineNumber[slot][0] = lineNumber;
        ledger.lineCount[slot] = 1;
        ledger.stagingLength[slot] = bytes.length;
    }

    /** Bad lines as the kernel's parser reports them, in the pipeline's {@code source:LINE:COL: reason} form. */
    static List<String> parserErrors(byte[] data, String source) {
        List<String> errors = new ArrayList<>();
        NTriplesParser parser = new NTriplesParser(PipelineOptions.DEFAULT_MAX_LINE_LENGTH + 1,
            NTriplesParser.ErrorPolicy.SKIP).errorHandler(e -> errors.add(source + ":" + e.line() + ":"
                + e.column() + ": " + e.reason()));
        parser.feed(data, 0, data.length, (s, p, o) -> { });
        parser.finish((s, p, o) -> { });
        return errors;
    }
}
