package io.github.hotpool.tripleguard;

import io.github.hotpool.triples.NTriplesException;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.ParallelNTriples;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code check FILE}: validates N-Triples; every bad line goes to stderr as {@code LINE:COL: reason}. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Validate an N-Triples file: exit 0 if valid, 1 with LINE:COL: reason "
    + "lines on stderr if not.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "N-Triples file, or - for stdin")
    String file;

    /** The longest line {@code --max-line-length} may allow: the checker holds one line in memory. */
    static final int MAX_LINE_LENGTH = 1 << 24;

    @CommandLine.Option(names = "--max-line-length", defaultValue = "65536",
        description = "longest accepted line in bytes, 16.." + MAX_LINE_LENGTH + " (default ${DEFAULT-VALUE})")
    int maxLineLength;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputCheck.requireRange(spec.commandLine(), "--max-line-length", maxLineLength, 16, MAX_LINE_LENGTH);
        if (!"-".equals(file)) {
            InputCheck.requireFile(spec.commandLine(), "FILE", Path.of(file));
        }
        if (!"-".equals(file) && Files.isRegularFile(Path.of(file))) {
            // a regular file is cut at line boundaries and parsed on every core; stdin, pipes and
            // devices have no offsets to cut at and are read in order
            Path path = Path.of(file);
            ParallelNTriples.Summary s = new ParallelNTriples(Runtime.getRuntime().availableProcessors(),
                maxLineLength, ParallelNTriples.DEFAULT_BLOCK_BYTES).check(path, e -> err.println(describe(e)));
            err.flush();
            out.println((s.badLines() == 0 ? "valid" : "invalid") + " lines=" + s.lines() + " triples=" + s.triples()
                + " bad_lines=" + s.badLines());
            return s.badLines() == 0 ? 0 : TripleGuard.BAD;
        }
        LineChecker checker = new LineChecker(maxLineLength, err);
        try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
            checker.check(in);
        } catch (IOException e) {
            // checked above, so the file went away or failed mid-read: the input is bad, not the usage
            err.println("triple-guard check: cannot read " + file + ": " + e.getMessage());
            return TripleGuard.BAD;
        }
        out.println((checker.bad == 0 ? "valid" : "invalid") + " lines=" + checker.lines + " triples="
            + checker.triples + " bad_lines=" + checker.bad);
        return checker.bad == 0 ? 0 : TripleGuard.BAD;
    }

    /** How {@code check} and {@code canon} report a bad line: {@code LINE:COL: reason}. */
    static String describe(NTriplesException e) {
        return e.line() + ":" + e.column() + ": " + e.reason();
    }

    /**
     * Feeds one line at a time to the kernel's parser so that every bad line is reported, not only
     * the first and last (the parser keeps only those two under its SKIP policy).
     */
    static final class LineChecker {
        private final int maxLineLength;
        private final PrintWriter err;
        private final NTriplesParser parser;
        private final byte[] line;
        private int length;
        private boolean tooLong;
        long lines;
        long triples;
        long bad;

        LineChecker(int maxLineLength, PrintWriter err) {
            this.maxLineLength = maxLineLength;
            this.err = err;
            this.parser = new NTriplesParser(maxLineLength + 1, NTriplesParser.ErrorPolicy.FAIL);
            this.line = new byte[maxLineLength + 1];
        }

        /**
         * Lines end at LF, CR LF or a lone CR (N-Triples' EOL), counted exactly as the pipeline's
         * Framer and the parser count them, so that {@code check} and {@code run} name the same
         * line; a CR that ends one read and an LF that starts the next are one line end.
         */
        void check(InputStream in) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            boolean skipLf = false;
            int n;
            while ((n = in.read(chunk)) > 0) {
                int start = skipLf && chunk[0] == '\n' ? 1 : 0;
                skipLf = false;
                for (int i = start; i < n; i++) {
                    byte c = chunk[i];
                    if (c == '\n' || c == '\r') {
                        append(chunk, start, i);
                        endLine();
                        if (c == '\r') {
                            if (i + 1 == n) {
                                skipLf = true;
                            } else if (chunk[i + 1] == '\n') {
                                i++;
                            }
                        }
                        start = i + 1;
                    }
                }
                append(chunk, start, n);
            }
            if (length > 0 || tooLong) {
                endLine();
            }
            err.flush();
        }

        private void append(byte[] b, int from, int to) {
            int n = to - from;
            if (tooLong || length + n > maxLineLength) {
                tooLong = true;
                return;
            }
            System.arraycopy(b, from, line, length, n);
            length += n;
        }

        private void endLine() {
            lines++;
            if (tooLong) {
                bad++;
                err.println(lines + ":" + (maxLineLength + 1) + ": " + NTriplesParser.lineTooLong(maxLineLength));
            } else {
                line[length] = '\n';
                long before = parser.triples();
                try {
                    parser.feed(line, 0, length + 1, (s, p, o) -> { });
                    triples += parser.triples() - before;
                } catch (NTriplesException e) {
                    bad++;
                    err.println(lines + ":" + e.column() + ": " + e.reason());
                }
                parser.reset();
            }
            length = 0;
            tooLong = false;
        }
    }
}
