package io.github.hotpool.cluster;

import static io.github.hotpool.cluster.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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

    /**
     * Killing a member with {@code kill -9} makes this JVM's clustered event bus log its failed
     * reconnections and the reset connection: expected, so captured and matched, not printed.
     */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final io.github.hotpool.core.testing.LogCapture LOG = new io.github.hotpool.core.testing.LogCapture()
        .mayOccur("io.vertx.core.eventbus.impl.clustered.ClusteredEventBus", "^Connecting to server \\S+ failed.*")
        .mayOccur("io.vertx.core.net.impl.ConnectionBase", "^Connection reset.*")
        // Vert.x 5.0.7's outbound connection can complete a write's promise twice when the killed
        // member's socket closes under a write (seen once on Temurin 25); the send itself fails as it should
        .mayOccur("io.vertx.core.impl.ContextImpl", "^Unhandled exception java\\.lang\\.IllegalStateException: Promise already completed$");

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
            assertThat(s.getJsonObject("placement").getJsonArray("transform").stream().map(String::valueOf)).containsExactly(remote.nodeId);
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

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void killNineOfTheEmitNode_failsTheRunPromptly_andItsChainHoldsEveryAcknowledgedUnitOnce(@TempDir Path tmp)
            throws Exception {
        Fixtures.singleNodeHead(data, tmp.resolve("single"));
        Map<Long, Map<String, Integer>> expected = Fixtures.receiptKeysBySeq(tmp.resolve("single"));
        Path emitOut = tmp.resolve("emit-out");
        try (NodeProcesses nodes = new NodeProcesses(driver)) {
            NodeProcesses.Node e = nodes.start("transform,load,reflex,emit", emitOut, 90);
            CompletableFuture<Long> killedAt = new CompletableFuture<>();
            InputStream in = new KillAfter(new ByteArrayInputStream(data), data.length / 3, () -> {
                try {
                    NodeProcesses.kill9(e);
                    killedAt.complete(System.nanoTime());
                } catch (Exception x) {
                    killedAt.completeExceptionally(x);
                }
            });
            CompletableFuture<JsonObject> run = ClusterRun.run(driver, Fixtures.options(tmp.resolve("unused")), in,
                "bundled", null).toCompletionStage().toCompletableFuture();
            long killed = killedAt.get(60, TimeUnit.SECONDS);
            // the run ends by itself: membership (about 5 s) or the hop and unit timeouts, not the test's timeout
            Throwable failure = catchThrowable(() -> run.get(40, TimeUnit.SECONDS));
            long endedMs = (System.nanoTime() - killed) / 1_000_000;
            assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterRunException.class);
            ClusterRunException crx = (ClusterRunException) failure.getCause();
            JsonObject s = crx.summary();
            System.out.println("kill -9 of emit, ended " + endedMs + " ms after: " + crx.getMessage());
            assertThat(crx.getMessage()).contains("the node hosting emit (" + e.nodeId + ")")
                .contains("durable up to receipts=").contains("batches acknowledged");
            assertThat(s.getString("emitNode")).isEqualTo(e.nodeId);
            assertThat(s.getLong("emitted")).as("some units were durable before the kill").isPositive();
            assertThat(s.getLong("failed")).as("the units in flight are failed and counted").isPositive();
            assertThat(s.getLong("emitted") + s.getLong("failed")).as("every unit read is acknowledged or failed")
                .isEqualTo(s.getLong("batches"));
            assertThat(s.getLong("batches")).as("the source stopped reading").isLessThan(expectedBatches());

            // the dead node's directory verifies up to its last flush and holds the last acknowledged position
            JsonObject durable = s.getJsonObject("durable");
            String head = durable.getString("head");
            StoreVerifier.Verdict v = StoreVerifier.verify(emitOut, head == null ? null : HexFormat.of().parseHex(head));
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.receipts()).as("at least what was acknowledged is on disk").isGreaterThanOrEqualTo(
                durable.getLong("receipts"));
            if (durable.getLong("cycles") > 0) {
                assertThat(v.anchored()).as("the last acknowledged head is a cycle of the chain").isTrue();
                assertThat(v.anchoredAt()).isEqualTo(durable.getLong("cycles") - 1);
            }
            // what the verifier read: no receipt twice, every acknowledged unit's receipts exactly once
            Map<String, Integer> chained = Fixtures.receiptKeys(emitOut, v.receipts());
            assertThat(chained.values()).as("nothing chained twice").allMatch(n -> n == 1);
            JsonArray acked = s.getJsonArray("acknowledged");
            long ackedUnits = 0;
            for (int i = 0; i < acked.size(); i++) {
                for (long seq = acked.getJsonArray(i).getLong(0); seq <= acked.getJsonArray(i).getLong(1); seq++) {
                    ackedUnits++;
                    for (Map.Entry<String, Integer> k : expected.getOrDefault(seq, Map.of()).entrySet()) {
                        assertThat(chained.get(k.getKey())).as("receipt " + k.getKey() + " of acknowledged unit " + seq)
                            .isEqualTo(1);
                    }
                }
            }
            assertThat(ackedUnits).isEqualTo(s.getLong("emitted"));
        }
    }

    private static long expectedBatches() {
        return Fixtures.statementLines(data) / 8 + 1;
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
