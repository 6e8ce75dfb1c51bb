package io.github.hotpool.tripleguard;

import io.github.hotpool.cluster.ClusterNode;
import io.github.hotpool.cluster.ClusterRun;
import io.github.hotpool.cluster.ClusterRunException;
import io.github.hotpool.pipeline.BadLinePolicy;
import io.github.hotpool.pipeline.PipelineOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code run --cluster}: joins the cluster, streams the input through the stages the nodes host
 * (the others run here), and prints the usual summary line with what was retried.
 */
final class ClusterRunner {

    private ClusterRunner() {
    }

    static int run(RunCommand rc, CommandLine cli) throws Exception {
        PrintWriter out = cli.getOut();
        PrintWriter err = cli.getErr();
        if (rc.listen != null || rc.tcp != null) {
            throw new CommandLine.ParameterException(cli, "--cluster reads FILE, stdin or the bundled data; "
                + "--listen and --tcp run on one node");
        }
        if (rc.badLines == BadLinePolicy.FAIL) {
            throw new CommandLine.ParameterException(cli, "--cluster reports and skips bad lines; --bad-lines FAIL "
                + "is not supported across nodes");
        }
        PipelineOptions options = rc.options();
        long started = System.nanoTime();
        ClusterNode node = rc.cluster.join(cli, rc.metricsPort);
        if (node == null) {
            return TripleGuard.BAD;
        }
        long joined = System.nanoTime();
        JsonObject s;
        String name = rc.input == null ? RunCommand.BUNDLED_NAME : "-".equals(rc.input) ? "stdin" : rc.input;
        try (InputStream in = rc.input == null ? new ByteArrayInputStream(RunCommand.bundledBytes())
                : "-".equals(rc.input) ? System.in : Files.newInputStream(Path.of(rc.input))) {
            s = RunCommand.await(ClusterRun.run(node, options, in, name, BackendRegistries.getDefaultNow()));
        } catch (Exception e) {
            Throwable root = RunCommand.rootOf(e);
            RunCommand.await(node.close());
            if (root instanceof ClusterRunException crx) {
                // the node holding the chain is gone: its directory holds what it acknowledged
                crx.summary().getJsonArray("errors").forEach(x -> err.println(x));
                err.println("triple-guard: cluster run failed: " + crx.getMessage());
                summary(out, crx.summary(), node, rc, started, joined);
                return TripleGuard.OUTPUT;
            }
            err.println("triple-guard: cluster run failed: " + root.getMessage());
            return TripleGuard.BAD;
        }
        RunCommand.await(node.close());
        s.getJsonArray("errors").forEach(e -> err.println(e));
        summary(out, s, node, rc, started, joined);
        return s.getLong("failed") == 0 && s.getLong("badLines") == 0 ? 0 : TripleGuard.BAD;
    }

    private static void summary(PrintWriter out, JsonObject s, ClusterNode node, RunCommand rc, long started, long joined) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        String where = node.nodeId().equals(s.getString("emitNode")) ? rc.out.toString() : "node:" + s.getString("emitNode");
        out.println("triples=" + s.getLong("triples") + " batches=" + s.getLong("batches") + " receipts="
            + s.getLong("receipts") + " failed=" + s.getLong("failed") + " bad_lines=" + s.getLong("badLines")
            + " cycles=" + s.getLong("cycles") + " head=" + s.getString("head") + " out=" + where + " ms=" + ms
            + " retried=" + s.getLong("retried")
            // Emit counts the duplicates it refused; with its node gone nobody knows how many there were
            + " duplicates=" + (s.getValue("duplicates") == null ? "unknown" : s.getLong("duplicates"))
            + " join_ms=" + (joined - started) / 1_000_000 + " frame_bytes=" + s.getLong("frameBytes")
            + (s.getString("failure") == null ? "" : " failure=lost-emit"));
    }
}
