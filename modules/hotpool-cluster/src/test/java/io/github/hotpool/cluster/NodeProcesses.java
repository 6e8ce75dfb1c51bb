package io.github.hotpool.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cluster nodes as separate JVM processes on 127.0.0.1 ({@link NodeMain}), started with the test's
 * class path and killed by PID when the test ends, however it ends. Not thread-safe.
 */
final class NodeProcesses implements AutoCloseable {

    /** One started node: its process, its cluster node id, its output so far. */
    static final class Node {
        final Process process;
        final String nodeId;
        final StringBuffer output;

        Node(Process process, String nodeId, StringBuffer output) {
            this.process = process;
            this.nodeId = nodeId;
            this.output = output;
        }

        long pid() {
            return process.pid();
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    /** The test's member: the nodes join its cluster, and it watches them leave. */
    private final ClusterNode observer;

    /**
     * @param observer the test's own member: nodes join its cluster (by name), and {@link #close}
     *     returns only once it no longer sees them
     */
    NodeProcesses(ClusterNode observer) {
        this.observer = observer;
    }

    /**
     * Starts a node hosting {@code stages}, writing its chain to {@code out} (null: in memory), and
     * waits at most {@code seconds} for it to say READY.
     */
    Node start(String stages, Path out, long seconds) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", cp, NodeMain.class.getName(), stages, out == null ? "-" : out.toString(),
            observer.options().getClusterName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("READY ")) {
                        ready.complete(line.substring(6).trim());
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("node exited before READY: " + output));
        }, "node-output-" + p.pid());
        pump.setDaemon(true);
        pump.start();
        Node n;
        try {
            n = new Node(p, ready.get(seconds, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + stages + " not ready within " + seconds + " s: " + output, e);
        }
        nodes.add(n);
        return n;
    }

    /** {@code kill -9 PID}: the node dies without a word to the cluster. */
    static void kill9(Node n) throws Exception {
        Process k = new ProcessBuilder("kill", "-9", Long.toString(n.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IllegalStateException("kill -9 " + n.pid() + " failed");
        }
        if (!n.process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + n.pid() + " still alive 10 s after kill -9");
        }
    }

    /**
     * Asks every node to leave (closes its standard input), kills by PID what is still running
     * after 15 s, then waits up to 20 s until the observer no longer counts them as members, so
     * that the next test's placement cannot pick a node of this one.
     */
    @Override
    public void close() {
        for (Node n : nodes) {
            try {
                n.process.getOutputStream().close();
            } catch (IOException e) {
                n.process.destroyForcibly();
            }
        }
        for (Node n : nodes) {
            try {
                if (!n.process.waitFor(15, TimeUnit.SECONDS)) {
                    n.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                n.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<String> ids = new ArrayList<>();
            nodes.forEach(n -> ids.add(n.nodeId));
            while (observer.liveNodes().stream().anyMatch(ids::contains)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nodes " + ids + " still members 20 s after their processes ended");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        nodes.clear();
    }
}
