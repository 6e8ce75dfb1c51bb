package io.github.hotpool.cluster;

import java.nio.file.Path;

/**
 * A cluster node in a JVM of its own, for the multi-process tests: {@code NodeMain STAGES OUTDIR|- CLUSTER}
 * (the cluster name keeps each test's nodes apart from any other cluster on the machine).
 * Prints {@code READY <nodeId>} once it hosts its stages, and exits when its standard input
 * closes (the test that started it is gone) or it is killed.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        ClusterNode node = ClusterNode.join(new ClusterOptions().setClusterName(args[2])).toCompletionStage().toCompletableFuture().get();
        Path out = "-".equals(args[1]) ? null : Path.of(args[1]);
        GuardNode host = GuardNode.start(node, GuardStage.parse(args[0]), out, null).toCompletionStage().toCompletableFuture().get();
        System.out.println("READY " + node.nodeId());
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent holds our stdin open while it wants us
        }
        host.stop().toCompletionStage().toCompletableFuture().get(); // out of the directory before leaving
        node.close().toCompletionStage().toCompletableFuture().get();
        System.exit(0);
    }
}
