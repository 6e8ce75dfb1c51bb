package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener's graceful stop: intake stops, a request already in flight still finishes and is
 * answered, and only then is the chain sealed, so the head {@link Pipeline#drain} returns anchors
 * every receipt, that request's included.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DrainTest extends VertxTestBase {

    /** A connection accepted while the listener closes is closed by Netty, which says so. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.github.hotpool.core.testing.LogCapture LOG = new io.github.hotpool.core.testing.LogCapture().mayOccur("io.netty.bootstrap.ServerBootstrap",
        "^Failed to register an accepted channel");

    @Test
    void drain_letsARequestInFlightFinish_thenSeals_soItsHeadAnchorsEveryReceipt() throws Exception {
        Path out = dir.resolve("out");
        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setOutDir(out.toString())).setListeners(new ListenerOptions().setHttpPort(0).setBatchLingerMillis(0))));
        byte[] body = CycleSealingTest.slice(0, 200);
        int half = body.length / 2;
        try (Socket s = new Socket("127.0.0.1", p.httpPort())) {
            s.setSoTimeout(20_000);
            OutputStream os = s.getOutputStream();
            os.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            os.write(body, 0, half);
            os.flush();
            until("the first half is framed", 10_000, () -> p.stats().batches() > 0);

            Future<JsonObject> drained = p.drain(15_000);
            until("intake stopped", 10_000, () -> !canConnect(p.httpPort()));
            assertThat(drained.isComplete()).as("drain waits for the request in flight").isFalse();
            os.write(body, half, body.length - half);
            os.flush();
            String answer = readHead(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200");

            JsonObject chain = await(drained);
            StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(chain.getString("head")));
            await(p.undeploy());
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.exitCode(true)).as("anchored at the last cycle, nothing unsealed").isZero();
            assertThat(v.receipts()).isEqualTo(p.stats().receipts()).isPositive();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket late = new Socket()) {
            late.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && sb.length() < 200) {
            sb.append((char) c);
            if (sb.indexOf("\r\n") >= 0) {
                break;
            }
        }
        return sb.toString();
    }
}
