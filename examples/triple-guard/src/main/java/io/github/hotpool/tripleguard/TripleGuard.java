package io.github.hotpool.tripleguard;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The triple-guard command line: {@code check}, {@code canon}, {@code run}, {@code verify}, {@code report} and {@code node}.
 * Exit codes: 0 ok, 1 the input or the chain is bad (or a run failed), 2 usage errors (one line on
 * stderr naming the problem, before any output is created), 3 ({@code verify --strict}) intact but
 * loose, 4 ({@code run}) the output directory could not be used or written. Enum values are read
 * in any case.
 */
@Command(name = "triple-guard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Guards N-Triples streams: validates them, runs hooks over them through a pooled Vert.x "
        + "pipeline, writes receipts chained into a tamper-evident lockchain, and verifies that chain.",
    subcommands = {CheckCommand.class, CanonCommand.class, RunCommand.class, VerifyCommand.class, ReportCommand.class,
        NodeCommand.class})
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
        // named from the registered subcommands, so the list cannot fall behind them
        java.util.List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        String last = names.remove(names.size() - 1);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
            + String.join(", ", names) + " or " + last);
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
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(TripleGuard::usageError);
        return cli.execute(args);
    }

    /**
     * A usage error is one line, {@code triple-guard CMD: problem (see 'triple-guard CMD --help')},
     * and exit 2; picocli's default would follow it with the whole usage text.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return USAGE;
    }
}
