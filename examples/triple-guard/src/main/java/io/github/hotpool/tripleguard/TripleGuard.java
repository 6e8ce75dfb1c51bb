package io.github.hotpool.tripleguard;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The triple-guard command line: {@code check}, {@code run}, {@code verify} and {@code node}. Exit codes: 0 ok,
 * 1 the input or the chain is bad (or a run failed), 2 usage errors, 3 ({@code verify --strict})
 * intact but loose, 4 ({@code run}) the output directory could not be used or written.
 */
@Command(name = "triple-guard", mixinStandardHelpOptions = true, version = "triple-guard 0.1.0",
    description = "Guards N-Triples streams: validates them, runs hooks over them through a pooled Vert.x "
        + "pipeline, writes receipts chained into a tamper-evident lockchain, and verifies that chain.",
    subcommands = {CheckCommand.class, RunCommand.class, VerifyCommand.class, NodeCommand.class})
public final class TripleGuard implements Runnable {

    /** Exit code: the input, the chain or the run is bad. */
    static final int BAD = 1;
    /** Exit code: usage error. */
    static final int USAGE = 2;
    /**
     * Exit code of {@code run}: the output directory could not be used or written (locked by
     * another run, damaged, disk full, not writable); receipts acknowledged before are durable.
     */
    static final int OUTPUT = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: check, run or verify");
    }

    /** Entry point of the shaded jar. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line in-process with the given streams; returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TripleGuard());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }
}
