package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.GOOD;
import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the command line treats its user: {@code --version}, usage errors as one line with exit 2
 * before anything is created, enum values in any case, the run summary and its notes, and
 * {@code report}.
 */
@Timeout(120)
class CliMannersTest {

    @TempDir
    Path dir;

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "check", "verify", "report"})
    void version_printsTheMavenProjectVersion_onEveryCommand(String command) {
        String expected = System.getProperty("hotpool.expectedVersion");
        assertThat(expected).as("surefire passes the project version").isNotBlank().doesNotContain("${");
        TripleGuardTest.Result r = command.isEmpty() ? cli("--version") : cli(command, "--version");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo("triple-guard " + expected);
    }

    /**
     * Each case: the arguments (OUT, DIR, MISSING... replaced by paths under the temp dir) and the
     * problem the line names (TMP: the temp dir).
     */
    static Stream<Arguments> usageErrors() {
        return Stream.of(
            Arguments.of("run MISSING --out OUT", "FILE TMP/missing.nt does not exist"),
            Arguments.of("run DIR --out OUT", "FILE TMP is a directory"),
            Arguments.of("run --hooks MISSING --out OUT", "--hooks TMP/missing.nt does not exist"),
            Arguments.of("run --hooks DIR --out OUT", "--hooks TMP is a directory"),
            Arguments.of("run --hooks NOTJSON --out OUT", "--hooks TMP/not.json: not JSON"),
            Arguments.of("run --hooks BADHOOK --out OUT", "hook #1 'x': field 'predicate' is required"),
            Arguments.of("run GOODFILE --out GOODFILE", "--out TMP/good.nt is not a directory"),
            Arguments.of("run --out OUT --listen 99999", "--listen 99999 outside [0, 65535]"),
            Arguments.of("run --out OUT --tcp -1", "--tcp -1 outside [0, 65535]"),
            Arguments.of("run --out OUT --metrics-port 70000", "--metrics-port 70000 outside [1, 65535]"),
            Arguments.of("run --out OUT --cycle-receipts 0", "--cycle-receipts 0 outside [1, 65536]"),
            Arguments.of("run --out OUT --cycle-receipts 65537", "--cycle-receipts 65537 outside [1, 65536]"),
            Arguments.of("run --out OUT --event-loops 0", "--event-loops 0 outside [1, 1024]"),
            Arguments.of("run --out OUT --bad-lines sometimes", "--bad-lines"),
            Arguments.of("run --out OUT --durability sometimes", "--durability"),
            Arguments.of("run --out OUT --progress sometimes", "--progress"),
            Arguments.of("check DIR", "FILE TMP is a directory"),
            Arguments.of("check MISSING", "FILE TMP/missing.nt does not exist"),
            Arguments.of("check GOODFILE --max-line-length 8", "--max-line-length 8 outside [16, 16777216]"),
            Arguments.of("verify MISSING", "DIR TMP/missing.nt does not exist"),
            Arguments.of("verify GOODFILE", "DIR TMP/good.nt is not a directory"),
            Arguments.of("verify DIR", "holds no receipts.jsonl"),
            Arguments.of("canon GOODFILE --max-line-length 400000000", "--max-line-length 400000000 outside [16, 16777216]"),
            Arguments.of("canon GOODFILE -o DIR", "OUT TMP is a directory"),
            Arguments.of("canon MISSING", "FILE TMP/missing.nt does not exist"),
            Arguments.of("run GOODFILE --out OUT --max-line-length 8", "--max-line-length 8 outside [16, 16777216]"),
            Arguments.of("report MISSING", "DIR TMP/missing.nt does not exist"),
            Arguments.of("report GOODFILE", "DIR TMP/good.nt is not a directory"),
            Arguments.of("report DIR", "holds no receipts.jsonl"),
            Arguments.of("frobnicate", "frobnicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageError_exitsTwoWithOneLineNamingTheProblem_andCreatesNothing(String args, String problem) throws Exception {
        file("good.nt", GOOD);
        file("not.json", "{\"hooks\": [");
        file("bad-hook.json", "[{\"name\":\"x\",\"op\":\"ASK_OP\"}]");
        Path out = dir.resolve("out");
        List<String> argv = new ArrayList<>();
        for (String a : args.split(" ")) {
            argv.add(switch (a) {
                case "OUT" -> out.toString();
                case "DIR" -> dir.toString();
                case "MISSING" -> dir.resolve("missing.nt").toString();
                case "GOODFILE" -> dir.resolve("good.nt").toString();
                case "NOTJSON" -> dir.resolve("not.json").toString();
                case "BADHOOK" -> dir.resolve("bad-hook.json").toString();
                default -> a;
            });
        }
        List<String> before = listing();
        TripleGuardTest.Result r = cli(argv.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(problem.replace("TMP", dir.toString())).contains("--help");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
        assertThat(listing()).isEqualTo(before);
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    @Test
    void unreadableFile_isAUsageError_forRunAndCheck() throws Exception {
        Path f = file("secret.nt", GOOD);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(f), "this user reads files whatever their mode (root)");
        Path out = dir.resolve("out");
        TripleGuardTest.Result run = cli("run", f.toString(), "--out", out.toString());
        TripleGuardTest.Result check = cli("check", f.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("FILE " + f + " is not readable");
        assertThat(check.code()).isEqualTo(2);
        assertThat(check.err()).contains("FILE " + f + " is not readable");
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail", "Fail", "skip", "SKIP"})
    void enumValues_areReadInAnyCase(String policy) throws Exception {
        TripleGuardTest.Result r = cli("run", file("good.nt", GOOD).toString(), "--out", dir.resolve("o").toString(),
            "--progress", "never", "--bad-lines", policy);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("triples=3");
    }

    static final Pattern RUN = Pattern.compile("(?m)^run: triples=(\\d+) batches=\\d+ receipts=(\\d+) failed=0 bad_lines=0 ms=\\d+$");
    static final Pattern CHAIN = Pattern.compile("(?m)^chain: receipts=(\\d+) cycles=(\\d+) head=[0-9a-f]{64} out=(.+) \\((.+)\\)$");

    @Test
    void summary_separatesThisRunFromTheChain_andSaysWhenItExtendedOne() throws Exception {
        Path out = dir.resolve("out");
        TripleGuardTest.Result first = cli("run", file("a.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never");
        TripleGuardTest.Result second = cli("run", file("b.nt", GOOD.replace("ex/", "ex/b/")).toString(), "--out",
            out.toString(), "--progress", "never");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(second.code()).as(second.err()).isZero();
        Matcher run1 = match(RUN, first.out());
        Matcher chain1 = match(CHAIN, first.out());
        Matcher run2 = match(RUN, second.out());
        Matcher chain2 = match(CHAIN, second.out());
        long receipts1 = Long.parseLong(run1.group(2));
        long receipts2 = Long.parseLong(run2.group(2));
        assertThat(receipts1).isPositive();
        assertThat(chain1.group(4)).isEqualTo("new chain");
        assertThat(Long.parseLong(chain1.group(1))).isEqualTo(receipts1);
        assertThat(chain2.group(4)).isEqualTo("extended: held " + receipts1 + " receipts in " + chain1.group(2)
            + " cycles before this run");
        assertThat(Long.parseLong(chain2.group(1))).isEqualTo(receipts1 + receipts2)
            .isEqualTo(Files.readAllLines(out.resolve("receipts.jsonl")).size());
        assertThat(run2.group(1)).isEqualTo("3");
    }

    static final String ONE_HOOK = "{\"hooks\": [{\"name\": \"declares-class\", \"op\": \"ASK_OP\", "
        + "\"predicate\": \"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>\", "
        + "\"object\": \"<http://www.w3.org/2000/01/rdf-schema#Class>\"}]}";

    @Test
    void sameFileUnderOtherHooks_chainsNothingAndExitsTwo_completeOrNot_butALayoutChangeIsTheSameHooks() throws Exception {
        Path hooksA = file("hooks-a.json", ONE_HOOK);
        // the same hook with its keys in another order and other white space
        Path sameAsA = file("hooks-a2.json", "{\"hooks\":[\n  {\"object\":\"<http://www.w3.org/2000/01/rdf-schema#Class>\","
            + "\"op\":\"ASK_OP\",\n   \"predicate\":\"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>\",\"name\":\"declares-class\"}]}");
        Path hooksB = file("hooks-b.json", ONE_HOOK.replace("declares-class", "declares-a-class"));
        Path in = file("in.nt", GOOD);
        Path out = dir.resolve("out");
        TripleGuardTest.Result first = cli("run", in.toString(), "--hooks", hooksA.toString(), "--out", out.toString(),
            "--progress", "never");
        assertThat(first.code()).as(first.err()).isZero();
        byte[] receipts = Files.readAllBytes(out.resolve("receipts.jsonl"));
        byte[] chain = Files.readAllBytes(out.resolve("lockchain.jsonl"));
        assertThat(receipts).isNotEmpty();

        TripleGuardTest.Result other = cli("run", in.toString(), "--hooks", hooksB.toString(), "--out", out.toString(),
            "--progress", "never");
        assertThat(other.code()).as(other.err()).isEqualTo(2);
        assertThat(other.err()).contains("is chained completely in " + out + " under other hooks")
            .contains("nothing chained");
        assertThat(other.out()).contains("(nothing added: held ");
        assertThat(Files.readAllBytes(out.resolve("receipts.jsonl"))).isEqualTo(receipts);
        assertThat(Files.readAllBytes(out.resolve("lockchain.jsonl"))).isEqualTo(chain);

        TripleGuardTest.Result same = cli("run", in.toString(), "--hooks", sameAsA.toString(), "--out", out.toString(),
            "--progress", "never");
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.err()).contains("already chained completely");

        // partly chained: FAIL stops the input at its bad line, so the mark is not complete
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 40; i++) { // five whole rows before the bad line
            rows.append("<http://ex/s").append(i).append("> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                + "<http://www.w3.org/2000/01/rdf-schema#Class> .\n");
        }
        Path half = file("half.nt", rows + "<http://ex/d> <http://ex/p> bad\n" + GOOD.replace("ex/", "ex/z/"));
        Path out2 = dir.resolve("out2");
        TripleGuardTest.Result stopped = cli("run", half.toString(), "--hooks", hooksA.toString(), "--out",
            out2.toString(), "--bad-lines", "FAIL", "--progress", "never");
        assertThat(stopped.code()).as(stopped.err()).isEqualTo(1);
        byte[] receipts2 = Files.readAllBytes(out2.resolve("receipts.jsonl"));
        byte[] chain2 = Files.readAllBytes(out2.resolve("lockchain.jsonl"));
        TripleGuardTest.Result resumeOther = cli("run", half.toString(), "--hooks", hooksB.toString(), "--out",
            out2.toString(), "--bad-lines", "FAIL", "--progress", "never");
        assertThat(resumeOther.code()).as(resumeOther.err()).isEqualTo(2);
        assertThat(resumeOther.err()).contains("is partly chained in " + out2 + " under other hooks")
            .doesNotContain("resuming");
        assertThat(Files.readAllBytes(out2.resolve("receipts.jsonl"))).isEqualTo(receipts2);
        assertThat(Files.readAllBytes(out2.resolve("lockchain.jsonl"))).isEqualTo(chain2);
        TripleGuardTest.Result resumeSame = cli("run", half.toString(), "--hooks", sameAsA.toString(), "--out",
            out2.toString(), "--bad-lines", "FAIL", "--progress", "never");
        assertThat(resumeSame.err()).as(resumeSame.err()).contains("resuming " + half + " at line 41 ");
        assertThat(resumeSame.code()).as("the bad line stops it again").isEqualTo(1);
    }

    @Test
    void summary_notesWhenNoHookMatchedAnyPredicate_explainingReceiptsZero() throws Exception {
        TripleGuardTest.Result own = cli("run", file("own.nt", "<http://ex/a> <http://ex/unknown> <http://ex/b> .\n")
            .toString(), "--out", dir.resolve("own").toString(), "--progress", "never");
        assertThat(own.code()).as(own.err()).isZero();
        assertThat(match(RUN, own.out()).group(2)).isEqualTo("0");
        assertThat(own.out()).contains("note: receipts=0: no predicate of this input is one a hook looks for (")
            .contains("<https://schema.org/supersededBy>").contains("--hooks");
        TripleGuardTest.Result matching = cli("run", file("good.nt", GOOD).toString(), "--out",
            dir.resolve("good").toString(), "--progress", "never");
        assertThat(matching.out()).doesNotContain("note:");
    }

    @Test
    void report_tablesHowOftenEachHookFired_perCycleAndInTotal_asTheReceiptsSay() throws Exception {
        Path out = dir.resolve("bundled");
        TripleGuardTest.Result run = cli("run", "--out", out.toString(), "--progress", "never", "--cycle-receipts", "2000");
        assertThat(run.code()).as(run.err()).isZero();
        // the expected counts, straight from the receipts
        Map<String, Map<Long, Long>> firedByHookAndCycle = new LinkedHashMap<>();
        Map<String, Long> receiptsByHook = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("receipts.jsonl"))) {
            JsonObject r = new JsonObject(line);
            String hook = r.getString("hook");
            receiptsByHook.merge(hook, 1L, Long::sum);
            Map<Long, Long> perCycle = firedByHookAndCycle.computeIfAbsent(hook, h -> new TreeMap<>());
            if (!"0000000000000000".equals(r.getString("result"))) {
                perCycle.merge(r.getLong("chainCycle"), 1L, Long::sum);
            }
        }
        TripleGuardTest.Result report = cli("report", out.toString());
        assertThat(report.code()).as(report.err()).isZero();
        List<String> lines = report.out().lines().toList();
        assertThat(lines.get(0)).startsWith("hooks fired in " + out + ": receipts=" + receiptsByHook.values().stream()
            .mapToLong(Long::longValue).sum() + " cycles=4 sealed head=");
        List<String> header = List.of(lines.get(1).trim().split(" +"));
        assertThat(header.get(0)).isEqualTo("cycle");
        assertThat(header.subList(1, header.size())).containsExactlyInAnyOrderElementsOf(receiptsByHook.keySet());
        assertThat(lines).hasSize(2 + 4 + 2);
        for (int c = 0; c < 4; c++) {
            List<String> row = List.of(lines.get(2 + c).trim().split(" +"));
            assertThat(row.get(0)).isEqualTo(Integer.toString(c));
            for (int h = 1; h < header.size(); h++) {
                assertThat(Long.parseLong(row.get(h))).as(header.get(h) + " in cycle " + c)
                    .isEqualTo(firedByHookAndCycle.get(header.get(h)).getOrDefault((long) c, 0L));
            }
        }
        List<String> fired = List.of(lines.get(6).trim().split(" +"));
        List<String> receipts = List.of(lines.get(7).trim().split(" +"));
        assertThat(fired.get(0)).isEqualTo("fired");
        assertThat(receipts.get(0)).isEqualTo("receipts");
        for (int h = 1; h < header.size(); h++) {
            long total = firedByHookAndCycle.get(header.get(h)).values().stream().mapToLong(Long::longValue).sum();
            assertThat(Long.parseLong(fired.get(h))).as(header.get(h)).isEqualTo(total);
            assertThat(Long.parseLong(receipts.get(h))).as(header.get(h)).isEqualTo(receiptsByHook.get(header.get(h)));
        }
        assertThat(firedByHookAndCycle.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue)
            .sum()).as("the bundled hooks fire").isPositive();
    }

    @Test
    void report_onAChainThatDoesNotVerify_refusesWithExitOne() throws Exception {
        Path out = dir.resolve("tampered");
        assertThat(cli("run", file("good.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never").code())
            .isZero();
        Path receipts = out.resolve("receipts.jsonl");
        Files.writeString(receipts, Files.readString(receipts).replaceFirst("\"lanes\":\\d+", "\"lanes\":7"));
        TripleGuardTest.Result r = cli("report", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("does not verify").contains("receipts.jsonl line 1");
        assertThat(r.out()).isEmpty();
    }

    /**
     * Bytes a crash leaves past the checkpoint (never acknowledged, cut by the next run) are not
     * counted, as verify does not count them: a whole receipt line there, or garbage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a receipt", "garbage"})
    void report_countsWhatTheCheckpointHolds_notBytesACrashLeftPastIt(String tail) throws Exception {
        Path out = dir.resolve("crashed");
        assertThat(cli("run", file("good.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never").code())
            .isZero();
        Path receipts = out.resolve("receipts.jsonl");
        String clean = cli("report", out.toString()).out();
        List<String> lines = Files.readAllLines(receipts);
        String extra = tail.equals("garbage") ? "garbage\n"
            : lines.get(lines.size() - 1).replaceFirst("\"result\":\"[0-9a-f]+\"", "\"result\":\"0000000000000001\"") + "\n";
        Files.writeString(receipts, extra, java.nio.file.StandardOpenOption.APPEND);
        TripleGuardTest.Result v = cli("verify", out.toString());
        assertThat(v.code()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).contains("uncommitted_bytes=" + extra.length());
        TripleGuardTest.Result r = cli("report", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(clean);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--listen", "--tcp", "--metrics-port"})
    void aPortAnotherProcessHolds_isAUsageErrorNamingFlagAndPort_beforeTheOutputDirectoryIsMade(String flag) throws Exception {
        Path out = dir.resolve("out");
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();
            TripleGuardTest.Result r = cli("run", file("good.nt", GOOD).toString(), flag, String.valueOf(port), "--out",
                out.toString(), "--progress", "never");
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains(flag + " " + port + ": cannot listen on 127.0.0.1:" + port + ": ")
                .contains("another process has it");
            assertThat(out).as("nothing created").doesNotExist();
        }
    }

    @Test
    void twoFlagsNamingOnePort_isAUsageError() throws Exception {
        Path out = dir.resolve("out");
        TripleGuardTest.Result r = cli("run", "--listen", "19433", "--metrics-port", "19433", "--out", out.toString(),
            "--progress", "never");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--listen and --metrics-port both name port 19433");
        assertThat(out).doesNotExist();
    }

    @Test
    void report_onARunWithNoReceipts_saysSo() throws Exception {
        Path out = dir.resolve("none");
        assertThat(cli("run", file("own.nt", "<http://ex/a> <http://ex/q> <http://ex/b> .\n").toString(), "--out",
            out.toString(), "--progress", "never").code()).isZero();
        TripleGuardTest.Result r = cli("report", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("receipts=0").contains("no receipts");
    }

    private static Matcher match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(p + " in:\n" + text).isTrue();
        return m;
    }
}
