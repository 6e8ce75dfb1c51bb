package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triple-guard node} in a JVM of its own and {@code run --cluster} here find each other on
 * 127.0.0.1 with no configuration and chain the bundled data to the head a single-node run gives.
 */
class ClusterCommandTest {

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

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void nodeAndRunCluster_onOneMachine_giveTheSingleNodeHead() throws Exception {
        TripleGuardTest.Result single = TripleGuardTest.cli("run", "--out", dir.resolve("single").toString(),
            "--progress", "never");
        assertThat(single.code()).as(single.err()).isZero();
        Matcher sh = TripleGuardTest.HEAD.matcher(single.out());
        assertThat(sh.find()).isTrue();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path nodeOut = dir.resolve("node-out");
        // a cluster of this test's own: no other node on the machine can be placed on
        String cluster = "tg-test-" + UUID.randomUUID().toString().substring(0, 8);
        // the node's Hazelcast port, named to the run: without a port Hazelcast's TCP-IP join tries only
        // 5701-5703, which other builds' members on this machine may hold
        int port = freePort();
        Process node = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
            TripleGuard.class.getName(), "node", "--stages", "transform,load,reflex,emit", "--out", nodeOut.toString(),
            "--cluster-name", cluster, "--cluster-port", Integer.toString(port))
            .redirectErrorStream(true).start();
        try {
            CompletableFuture<String> ready = new CompletableFuture<>();
            StringBuffer log = new StringBuffer();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        log.append(l).append('\n');
                        if (l.startsWith("node ") && l.contains(" ready: hosts transform,load,reflex,emit")) {
                            ready.complete(l.split(" ")[1]);
                        }
                    }
                } catch (java.io.IOException e) {
                    ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new IllegalStateException("node exited: " + log));
            });
            pump.setDaemon(true);
            pump.start();
            String nodeId = ready.get(60, TimeUnit.SECONDS);

            TripleGuardTest.Result r = TripleGuardTest.cli("run", "--cluster", "--cluster-name", cluster,
                "--cluster-members", "127.0.0.1:" + port, "--out",
                dir.resolve("unused").toString(), "--progress", "never");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("out=node:" + nodeId).contains("failed=0").contains("retried=0")
                .contains("head=" + sh.group(1));
            StoreVerifier.Verdict v = StoreVerifier.verify(nodeOut, HexFormat.of().parseHex(sh.group(1)));
            assertThat(v.ok()).as(v.reason()).isTrue();
            node.destroy(); // SIGTERM: the node leaves the directory and the cluster, and exits 0
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node exited after SIGTERM").isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            node.destroy(); // SIGTERM: the node leaves the cluster and exits
            if (!node.waitFor(15, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killNineOfTheEmitNode_exitsFour_withTheDurablePosition_andItsChainVerifies() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path nodeOut = dir.resolve("emit-out");
        String cluster = "tg-test-" + UUID.randomUUID().toString().substring(0, 8);
        // the node's Hazelcast port, named to the run: without a port Hazelcast's TCP-IP join tries only
        // 5701-5703, which other builds' members on this machine may hold
        int port = freePort();
        Process node = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
            TripleGuard.class.getName(), "node", "--stages", "transform,load,reflex,emit", "--out", nodeOut.toString(),
            "--cluster-name", cluster, "--cluster-port", Integer.toString(port))
            .redirectErrorStream(true).start();
        InputStream stdin = System.in;
        try {
            CompletableFuture<String> ready = new CompletableFuture<>();
            StringBuffer log = new StringBuffer();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        log.append(l).append('\n');
                        if (l.startsWith("node ") && l.contains(" ready: ")) {
                            ready.complete(l.split(" ")[1]);
                        }
                    }
                } catch (java.io.IOException e) {
                    ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new IllegalStateException("node exited: " + log));
            });
            pump.setDaemon(true);
            pump.start();
            String nodeId = ready.get(60, TimeUnit.SECONDS);
            byte[] data = RunCommand.bundledBytes();
            // stdin: a third of the bundled data, then kill -9 of the node by PID, then the rest
            System.setIn(new java.io.FilterInputStream(new java.io.ByteArrayInputStream(data)) {
                private long read;
                private boolean killed;

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    if (!killed && read >= data.length / 3) {
                        killed = true;
                        node.destroyForcibly(); // SIGKILL on Linux
                        try {
                            node.waitFor(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    int n = super.read(b, off, Math.min(len, 4096));
                    read += Math.max(n, 0);
                    return n;
                }
            });
            long t0 = System.nanoTime();
            TripleGuardTest.Result r = TripleGuardTest.cli("run", "-", "--cluster", "--cluster-name", cluster,
                "--cluster-members", "127.0.0.1:" + port, "--cycle-receipts", "256", "--out",
                dir.resolve("unused").toString(), "--progress", "never");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("run --cluster after kill -9 of the emit node: exit " + r.code() + " in " + ms + " ms");
            assertThat(node.isAlive()).isFalse();
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(TripleGuard.OUTPUT);
            assertThat(r.err()).contains("triple-guard: cluster run failed: the node hosting emit (" + nodeId + ") left")
                .contains("durable up to receipts=");
            assertThat(r.out()).contains("failure=lost-emit").contains(" duplicates=unknown ").contains("out=node:" + nodeId);
            assertThat(ms).as("the run ends by itself, not at the test's timeout").isLessThan(100_000);
            Matcher head = TripleGuardTest.HEAD.matcher(r.out());
            assertThat(head.find()).as(r.out()).isTrue();
            StoreVerifier.Verdict v = StoreVerifier.verify(nodeOut, HexFormat.of().parseHex(head.group(1)));
            assertThat(v.ok()).as(v.reason()).isTrue();
            assertThat(v.anchored()).as("the printed head is a cycle of the dead node's chain").isTrue();
        } finally {
            System.setIn(stdin);
            if (node.isAlive()) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A TCP port free now on 127.0.0.1, for a node's Hazelcast member. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void clusterUsageErrors_exitTwoAndNameTheFlag() {
        TripleGuardTest.Result noStages = TripleGuardTest.cli("node");
        assertThat(noStages.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(noStages.err()).contains("--stages");
        TripleGuardTest.Result badStage = TripleGuardTest.cli("node", "--stages", "transform,ingest");
        assertThat(badStage.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(badStage.err()).contains("unknown stage 'ingest'");
        TripleGuardTest.Result outWithoutEmit = TripleGuardTest.cli("node", "--stages", "load", "--out", dir.toString());
        assertThat(outWithoutEmit.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(outWithoutEmit.err()).contains("--out is for a node that hosts emit");
        TripleGuardTest.Result listen = TripleGuardTest.cli("run", "--cluster", "--listen", "0", "--out", dir.toString());
        assertThat(listen.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(listen.err()).contains("--listen and --tcp run on one node");
        TripleGuardTest.Result members = TripleGuardTest.cli("run", "--cluster-members", "10.0.0.1", "--out", dir.toString());
        assertThat(members.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(members.err()).contains("--cluster-* flags need --cluster");
        TripleGuardTest.Result window = TripleGuardTest.cli("node", "--stages", "emit", "--cluster-port", "0");
        assertThat(window.code()).isEqualTo(TripleGuard.USAGE);
        assertThat(window.err()).contains("port must be in [1, 65535]: port=0");
    }
}
