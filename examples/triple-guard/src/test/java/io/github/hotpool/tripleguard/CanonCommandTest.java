package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code canon}: canonical N-Triples out, bad lines reported exactly as {@code check} reports them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CanonCommandTest {

    @TempDir
    Path dir;

    static final String RDF12 = "# RDF 1.2\n"
        + "<http://ex/\\u0073>\t<http://ex/p>  \"tab\\u0009\"@EN--ltr .\r\n"
        + "_:r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<(<http://ex/s><http://ex/p>\"2\" ^^ <http://ex/int>)>>.\n";
    static final String RDF12_CANON = "<http://ex/s> <http://ex/p> \"tab\\t\"@en--ltr .\n"
        + "_:r <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> <<( <http://ex/s> <http://ex/p> \"2\"^^<http://ex/int> )>> .\n";

    @Test
    void canon_file_writesCanonicalNTriples_andExitsZero() throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), RDF12, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.nt");
        TripleGuardTest.Result r = cli("canon", in.toString(), "--output", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(RDF12_CANON);
        assertThat(listing()).as("no temporary file left").containsExactlyInAnyOrder("in.nt", "out.nt");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Path plain = Files.write(dir.resolve("plain"), new byte[0]); // created as any new file is
            assertThat(Files.getPosixFilePermissions(out)).as("OUT's permissions are a new file's, not a temp file's")
                .isEqualTo(Files.getPosixFilePermissions(plain));
            Files.delete(plain);
        }
    }

    private List<String> listing() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Every run writes a temporary file of its own beside OUT: a file where a fixed
     * {@code OUT.partial} name would be (another run's, still writing) is neither used nor touched.
     */
    @Test
    void canon_intoAnOutOtherRunsWriteToo_usesATemporaryFileOfItsOwn() throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), RDF12, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.nt");
        Path others = Files.writeString(dir.resolve("out.nt.partial"), "another run's bytes\n");
        TripleGuardTest.Result r = cli("canon", in.toString(), "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(RDF12_CANON);
        assertThat(Files.readString(others)).isEqualTo("another run's bytes\n");
        assertThat(listing()).containsExactlyInAnyOrder("in.nt", "out.nt", "out.nt.partial");
    }

    @Test
    void canon_outIsADirectory_isAUsageError_beforeAnythingIsWritten() throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), RDF12, StandardCharsets.UTF_8);
        Path out = Files.createDirectory(dir.resolve("adir"));
        TripleGuardTest.Result r = cli("canon", in.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("OUT " + out + " is a directory");
        assertThat(listing()).containsExactlyInAnyOrder("adir", "in.nt");
    }

    /** {@code -o -} is stdout (a child JVM: canon writes to the process's own stdout). */
    @Test
    void canon_outDash_isStdout() throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), RDF12, StandardCharsets.UTF_8);
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"), TripleGuard.class.getName(),
            "canon", in.toString(), "-o", "-").directory(dir.toFile()).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(new String(stdout, StandardCharsets.UTF_8)).isEqualTo(RDF12_CANON);
        assertThat(listing()).as("no file named '-'").containsExactly("in.nt");
    }

    @Test
    void canon_maxLineLengthOutOfRange_isAUsageErrorNamingTheRange() {
        TripleGuardTest.Result r = cli("canon", "-", "--max-line-length", "400000000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--max-line-length 400000000 outside [16, " + CheckCommand.MAX_LINE_LENGTH + "]");
    }

    /** A device (here /dev/null) is read in order, as stdin is, not refused as missing. */
    @Test
    void checkAndCanon_ofAFileThatIsNotRegular_readItInOrder() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "a /dev/null");
        TripleGuardTest.Result check = cli("check", "/dev/null");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("valid lines=0 triples=0 bad_lines=0");
        TripleGuardTest.Result canon = cli("canon", "/dev/null");
        assertThat(canon.code()).as(canon.err()).isZero();
        assertThat(canon.err()).isEmpty();
    }

    @Test
    void canonAndNode_printTheProjectVersion_asEveryCommandDoes() {
        String version = cli("run", "--version").out().trim();
        assertThat(version).startsWith("triple-guard ");
        assertThat(cli("canon", "--version").out().trim()).isEqualTo(version);
        assertThat(cli("node", "--version").out().trim()).isEqualTo(version);
    }

    @Test
    void canon_badLines_areLeftOut_andReportedAsCheckReportsThem() throws Exception {
        String bad = RDF12 + "<http://ex/s> <http://ex/p> \"x\"@en--LTR .\n" + "<http://ex/s> <http://ex/p> <rel> .\n"
            + "<http://ex/a> <http://ex/b> <http://ex/c> .";
        Path in = Files.writeString(dir.resolve("bad.nt"), bad, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.nt");
        TripleGuardTest.Result canon = cli("canon", in.toString(), "-o", out.toString());
        TripleGuardTest.Result check = cli("check", in.toString());
        assertThat(canon.code()).isEqualTo(1);
        assertThat(check.code()).isEqualTo(1);
        List<String> reported = canon.err().lines().toList();
        assertThat(reported).hasSize(3);
        assertThat(reported.subList(0, 2)).isEqualTo(check.err().lines().toList());
        assertThat(reported.get(0)).isEqualTo("4:35: base direction must be --ltr or --rtl (lower case)");
        assertThat(reported.get(1)).startsWith("5:29: relative IRI");
        assertThat(reported.get(2)).isEqualTo("invalid lines=6 triples=3 bad_lines=2");
        assertThat(Files.readString(out, StandardCharsets.UTF_8))
            .isEqualTo(RDF12_CANON + "<http://ex/a> <http://ex/b> <http://ex/c> .\n");
    }

    @Test
    void canon_stdin_inAChildJvm_givesTheFilesOutput() throws Exception {
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"), TripleGuard.class.getName(),
            "canon").start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(RDF12.getBytes(StandardCharsets.UTF_8));
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("canon - ends when stdin does").isTrue();
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(new String(stdout, StandardCharsets.UTF_8)).isEqualTo(RDF12_CANON);
    }

    @Test
    void canon_missingFile_isAUsageError_andWritesNoOutput() {
        Path out = dir.resolve("never.nt");
        TripleGuardTest.Result r = cli("canon", dir.resolve("missing.nt").toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("missing.nt does not exist");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("never.nt.partial")).doesNotExist();
    }

    @Test
    void canon_theBundledFile_isCanonicalAlready_exceptItsFiveRawTabs() throws Exception {
        String data = RunCommand.bundled(RunCommand.BUNDLED_DATA);
        Path in = Files.writeString(dir.resolve("schemaorg.nt"), data, StandardCharsets.UTF_8);
        Path out = dir.resolve("canon.nt");
        TripleGuardTest.Result r = cli("canon", in.toString(), "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> canon = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(canon).hasSize(18_061);
        assertThat(canon).filteredOn(l -> l.contains("\\t")).hasSize(5);
        // the canonical form of canonical text is itself
        Path again = dir.resolve("again.nt");
        assertThat(cli("canon", out.toString(), "-o", again.toString()).code()).isZero();
        assertThat(Files.mismatch(out, again)).isEqualTo(-1L);
    }

    @Test
    void checkOfAFile_onEveryCore_reportsAsCheckOfStdin() throws Exception {
        String doc = RDF12 + "<http://ex/s> <http://ex/p> \"" + "x".repeat(200) + "\" .\r\n"
            + "<http://ex/s> <http://ex/p> \"x\"@cantbethislong .\r" + RDF12;
        Path in = Files.writeString(dir.resolve("mixed.nt"), doc, StandardCharsets.UTF_8);
        TripleGuardTest.Result file = cli("check", in.toString(), "--max-line-length", "100");
        java.io.StringWriter stdinErr = new java.io.StringWriter();
        CheckCommand.LineChecker stdin = new CheckCommand.LineChecker(100, new java.io.PrintWriter(stdinErr, true));
        stdin.check(new java.io.ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
        assertThat(file.code()).isEqualTo(1);
        assertThat(file.err()).isEqualTo(stdinErr.toString());
        assertThat(file.err().lines()).containsExactly("3:101: line longer than the maximum of 100 bytes",
            "4:101: line longer than the maximum of 100 bytes",
            "5:32: language subtag longer than the maximum of 8 characters",
            "8:101: line longer than the maximum of 100 bytes");
        assertThat(file.out()).contains("lines=8 triples=" + stdin.triples + " bad_lines=" + stdin.bad);
        assertThat(stdin.lines).isEqualTo(8);
    }

    @Test
    void canon_toAnOutputInAMissingDirectory_isAUsageErrorNamingIt_andWritesNothing() throws Exception {
        Path in = Files.writeString(dir.resolve("in.nt"), RDF12, StandardCharsets.UTF_8);
        Path out = dir.resolve("no-such-dir").resolve("out.nt");
        TripleGuardTest.Result r = cli("canon", in.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("OUT's directory " + dir.resolve("no-such-dir") + " does not exist");
        assertThat(dir.resolve("no-such-dir")).doesNotExist();
    }
}
