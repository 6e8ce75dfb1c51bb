package io.github.hotpool.tripleguard;

import io.github.hotpool.triples.ParallelNTriples;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canon [FILE|-]}: writes the input as RDF 1.2 canonical N-Triples, reporting bad lines as
 * {@code check} does.
 */
@Command(name = "canon", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Write N-Triples as RDF 1.2 canonical N-Triples: one triple per line, canonical terms, "
        + "single spaces, ' .' and LF, in input order. Bad lines are left out and reported on stderr as "
        + "LINE:COL: reason (exit 1). A regular file is parsed on every core; stdin, pipes and devices "
        + "sequentially.")
final class CanonCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
        description = "N-Triples file, or - for stdin (the default)")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
        description = "write to the file OUT (replaced only once complete; - for stdout) instead of stdout")
    Path output;

    @Option(names = "--max-line-length", defaultValue = "65536",
        description = "longest accepted line in bytes, 16.." + CheckCommand.MAX_LINE_LENGTH + " (default ${DEFAULT-VALUE})")
    int maxLineLength;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        // usage errors first, before anything is read or written
        InputCheck.requireRange(spec.commandLine(), "--max-line-length", maxLineLength, 16, CheckCommand.MAX_LINE_LENGTH);
        boolean stdin = "-".equals(file);
        Path in = stdin ? null : Path.of(file);
        if (in != null) {
            InputCheck.requireFile(spec.commandLine(), "FILE", in);
        }
        Path target = output == null || "-".equals(output.toString()) ? null : output;
        if (target != null) {
            if (Files.isDirectory(target)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "OUT " + target + " is a directory");
            }
            Path dir = target.toAbsolutePath().getParent();
            String problem = InputCheck.dirProblem(dir);
            if (problem != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "OUT's directory " + dir + " " + problem);
            }
        }
        ParallelNTriples canon = new ParallelNTriples(Runtime.getRuntime().availableProcessors(), maxLineLength,
            ParallelNTriples.DEFAULT_BLOCK_BYTES);
        ParallelNTriples.Summary s;
        try {
            if (target == null) {
                OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
                s = run(canon, in, out, err);
            } else {
                s = runInto(canon, in, target, err);
            }
        } catch (IOException e) {
            // reading the input or writing the output failed (a closed pipe, a full disk)
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

    /**
     * Writes into a temporary file of its own beside {@code target} (a unique name, so that two
     * runs into one OUT never share it), then moves it over {@code target} in one step; on any
     * failure, the move's included, the temporary file is deleted and {@code target} is as it was.
     */
    private static ParallelNTriples.Summary runInto(ParallelNTriples canon, Path in, Path target, PrintWriter err)
            throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp;
        OutputStream file;
        for (;;) {
            // CREATE_NEW on a random name: unique like createTempFile, but with the permissions a
            // plain new file gets (createTempFile's are owner-only, which OUT would then keep)
            String draw = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            tmp = abs.resolveSibling("." + abs.getFileName() + "." + draw + ".partial");
            try {
                file = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another run's: draw again
            }
        }
        try {
            ParallelNTriples.Summary s;
            try (OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                s = run(canon, in, out, err);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return s;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static ParallelNTriples.Summary run(ParallelNTriples canon, Path in, OutputStream out, PrintWriter err)
            throws IOException {
        ParallelNTriples.Summary s;
        if (in == null) {
            s = canon.canonicalize(System.in, out, e -> err.println(CheckCommand.describe(e)));
        } else if (Files.isRegularFile(in)) {
            s = canon.canonicalize(in, out, e -> err.println(CheckCommand.describe(e)));
        } else {
            // a pipe, a FIFO, a device: no offsets to cut at, so read in order like stdin
            try (InputStream stream = Files.newInputStream(in)) {
                s = canon.canonicalize(stream, out, e -> err.println(CheckCommand.describe(e)));
            }
        }
        out.flush();
        return s;
    }
}
