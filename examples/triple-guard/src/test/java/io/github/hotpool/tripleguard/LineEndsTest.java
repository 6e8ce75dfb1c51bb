package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** LF, CR LF and lone CR end lines alike, and {@code check} and {@code run} number them alike. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LineEndsTest {

    static final String TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    static final String CLASS = "<http://www.w3.org/2000/01/rdf-schema#Class>";
    static final String DOC = triple(1) + "\r\n"
        + "# comment\r"
        + triple(2) + "\r"
        + "<http://ex/b> " + TYPE + " \"open .\n"   // line 4: unterminated literal
        + "\r"
        + triple(3) + " " + triple(4) + "\r\n"     // line 6: two statements on one line
        + triple(5) + "\r\r\n"
        + "<http://ex/c> <http://ex/p> <no scheme> .\r" // line 9: bad IRI
        + triple(6);

    @TempDir
    Path dir;

    static String triple(int i) {
        return "<http://ex/s" + i + "> " + TYPE + " " + CLASS + " .";
    }

    @Test
    void checkAndRun_reportTheSameLinesAndColumns_forMixedLineEnds() throws Exception {
        Path in = Files.writeString(dir.resolve("mixed.nt"), DOC, StandardCharsets.UTF_8);

        TripleGuardTest.Result check = TripleGuardTest.cli("check", in.toString());
        TripleGuardTest.Result run = TripleGuardTest.cli("run", in.toString(), "--out", dir.resolve("out").toString(),
            "--progress", "never");

        List<String> checked = check.err().lines().toList();
        List<String> ran = run.err().lines().filter(l -> l.startsWith(in + ":"))
            .map(l -> l.substring(in.toString().length() + 1)).toList();
        assertThat(checked).hasSize(3);
        assertThat(checked.get(0)).startsWith("4:");
        assertThat(checked.get(1)).startsWith("6:").contains("unexpected text after '.'");
        assertThat(checked.get(2)).startsWith("9:");
        assertThat(ran).isEqualTo(checked);
        assertThat(check.out()).contains("lines=10 triples=4 bad_lines=3");
        assertThat(run.out()).contains("triples=4 ").contains("bad_lines=3");
    }

    @Test
    void check_nineStatementsSeparatedByLoneCr_nineLinesNineTriples_andRunAgrees() throws Exception {
        StringBuilder nine = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            nine.append(triple(i)).append('\r');
        }
        Path in = Files.writeString(dir.resolve("cr.nt"), nine + "# comment\r" + triple(9) + "\n", StandardCharsets.UTF_8);

        TripleGuardTest.Result check = TripleGuardTest.cli("check", in.toString());
        TripleGuardTest.Result run = TripleGuardTest.cli("run", in.toString(), "--out", dir.resolve("out").toString(),
            "--progress", "never");

        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("valid lines=11 triples=10 bad_lines=0");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("triples=10 batches=2").contains("failed=0 bad_lines=0");
    }

    /** A read that ends on the CR of a CR LF pair: the LF that starts the next read ends no second line. */
    @Test
    void check_crLfPairCutBetweenReads_isOneLineEnd() throws Exception {
        byte[] data = (triple(1) + "\r\n" + triple(2) + "\r\n<http://ex/a> <http://ex/p> <bad> .\r\n")
            .getBytes(StandardCharsets.UTF_8);
        InputStream oneByteAtATime = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        StringWriter err = new StringWriter();
        CheckCommand.LineChecker checker = new CheckCommand.LineChecker(1024, new PrintWriter(err, true));

        checker.check(oneByteAtATime);

        assertThat(checker.lines).isEqualTo(3);
        assertThat(checker.triples).isEqualTo(2);
        assertThat(err.toString()).startsWith("3:");
    }
}
