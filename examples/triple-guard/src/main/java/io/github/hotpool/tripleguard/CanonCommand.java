package io.github.hotpool.tripleguard;

import io.github.hotpool.triples.ParallelNTriples;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canon [FILE|-]}: writes the input as RDF 1.2 canonical N-Triples, reporting bad lines as
 * {@code check} does.
 */
@Command(name = "canon", mixinStandardHelpOptions = true, version = "triple-guard 0.1.0",
    description = "Write N-Triples as RDF 1.2 canonical N-Triples: one triple per line, canonical terms, "
        + "single spaces, ' .' and LF, in input order. Bad lines are left out and reported on stderr as "
        + "LINE:COL: reason (exit 1). A file is parsed on every core; stdin sequentially.")
final class CanonCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
        description = "N-Triples file, or - for stdin (the default)")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
        description = "write to OUT (replaced only once complete) instead of stdout")
    Path output;

    @Option(names = "--max-line-length", defaultValue = "65536",
        description = "longest accepted line in bytes (default ${DEFAULT-VALUE})")
    int maxLineLength;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (maxLineLength < 16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-line-length " + maxLineLength + " is below 16");
        }
        boolean stdin = "-".equals(file);
        Path in = stdin ? null : Path.of(file);
        if (in != null && !Files.isRegularFile(in)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE " + file + " does not exist");
        }
        ParallelNTriples canon = new ParallelNTriples(Runtime.getRuntime().availableProcessors(), maxLineLength,
            ParallelNTriples.DEFAULT_BLOCK_BYTES);
        ParallelNTriples.Summary s;
        try {
            if (output == null) {
                OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
                s = run(canon, in, out, err);
            } else {
                Path tmp = output.resolveSibling(output.getFileName() + ".partial");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                    s = run(canon, in, out, err);
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // reading the input or writing the output failed (a closed pipe, a full disk, a missing directory)
            err.println("canon: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            err.flush();
            return TripleGuard.BAD;
        }
        if (s.badLines() != 0) {
            err.println("invalid lines=" + s.lines() + " triples=" + s.triples() + " bad_lines=" + s.badLines());
        }
        err.flush();
        return s.badLines() == 0 ? 0 : TripleGuard.BAD;
    }

    private static ParallelNTriples.Summary run(ParallelNTriples canon, Path in, OutputStream out, PrintWriter err)
            throws IOException {
        ParallelNTriples.Summary s = in == null
            ? canon.canonicalize(System.in, out, e -> err.println(CheckCommand.describe(e)))
            : canon.canonicalize(in, out, e -> err.println(CheckCommand.describe(e)));
        out.flush();
        return s;
    }
}
