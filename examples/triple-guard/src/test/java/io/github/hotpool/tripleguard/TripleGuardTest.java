package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TripleGuardTest {

    static final String GOOD = "<http://ex/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        + "<http://www.w3.org/2000/01/rdf-schema#Class> .\n"
        + "# a comment\n"
        + "<http://ex/b> <http://ex/p> \"text\"@en .\n"
        + "<http://ex/c> <http://ex/p> _:x .\n";
    static final Pattern HEAD = Pattern.compile("head=([0-9a-f]{64})");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TripleGuard.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void check_validFile_exitsZero() throws Exception {
        Result r = cli("check", file("good.nt", GOOD).toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("triples=3");
    }

    @Test
    void check_badLines_exitOneWithLineColReasonForEach() throws Exception {
        String bad = "<http://ex/a> <http://ex/p> <http://ex/o> .\n"
            + "<http://ex/a> <http://ex/p> \"open .\n"
            + "\n"
            + "<http://ex/a> <http://ex/p> <http://ex/o>\n"
            + "<http://ex/a> <http://ex/p> <http://ex/o> .\n";
        Result r = cli("check", file("bad.nt", bad).toString());
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("2:\\d+: .+");
        assertThat(lines.get(1)).matches("4:\\d+: .+");
        // column 1-based in bytes: the '.' is missing where the line ends
        assertThat(lines.get(1)).startsWith("4:" + ("<http://ex/a> <http://ex/p> <http://ex/o>".length() + 1) + ":");
    }

    @Test
    void usageErrors_exitTwo() throws Exception {
        assertThat(cli().code()).isEqualTo(2);
        assertThat(cli().err()).as("names every command")
            .contains("a command is required: check, canon, run, verify, report or node");
        assertThat(cli("check").code()).isEqualTo(2);
        assertThat(cli("check", dir.resolve("missing.nt").toString()).code()).isEqualTo(2);
        assertThat(cli("frobnicate").code()).isEqualTo(2);
        assertThat(cli("run", "--no-such-option").code()).isEqualTo(2);
        assertThat(cli("verify", dir.resolve("nothing-here").toString()).code()).isEqualTo(2);
    }

    @Test
    void run_file_writesReceiptsAndLockchainAndSummary_thenVerifyAgrees() throws Exception {
        Path out = dir.resolve("out");
        Result r = cli("run", file("good.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("triples=3");
        assertThat(Files.readAllLines(out.resolve("receipts.jsonl"))).isNotEmpty(); // declares-class fires on line 1
        assertThat(Files.exists(out.resolve("lockchain.jsonl"))).isTrue();
        Result v = cli("verify", out.toString());
        assertThat(v.code()).isZero();
        assertThat(head(v.out())).isEqualTo(head(r.out()));
    }

    @Test
    void run_noArguments_usesBundledSchemaOrgDataAndHooksThatFire() throws Exception {
        Path out = dir.resolve("bundled");
        Result r = cli("run", "--out", out.toString(), "--progress", "never");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("triples=18061");
        List<String> receipts = Files.readAllLines(out.resolve("receipts.jsonl"));
        assertThat(receipts).anyMatch(l -> l.contains("\"result\":\"0000000000000001\""));
    }

    @Test
    void run_oneEventLoop_givesTheSameChainAsTheDefault() throws Exception {
        Result threaded = cli("run", "--out", dir.resolve("loops-default").toString(), "--progress", "never");
        Result single = cli("run", "--out", dir.resolve("loops-1").toString(), "--progress", "never", "--event-loops", "1");
        assertThat(single.code()).as(single.err()).isZero();
        assertThat(single.out()).contains("triples=18061");
        assertThat(head(single.out())).isEqualTo(head(threaded.out())).doesNotMatch("0+");
    }

    @Test
    void run_eventLoopsOutOfRange_isAUsageError() throws Exception {
        Result r = cli("run", "--out", dir.resolve("never").toString(), "--event-loops", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--event-loops 0 outside [1, 1024]");
        assertThat(Files.exists(dir.resolve("never").resolve("receipts.jsonl"))).isFalse();
    }

    @Test
    void run_sameFileAgainInSameDir_isAlreadyChained_andChainsNothingTwice() throws Exception {
        Path out = dir.resolve("twice");
        Path in = file("good.nt", GOOD);
        Result first = cli("run", in.toString(), "--out", out.toString(), "--progress", "never");
        long receipts = Files.readAllLines(out.resolve("receipts.jsonl")).size();
        Result second = cli("run", in.toString(), "--out", out.toString(), "--progress", "never");
        assertThat(second.code()).isZero();
        assertThat(second.err()).contains("is already chained completely in " + out).contains("nothing to do");
        assertThat(second.out()).contains("triples=0 ");
        assertThat(head(second.out())).isEqualTo(head(first.out()));
        assertThat(Files.readAllLines(out.resolve("receipts.jsonl"))).hasSize((int) receipts);
    }

    @Test
    void run_anotherFileInSameDir_extendsTheChainSayingSo_andItStillVerifies() throws Exception {
        Path out = dir.resolve("two-inputs");
        Result first = cli("run", file("a.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never");
        Result second = cli("run", file("b.nt", GOOD.replace("ex/", "ex/b/")).toString(), "--out", out.toString(),
            "--progress", "never");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.err()).contains("extending the chain in " + out);
        assertThat(head(second.out())).isNotEqualTo(head(first.out()));
        Result v = cli("verify", out.toString());
        assertThat(v.code()).isZero();
        assertThat(head(v.out())).isEqualTo(head(second.out()));
    }

    @Test
    void run_fresh_refusesADirectoryHoldingAChain_beforeTouchingIt() throws Exception {
        Path out = dir.resolve("fresh");
        Path in = file("good.nt", GOOD);
        assertThat(cli("run", in.toString(), "--out", out.toString(), "--fresh", "--progress", "never").code()).isZero();
        byte[] chain = Files.readAllBytes(out.resolve("lockchain.jsonl"));
        Result again = cli("run", in.toString(), "--out", out.toString(), "--fresh", "--progress", "never");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("--fresh: " + out + " already holds a chain");
        assertThat(Files.readAllBytes(out.resolve("lockchain.jsonl"))).isEqualTo(chain);
    }

    @Test
    void verify_tamperedReceipt_exitOneNamingCycleAndReceipt() throws Exception {
        Path out = dir.resolve("tamper");
        cli("run", file("good.nt", GOOD).toString(), "--out", out.toString(), "--progress", "never");
        Path receipts = out.resolve("receipts.jsonl");
        List<String> lines = Files.readAllLines(receipts);
        String first = lines.get(0);
        lines.set(0, first.replaceFirst("\"lanes\":(\\d+)", "\"lanes\":99"));
        assertThat(lines.get(0)).isNotEqualTo(first);
        Files.write(receipts, lines);
        Result v = cli("verify", out.toString());
        assertThat(v.code()).isEqualTo(1);
        assertThat(v.err()).contains("receipts.jsonl line 1 (cycle 0, receipt 0): does not match the sealed leaf hash");
    }

    @Test
    void verify_removedReceipt_exitOne() throws Exception {
        Path out = dir.resolve("removed");
        cli("run", file("good.nt", GOOD + GOOD).toString(), "--out", out.toString(), "--progress", "never");
        Path receipts = out.resolve("receipts.jsonl");
        List<String> lines = Files.readAllLines(receipts);
        assertThat(lines).hasSizeGreaterThan(1);
        Files.write(receipts, lines.subList(1, lines.size()));
        assertThat(cli("verify", out.toString()).code()).isEqualTo(1);
    }

    static String head(String out) {
        Matcher m = HEAD.matcher(out);
        assertThat(m.find()).as("head in: " + out).isTrue();
        return m.group(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"run", "check", "canon", "verify", "report"})
    void everySubcommand_answersHelp_withItsUsage_andExitsZero(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            Result r = cli(command, flag);
            assertThat(r.code()).as(command + " " + flag + ": " + r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: triple-guard " + command);
        }
    }
}
