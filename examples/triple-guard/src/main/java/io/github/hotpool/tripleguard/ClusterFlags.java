package io.github.hotpool.tripleguard;

import io.github.hotpool.cluster.ClusterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How {@code node} and {@code run --cluster} join the cluster: loopback by default, or members, or a Hazelcast file. */
final class ClusterFlags {

    @Option(names = "--cluster-config", paramLabel = "FILE", description = "Hazelcast XML or YAML configuration, "
        + "used as is (discovery, ports, interfaces); without it, nodes look for each other by TCP-IP on "
        + "--cluster-members, multicast off")
    Path config;

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "Hazelcast cluster name: nodes and runs "
        + "of different names never join (default hotpool)")
    String name;

    @Option(names = "--cluster-members", paramLabel = "HOST[:PORT],...", description = "Hazelcast members to "
        + "join (default 127.0.0.1)")
    String members;

    @Option(names = "--cluster-host", paramLabel = "HOST", description = "the address this node binds Hazelcast and "
        + "the event bus to and others reach it on (default 127.0.0.1)")
    String host;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "first Hazelcast port tried (default 5701; "
        + "the next free one is taken)")
    Integer port;

    @Option(names = "--cluster-bus-port", paramLabel = "PORT", description = "TCP port of the clustered event bus "
        + "(default 0: any free port; fix it for firewalls)")
    Integer busPort;

    /**
     * Joins the cluster these flags describe, with Vert.x metrics on {@code metricsPort} when
     * given; a failure to join is one line on {@code cli}'s error stream.
     *
     * @return the node, or null when it could not join (the caller exits {@link TripleGuard#BAD})
     * @throws CommandLine.ParameterException for a usage error in the flags
     */
    io.github.hotpool.cluster.ClusterNode join(CommandLine cli, Integer metricsPort) {
        io.vertx.core.VertxOptions base = metricsPort == null ? new io.vertx.core.VertxOptions()
            : Metrics.options(new io.vertx.core.VertxOptions(), metricsPort);
        ClusterOptions co = options(cli);
        try {
            return RunCommand.await(io.github.hotpool.cluster.ClusterNode.join(co, base));
        } catch (Exception e) {
            cli.getErr().println("triple-guard: cannot join the cluster: " + RunCommand.rootOf(e).getMessage());
            return null;
        }
    }

    /** @return the options the flags ask for; usage errors as ParameterException */
    ClusterOptions options(CommandLine cli) {
        ClusterOptions o = new ClusterOptions();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new CommandLine.ParameterException(cli, "--cluster-config " + config + " is not a file");
            }
            o.setConfigFile(config.toString());
        }
        if (name != null) {
            o.setClusterName(name);
        }
        if (members != null) {
            o.setMembers(Arrays.asList(members.split("\\s*,\\s*")));
        }
        if (host != null) {
            o.setHost(host);
        }
        if (port != null) {
            o.setPort(port);
        }
        if (busPort != null) {
            o.setBusPort(busPort);
        }
        try {
            return o.validate();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "cluster: " + e.getMessage());
        }
    }
}
