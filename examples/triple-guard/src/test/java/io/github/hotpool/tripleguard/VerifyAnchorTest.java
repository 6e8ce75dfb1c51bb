package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static io.github.hotpool.tripleguard.TripleGuardTest.head;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify --head}: the head a run printed anchors the chain against truncation. */
class VerifyAnchorTest {

    @TempDir
    Path dir;
    Path out;
    String runHead;

    /** One receipt per cycle, so dropping the last cycle leaves a chain that is consistent on its own. */
    @BeforeEach
    void run() throws Exception {
        out = dir.resolve("out");
        Path in = Files.writeString(dir.resolve("good.nt"), TripleGuardTest.GOOD + TripleGuardTest.GOOD);
        TripleGuardTest.Result r = cli("run", in.toString(), "--out", out.toString(), "--cycle-receipts", "1",
            "--progress", "never");
        assertThat(r.code()).as(r.err()).isZero();
        runHead = head(r.out());
    }

    /** Removes the last sealed cycle and its receipts, as someone hiding them would. */
    void dropLastCycle() throws Exception {
        Path chain = out.resolve("lockchain.jsonl");
        List<String> seals = Files.readAllLines(chain);
        assertThat(seals).hasSizeGreaterThan(2); // the format header, then seals
        long last = new JsonObject(seals.get(seals.size() - 1)).getLong("cycle");
        Files.write(chain, seals.subList(0, seals.size() - 1));
        Path receipts = out.resolve("receipts.jsonl");
        Files.write(receipts, Files.readAllLines(receipts).stream()
            .filter(l -> new JsonObject(l).getLong("chainCycle") != last).toList());
    }

    @Test
    void intactChainWithItsHead_isVerifiedAnchored() {
        TripleGuardTest.Result v = cli("verify", out.toString(), "--head", runHead);
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("intact anchored at cycle ").doesNotContain("unanchored");
        assertThat(head(v.out())).isEqualTo(runHead);
    }

    @Test
    void intactChainWithoutHead_passesUnanchoredAndSaysSo_andStrictExitsThree() {
        TripleGuardTest.Result v = cli("verify", out.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("intact unanchored").contains("not anchored").contains("--head");
        assertThat(head(v.out())).isEqualTo(runHead);
        assertThat(cli("verify", out.toString(), "--strict").code()).isEqualTo(3);
        assertThat(cli("verify", out.toString(), "--strict", "--head", runHead).code()).isZero();
    }

    @Test
    void truncatedChain_isCaughtByTheCheckpoint_evenWithoutAHead() throws Exception {
        dropLastCycle();
        TripleGuardTest.Result v = cli("verify", out.toString());
        assertThat(v.code()).isEqualTo(1);
        assertThat(v.out()).isEmpty();
        assertThat(v.err()).contains("acknowledged receipts or seals removed");
    }

    @Test
    void truncatedChainWithoutItsCheckpoint_failsWithTheRunsHead_namingTheProblem() throws Exception {
        dropLastCycle();
        Files.delete(out.resolve("checkpoint"));
        TripleGuardTest.Result unanchored = cli("verify", out.toString());
        TripleGuardTest.Result v = cli("verify", out.toString(), "--head", runHead);
        assertThat(unanchored.code()).isEqualTo(1);
        assertThat(unanchored.err()).contains("checkpoint is missing");
        assertThat(v.code()).isEqualTo(1);
        assertThat(v.out()).isEmpty();
    }

    @Test
    void headOfAnEarlierCycle_isFoundAndNamed_withTheCyclesPastIt() throws Exception {
        Path in = Files.writeString(dir.resolve("more.nt"), TripleGuardTest.GOOD.replace("ex/", "ex/more/"));
        TripleGuardTest.Result more = cli("run", in.toString(), "--out", out.toString(), "--cycle-receipts", "1",
            "--progress", "never");
        assertThat(more.code()).as(more.err()).isZero();
        TripleGuardTest.Result v = cli("verify", out.toString(), "--head", runHead);
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).containsPattern("intact anchored at cycle \\d+ \\(\\d+ later cycles not covered by that head\\)");
        assertThat(cli("verify", out.toString(), "--head", runHead, "--strict").code()).isEqualTo(3);
    }

    /** A write a crash tore lies past the checkpoint: intact, counted and noted; --strict exits 3. */
    @Test
    void tornWritePastTheCheckpoint_isIntactWithANote_andStrictExitsThree() throws Exception {
        Files.writeString(out.resolve("receipts.jsonl"), "{\"chainCycle\":", java.nio.file.StandardOpenOption.APPEND);
        TripleGuardTest.Result v = cli("verify", out.toString(), "--head", runHead);
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("intact anchored at cycle ").contains(" uncommitted_bytes=14 ")
            .contains("note: 14 bytes past the checkpoint were never acknowledged");
        assertThat(cli("verify", out.toString(), "--head", runHead, "--strict").code()).isEqualTo(3);
    }

    @Test
    void malformedHead_isAUsageError() {
        assertThat(cli("verify", out.toString(), "--head", "abc").code()).isEqualTo(2);
        TripleGuardTest.Result notHex = cli("verify", out.toString(), "--head", "z".repeat(64));
        assertThat(notHex.code()).isEqualTo(2);
        assertThat(notHex.err()).contains("--head").contains("not hex");
    }
}
