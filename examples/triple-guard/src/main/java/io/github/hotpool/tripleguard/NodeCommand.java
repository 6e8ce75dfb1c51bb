package io.github.hotpool.tripleguard;

import io.github.hotpool.cluster.ClusterNode;
import io.github.hotpool.cluster.GuardNode;
import io.github.hotpool.cluster.GuardStage;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code node}: joins the cluster and hosts some of the guard's stages for {@code run --cluster}. */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Join the Hotpool cluster and host guard stages for runs started elsewhere with run --cluster; "
        + "runs until interrupted.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--stages", required = true, paramLabel = "STAGE,...",
        description = "stages to host: any of transform, load, reflex, emit")
    String stages;

    @Option(names = "--out", paramLabel = "DIR", description = "where receipts.jsonl and lockchain.jsonl go when this "
        + "node hosts emit (default: kept in memory)")
    Path out;

    @Option(names = "--metrics-port", paramLabel = "PORT", description = "serve Prometheus metrics on "
        + "http://127.0.0.1:PORT/metrics (the node's hotpool.cluster.units.* meters among them)")
    Integer metricsPort;

    @Mixin
    ClusterFlags cluster;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<GuardStage> hosted;
        try {
            hosted = GuardStage.parse(stages);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stages: " + e.getMessage());
        }
        if (out != null && !hosted.contains(GuardStage.EMIT)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out is for a node that hosts emit");
        }
        ClusterNode node = cluster.join(spec.commandLine(), metricsPort);
        if (node == null) {
            return TripleGuard.BAD;
        }
        GuardNode host;
        try {
            host = RunCommand.await(GuardNode.start(node, hosted, out, BackendRegistries.getDefaultNow()));
        } catch (Exception e) {
            err.println("triple-guard: cannot host " + stages + ": " + RunCommand.rootOf(e).getMessage());
            RunCommand.await(node.close());
            return TripleGuard.BAD;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                RunCommand.await(host.stop()); // out of the directory: new runs stop placing units here
                RunCommand.await(node.close()); // leave the cluster: open runs see this node go at once
            } catch (Exception e) {
                // exiting anyway
            }
            stop.countDown();
            stdout.flush();
            Runtime.getRuntime().halt(0); // a node stopped by a signal did its job: exit 0, not the signal's 143
        }));
        stdout.println("node " + node.nodeId() + " ready: hosts " + hosted.stream().map(GuardStage::id)
            .collect(Collectors.joining(",")) + (out == null ? "" : " (chain in " + this.out + ")") + "; Ctrl-C to stop");
        stdout.flush();
        stop.await();
        return 0;
    }
}
