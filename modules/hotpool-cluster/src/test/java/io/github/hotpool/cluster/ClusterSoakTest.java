package io.github.hotpool.cluster;

import static io.github.hotpool.cluster.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in soak ({@code -Pcluster-soak}): three node JVMs host Transform, Load and Reflex; the
 * bundled data in {@code hotpool.cluster.soak.copies} copies (varied subjects, default 10) streams
 * through them while two of them are killed with {@code kill -9}, one after the other. Repeated
 * {@code hotpool.cluster.soak.rounds} times (default 2). Every round: nothing lost, nothing chained
 * twice, the chain verifies.
 */
class ClusterSoakTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void nodesKilledOneAfterAnother_loseAndDuplicateNothing(@TempDir Path tmp) throws Exception {
        int copies = Integer.getInteger("hotpool.cluster.soak.copies", 10);
        int rounds = Integer.getInteger("hotpool.cluster.soak.rounds", 2);
        byte[] one = Fixtures.data();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String text = new String(one, StandardCharsets.UTF_8);
        for (int i = 1; i <= copies; i++) {
            all.writeBytes(text.replace("<https://schema.org/", "<https://schema.org/c" + i + "/").getBytes(StandardCharsets.UTF_8));
        }
        byte[] data = all.toByteArray();
        Fixtures.singleNodeHead(data, tmp.resolve("single"));
        Map<String, Integer> expected = Fixtures.receiptKeys(tmp.resolve("single"));
        ClusterNode driver = await(ClusterNode.join(Fixtures.isolated().setHopTimeoutMillis(2_000)
            .setUnitTimeoutMillis(6_000).setMaxAttempts(8)));
        try {
            for (int round = 0; round < rounds; round++) {
                try (NodeProcesses nodes = new NodeProcesses(driver)) {
                    NodeProcesses.Node a = nodes.start("transform,load,reflex", null, 90);
                    NodeProcesses.Node b = nodes.start("transform,load,reflex", null, 90);
                    nodes.start("transform,load,reflex", null, 90);
                    InputStream in = new KillAt(new java.io.ByteArrayInputStream(data), data.length / 4, a,
                        data.length / 2, b);
                    Path out = tmp.resolve("out-" + round);
                    JsonObject s = await(ClusterRun.run(driver, Fixtures.options(out), in, "soak", null));
                    System.out.println("soak round " + round + ": " + s.copy().put("errors", s.getJsonArray("errors").size()).encode());
                    assertThat(s.getLong("failed")).as(s.encodePrettily()).isZero();
                    assertThat(s.getLong("retried")).isPositive();
                    assertThat(s.getLong("emitted")).isEqualTo(s.getLong("batches"));
                    assertThat(Fixtures.receiptKeys(out)).isEqualTo(expected);
                    StoreVerifier.Verdict v = StoreVerifier.verify(out, HexFormat.of().parseHex(s.getString("head")));
                    assertThat(v.ok()).as(v.reason()).isTrue();
                }
            }
        } finally {
            await(driver.close());
        }
    }

    /** Kills {@code first} after {@code at1} bytes were read and {@code second} after {@code at2}. */
    private static final class KillAt extends FilterInputStream {
        private final long at1;
        private final long at2;
        private final NodeProcesses.Node first;
        private final NodeProcesses.Node second;
        private long read;
        private int fired;

        KillAt(InputStream in, long at1, NodeProcesses.Node first, long at2, NodeProcesses.Node second) {
            super(in);
            this.at1 = at1;
            this.at2 = at2;
            this.first = first;
            this.second = second;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, 4096));
            read += Math.max(n, 0);
            if (fired == 0 && read >= at1 || fired == 1 && read >= at2) {
                NodeProcesses.Node victim = fired++ == 0 ? first : second;
                new Thread(() -> {
                    try {
                        NodeProcesses.kill9(victim);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "kill-9").start();
            }
            return n;
        }
    }
}
