package io.github.hotpool.cluster;

import static io.github.hotpool.cluster.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard across real cluster nodes: separate JVMs on 127.0.0.1 (NodeMain), this JVM as the
 * source. Each node is killed by PID when its test ends, whatever happens.
 */
class ClusterPipelineTest {

    private static ClusterNode driver;
    private static byte[] data;

    @BeforeAll
    static void join() throws Exception {
        data = Fixtures.data();
        driver = await(ClusterNode.join(Fixtures.isolated().setHopTimeoutMillis(2_000).setUnitTimeoutMillis(6_000)));
    }

    @AfterAll
    static void leave() throws Exception {
        if (driver != null) {
            await(driver.close());
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twoNodes_giveTheSingleNodeHead(@TempDir Path tmp) throws Exception {
        String single = Fixtures.singleNodeHead(data, tmp.resolve("single"));
        try (NodeProcesses nodes = new NodeProcesses(driver)) {
            NodeProcesses.Node remote = nodes.start("transform,load,reflex,emit", tmp.resolve("node-out"), 90);
            JsonObject s = await(ClusterRun.run(driver, Fixtures.options(tmp.resolve("unused")),
                new ByteArrayInputStream(data), "bundled", null));

            assertThat(s.getString("emitNode")).isEqualTo(remote.nodeId);
            assertThat(s.getJsonObject("placement").getJsonArray("transform").getList()).containsExactly(remote.nodeId);
            assertThat(s.getLong("failed")).as(s.encodePrettily()).isZero();
            assertThat(s.getLong("retried")).isZero();
            assertThat(s.getLong("emitted")).isEqualTo(s.getLong("batches")).isPositive();
            assertThat(s.getString("head")).as("two-node head vs single-node head").isEqualTo(single);
            StoreVerifier.Verdict v = StoreVerifier.verify(tmp.resolve("node-out"), HexFormat.of().parseHex(single));
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(Fixtures.receiptKeys(tmp.resolve("node-out"))).isEqualTo(Fixtures.receiptKeys(tmp.resolve("single")));
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void killNineOfANodeMidStream_losesAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        Fixtures.singleNodeHead(data, tmp.resolve("single"));
        Map<String, Integer> expected = Fixtures.receiptKeys(tmp.resolve("single"));
        try (NodeProcesses nodes = new NodeProcesses(driver)) {
            NodeProcesses.Node a = nodes.start("transform,load,reflex", null, 90);
            NodeProcesses.Node b = nodes.start("transform,load,reflex", null, 90);
            CompletableFuture<Void> killed = new CompletableFuture<>();
            // a third of the way in, node a dies while units are on their way to it and through it
            InputStream in = new KillAfter(new ByteArrayInputStream(data), data.length / 3, () -> {
                try {
                    NodeProcesses.kill9(a);
                    killed.complete(null);
                } catch (Exception e) {
                    killed.completeExceptionally(e);
                }
            });
            Path out = tmp.resolve("out");
            JsonObject s = await(ClusterRun.run(driver, Fixtures.options(out), in, "bundled", null));
            killed.get(30, TimeUnit.SECONDS);
            System.out.println("kill -9 run summary: " + s.copy().put("errors", s.getJsonArray("errors").size()).encode());

            assertThat(s.getString("emitNode")).isEqualTo(driver.nodeId());
            assertThat(s.getLong("retried")).as("units node a held were sent again").isPositive();
            assertThat(s.getLong("failed")).as(s.encodePrettily()).isZero();
            assertThat(s.getLong("emitted")).isEqualTo(s.getLong("batches"));
            assertThat(Fixtures.receiptKeys(out)).as("every receipt chained exactly once").isEqualTo(expected);
            StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(s.getString("head")));
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.receipts()).isEqualTo(s.getLong("receipts"));
            assertThat(b.process.isAlive()).isTrue();
        }
    }

    /** Runs {@code action} on its own thread once {@code after} bytes were read, and goes on reading. */
    private static final class KillAfter extends FilterInputStream {
        private final long after;
        private final Runnable action;
        private long read;
        private boolean fired;

        KillAfter(InputStream in, long after, Runnable action) {
            super(in);
            this.after = after;
            this.action = action;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, 4096));
            if (n > 0 && !fired && (read += n) >= after) {
                fired = true;
                Thread t = new Thread(action, "kill-9");
                t.start();
            }
            return n;
        }
    }
}
