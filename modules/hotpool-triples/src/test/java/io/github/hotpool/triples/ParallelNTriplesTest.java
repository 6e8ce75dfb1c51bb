package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file parsed in blocks on several threads gives what one parser over the whole input gives:
 * the same bad lines with the same line, column and reason, in order, the same counts, and the
 * same canonical output; so does the sequential stream path.
 */
@Timeout(60)
class ParallelNTriplesTest {

    private static final int MAX_LINE = 100;
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    record Outcome(List<String> errors, String canonical, long lines, long triples, long bad) {
    }

    /** The reference: one parser, SKIP, over the whole input. */
    static Outcome reference(byte[] doc) {
        List<String> errors = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NTriplesParser parser = new NTriplesParser(MAX_LINE, NTriplesParser.ErrorPolicy.SKIP)
                .errorHandler(e -> errors.add(e.getMessage())).canonicalLines(out::write);
        parser.feed(doc, 0, doc.length, (s, p, o) -> { });
        parser.finish((s, p, o) -> { });
        return new Outcome(errors, out.toString(StandardCharsets.UTF_8), parser.line() - 1, parser.triples(),
                parser.skippedLines());
    }

    Outcome parallelCanon(byte[] doc, int threads) throws IOException {
        Path file = Files.write(dir.resolve("in.nt"), doc);
        List<String> errors = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ParallelNTriples.Summary s = new ParallelNTriples(threads, MAX_LINE, BLOCK)
                .canonicalize(file, out, e -> errors.add(e.getMessage()));
        return new Outcome(errors, out.toString(StandardCharsets.UTF_8), s.lines(), s.triples(), s.badLines());
    }

    Outcome parallelCheck(byte[] doc, int threads) throws IOException {
        Path file = Files.write(dir.resolve("in.nt"), doc);
        List<String> errors = new ArrayList<>();
        ParallelNTriples.Summary s = new ParallelNTriples(threads, MAX_LINE, BLOCK).check(file, e -> errors.add(e.getMessage()));
        return new Outcome(errors, "", s.lines(), s.triples(), s.badLines());
    }

    static Outcome streamCanon(byte[] doc) throws IOException {
        List<String> errors = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ParallelNTriples.Summary s = new ParallelNTriples(2, MAX_LINE, BLOCK)
                .canonicalize(new ByteArrayInputStream(doc), out, e -> errors.add(e.getMessage()));
        return new Outcome(errors, out.toString(StandardCharsets.UTF_8), s.lines(), s.triples(), s.badLines());
    }

    private void assertAllAgree(byte[] doc) throws IOException {
        Outcome ref = reference(doc);
        assertThat(parallelCanon(doc, 3)).isEqualTo(ref);
        assertThat(parallelCanon(doc, 1)).isEqualTo(ref);
        assertThat(parallelCheck(doc, 2)).isEqualTo(new Outcome(ref.errors(), "", ref.lines(), ref.triples(), ref.bad()));
        assertThat(streamCanon(doc)).isEqualTo(ref);
    }

    private static String line(Gen g) {
        return switch (g.intBetween(0, 11)) {
            case 0 -> "";
            case 1 -> "# a comment " + g.string("ab é", 0, 20);
            case 2 -> "<http://ex/s" + g.intBetween(0, 9) + "> <http://ex/p> \"bad \\q escape\" .";
            case 3 -> "<http://ex/s> <http://ex/p> <relative> .";
            case 4 -> "<http://ex/s> <http://ex/p> \"" + "x".repeat(g.intBetween(MAX_LINE, 3 * BLOCK)) + "\" .";
            case 5 -> "<http://ex/s> <http://ex/p> <<( _:b" + g.intBetween(0, 9) + " <http://ex/q> \"v\"@en--ltr )>> .";
            case 6 -> "_:a\t<http://ex/p>  \"tab\\there\"^^<http://ex/t>.";
            default -> "<http://ex/s" + g.intBetween(0, 99) + "> <http://ex/p" + g.intBetween(0, 3) + "> \""
                    + g.string("abc \t\u0001é", 0, 30) + "\" .";
        };
    }

    private static byte[] document(Gen g) {
        StringBuilder b = new StringBuilder();
        int lines = g.intBetween(0, 600);
        for (int i = 0; i < lines; i++) {
            b.append(line(g));
            if (i < lines - 1 || g.bool()) {
                b.append(g.oneOf("\n", "\n", "\r\n", "\r"));
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void generatedDocuments_parallelAndStream_giveTheWholeInputParsersErrorsCountsAndOutput() {
        PropertyRunner.forAll(ParallelNTriplesTest::document).tries(40).edgeCases(edgeDocuments())
                .describedBy(d -> d.length + " bytes: " + new String(d, 0, Math.min(d.length, 2000), StandardCharsets.UTF_8))
                .check(this::assertAllAgree);
    }

    private static List<byte[]> edgeDocuments() {
        String good = "<http://ex/s> <http://ex/p> \"o\" .";
        List<byte[]> docs = new ArrayList<>();
        docs.add(new byte[0]);
        docs.add(good.getBytes(StandardCharsets.UTF_8)); // no line break at the end
        docs.add((good + "\r").repeat(400).getBytes(StandardCharsets.UTF_8)); // lone CRs only
        // a CR LF pair astride the first block boundary: CR is byte BLOCK - 1, LF byte BLOCK
        StringBuilder b = new StringBuilder();
        while (b.length() + 2 * (good.length() + 1) < BLOCK) {
            b.append(good).append('\n');
        }
        int pad = BLOCK - 1 - b.length() - good.length();
        b.append(good).append(" ".repeat(pad)).append("\r\n").append(good).append('\n');
        byte[] astride = b.toString().getBytes(StandardCharsets.UTF_8);
        if (astride[BLOCK - 1] != '\r' || astride[BLOCK] != '\n') {
            throw new IllegalStateException("edge case built wrong");
        }
        docs.add(astride);
        // an overlong line filling whole blocks, ending in CR at a block's end, then more lines
        String longLine = "<http://ex/s> <http://ex/p> \"" + "y".repeat(2 * BLOCK - 1 - 29 - 3) + "\" .";
        docs.add((longLine + "\r\n" + good + "\n" + longLine + "\r" + good).getBytes(StandardCharsets.UTF_8));
        docs.add((longLine + "\r" + good + "\n").getBytes(StandardCharsets.UTF_8));
        docs.add((longLine + "y\r\n" + good + "\r\n").getBytes(StandardCharsets.UTF_8)); // CR first in a block
        docs.add((good + "\n" + "z".repeat(5 * BLOCK)).getBytes(StandardCharsets.UTF_8)); // overlong last line
        return docs;
    }

    @Test
    void aBadLineInALaterBlock_isReportedWithItsLineAndColumnInTheWholeFile() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < 1000; i++) {
            b.append("<http://ex/s").append(i).append("> <http://ex/p> \"o\" .\n");
        }
        b.append("<http://ex/s> <http://ex/p> \"o\" . junk\n");
        Outcome got = parallelCheck(b.toString().getBytes(StandardCharsets.UTF_8), 2);
        assertThat(got.errors()).containsExactly("line 1000, column 35: unexpected text after '.'");
        assertThat(got.lines()).isEqualTo(1000);
        assertThat(got.triples()).isEqualTo(999);
    }

    @Test
    void aHandlerThatThrows_endsTheRunWithItsException() throws IOException {
        byte[] doc = "<a:s> <a:p> <rel> .\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("bad.nt"), doc);
        ParallelNTriples p = new ParallelNTriples(2, MAX_LINE, BLOCK);
        assertThatThrownBy(() -> p.check(file, e -> {
            throw new IllegalStateException("stop at " + e.line());
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop at 1");
    }

    @Test
    void anOutputThatFails_endsTheRunWithItsIOException() throws IOException {
        byte[] doc = "<a:s> <a:p> <a:o> .\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("good.nt"), doc);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        ParallelNTriples p = new ParallelNTriples(2, MAX_LINE, BLOCK);
        assertThatThrownBy(() -> p.canonicalize(file, broken, null)).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThatThrownBy(() -> p.canonicalize(new ByteArrayInputStream(doc), broken, null))
                .isInstanceOf(IOException.class).hasMessage("disk full");
    }

    @Test
    void missingFile_andBadSettings_areClearErrors() {
        ParallelNTriples p = new ParallelNTriples(2, MAX_LINE, BLOCK);
        assertThatThrownBy(() -> p.check(dir.resolve("missing.nt"), null)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new ParallelNTriples(0, MAX_LINE, BLOCK)).hasMessage("threads 0 outside [1, 1024]");
        assertThatThrownBy(() -> new ParallelNTriples(2, MAX_LINE, 100)).hasMessage("blockBytes 100 below 4096");
        assertThatThrownBy(() -> new ParallelNTriples(2, 8, BLOCK)).hasMessageContaining("maxLineLength 8");
    }

    @Test
    void cut_isAfterTheLastLfOrACrWhoseNextByteIsKnown() {
        assertThat(ParallelNTriples.cut("ab\ncd".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo(3);
        assertThat(ParallelNTriples.cut("ab\rcd".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo(3);
        assertThat(ParallelNTriples.cut("ab\ncd\r".getBytes(StandardCharsets.US_ASCII), 6)).isEqualTo(3);
        assertThat(ParallelNTriples.cut("abcd\r".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo(-1);
        assertThat(ParallelNTriples.cut("abcde".getBytes(StandardCharsets.US_ASCII), 5)).isEqualTo(-1);
    }
}
