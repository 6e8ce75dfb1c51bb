package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.ListenerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The listener flags of {@code run}: ranges refused as usage errors, values reaching the pipeline options. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenerFlagsTest {

    @TempDir
    Path dir;

    TripleGuardTest.Result run(String... flags) {
        String[] args = new String[flags.length + 5];
        args[0] = "run";
        args[1] = "--out";
        args[2] = dir.resolve("never").toString();
        args[3] = "--progress";
        args[4] = "never";
        System.arraycopy(flags, 0, args, 5, flags.length);
        return TripleGuardTest.cli(args);
    }

    static PipelineOptions options(String... args) throws Exception {
        CommandLine cli = new CommandLine(new TripleGuard());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).options();
    }

    @Test
    void outOfRangeValues_exitTwo_namingTheFlagTheValueAndTheRange() {
        String[][] cases = {
            {"--idle-timeout-seconds", "0", "--idle-timeout-seconds 0 outside [1, 86400]"},
            {"--idle-timeout-seconds", "86401", "--idle-timeout-seconds 86401 outside [1, 86400]"},
            {"--max-connections", "0", "--max-connections 0 outside [1, 65536]"},
            {"--max-connections", "65537", "--max-connections 65537 outside [1, 65536]"},
            {"--tcp", "70000", "--tcp 70000 outside [0, 65535]"},
            {"--tcp", "-1", "--tcp -1 outside [0, 65535]"},
            {"--listen", "70000", "--listen 70000 outside [0, 65535]"},
        };
        for (String[] c : cases) {
            TripleGuardTest.Result r = run(c[0], c[1]);
            assertThat(r.code()).as(c[0] + " " + c[1]).isEqualTo(2);
            assertThat(r.err()).as(c[0] + " " + c[1]).contains(c[2]);
        }
        assertThat(run("--tcp", "twelve").code()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("never").resolve("receipts.jsonl"))).isFalse();
    }

    @Test
    void handlesEngineWithAListener_isAUsageError_namingTheRing() {
        TripleGuardTest.Result r = run("--engine", "handles", "--tcp", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--listen and --tcp run on --engine ring");
    }

    @Test
    void flags_reachThePipelineOptions() throws Exception {
        PipelineOptions o = options("run", "--tcp", "0", "--idle-timeout-seconds", "7", "--max-connections", "9");
        assertThat(o.getListeners().getTcpPort()).isZero();
        assertThat(o.getListeners().getIdleTimeoutMillis()).isEqualTo(7_000);
        assertThat(o.getListeners().getMaxConnections()).isEqualTo(9);
        assertThat(o.getListeners().getBatchLingerMillis()).isEqualTo(ListenerOptions.DEFAULT_BATCH_LINGER_MILLIS);
        assertThat(o.getLockchain().getCycleIdleMillis()).as("listening: idle seal on").isEqualTo(RunCommand.DEFAULT_LISTEN_IDLE_MILLIS);
    }

    @Test
    void listenersKeepSafeDefaults_onlyTheInternalStdinHopRelaxesThem() throws Exception {
        PipelineOptions listen = options("run", "--listen", "0");
        assertThat(listen.getListeners().getIdleTimeoutMillis()).isEqualTo(ListenerOptions.DEFAULT_IDLE_TIMEOUT_MILLIS);
        assertThat(listen.getListeners().getMaxConnections()).isEqualTo(ListenerOptions.DEFAULT_MAX_CONNECTIONS);
        assertThat(listen.getListeners().getBatchLingerMillis()).isEqualTo(ListenerOptions.DEFAULT_BATCH_LINGER_MILLIS);

        // the ring reads stdin itself: no listener is opened for it
        assertThat(options("run", "-").getListeners().any()).isFalse();

        // on --engine handles, stdin reaches the pipeline over a loopback HTTP port only this process uses:
        // batches by content alone (a deterministic head) and no idle cut of a slow stdin
        PipelineOptions stdin = options("run", "-", "--engine", "handles");
        assertThat(stdin.getListeners().getHttpPort()).isZero();
        assertThat(stdin.getListeners().getBatchLingerMillis()).isZero();
        assertThat(stdin.getListeners().getIdleTimeoutMillis()).isZero();
        assertThat(options("run", "-", "--engine", "handles", "--idle-timeout-seconds", "5").getListeners()
            .getIdleTimeoutMillis()).isEqualTo(5_000);

        // with a TCP listener open to others as well, the safe defaults stay
        PipelineOptions stdinAndTcp = options("run", "-", "--tcp", "0");
        assertThat(stdinAndTcp.getListeners().getBatchLingerMillis()).isEqualTo(ListenerOptions.DEFAULT_BATCH_LINGER_MILLIS);
        assertThat(stdinAndTcp.getListeners().getIdleTimeoutMillis()).isEqualTo(ListenerOptions.DEFAULT_IDLE_TIMEOUT_MILLIS);
    }
}
