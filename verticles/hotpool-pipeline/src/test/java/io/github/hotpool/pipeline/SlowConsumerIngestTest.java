package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP and TCP ingest against a Reflex stage slowed down on purpose: the input must pause, not pile up. */
class SlowConsumerIngestTest {

    static final int SOA_BUFFERS = 4;
    Vertx vertx;
    Pipeline p;
    byte[] data;
    long expectedTriples;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        data = TestData.schemaOrg();
        expectedTriples = Direct.run(data, TestData.hooks(), 1024).triples;
        // linger off: these tests count batches (8 lines each), and a sender stalling for longer than
        // the linger time mid-batch would legitimately cut one short; back-pressure is what they test
        PipelineOptions o = new PipelineOptions().setHooks(TestData.hooksJson()).setListeners(new ListenerOptions().setHttpPort(0).setTcpPort(0).setBatchLingerMillis(0));
        o.getPool().setSoaBuffers(SOA_BUFFERS);
        p = await(Pipeline.deploy(vertx, o));
        // every batch waits 2 ms in Reflex: far slower than the sender, far below the stage timeout
        p.runtime().faults = (stage, seq) -> stage == Stage.REFLEX ? 2 : 0;
    }

    @AfterEach
    void tearDown() {
        await(p.undeploy());
        await(vertx.close());
    }

    @Test
    void httpBody_slowReflex_inputPausedAndResumed_everyTripleProcessed_poolNeverAboveCapacity() throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(new JsonObject(resp.body()).getLong("triples")).isEqualTo(expectedTriples);
        assertBoundedAndPaused();
    }

    @Test
    void tcpStream_slowReflex_inputPausedAndResumed_everyTripleProcessed_poolNeverAboveCapacity() throws Exception {
        String reply;
        try (Socket socket = new Socket("127.0.0.1", p.tcpPort())) {
            OutputStream out = socket.getOutputStream();
            for (int off = 0; off < data.length; off += 4096) {
                out.write(data, off, Math.min(4096, data.length - off));
            }
            out.write(new byte[] {Framer.EOT, '\n'}); // end of input, in band: the socket stays open for the reply
            out.flush();
            socket.setSoTimeout(30_000);
            reply = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
        assertThat(new JsonObject(reply).getLong("triples")).isEqualTo(expectedTriples);
        assertBoundedAndPaused();
    }

    private long expectedBatches() {
        return (expectedTriples + 7) / 8;
    }

    private void assertBoundedAndPaused() {
        PipelineStats s = p.stats();
        assertThat(s.failed()).isZero();
        assertThat(s.emitted()).isEqualTo(expectedBatches());
        assertThat(s.pauses()).isPositive();
        assertThat(s.resumes()).isEqualTo(s.pauses());
        // after pause() a stream may still hand over the chunk already in flight, nothing more piles up
        assertThat(s.maxQueuedChunks()).isLessThanOrEqualTo(2);
        for (BufferPool pool : p.pools()) {
            assertThat(pool.highWaterMark()).isLessThanOrEqualTo(SOA_BUFFERS);
        }
    }
}
