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
        assertThat(seals).hasSizeGreaterThan(1);
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
        assertThat(v.out()).startsWith("intact anchored").doesNotContain("unanchored");
        assertThat(head(v.out())).isEqualTo(runHead);
    }

    @Test
    void truncatedChain_passesUnanchoredAndSaysSo() throws Exception {
        dropLastCycle();
        TripleGuardTest.Result v = cli("verify", out.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).startsWith("intact unanchored").contains("not anchored").contains("--head");
        assertThat(head(v.out())).isNotEqualTo(runHead);
    }

    @Test
    void truncatedChain_failsWithTheRunsHead_namingTheProblem() throws Exception {
        dropLastCycle();
        TripleGuardTest.Result v = cli("verify", out.toString(), "--head", runHead);
        assertThat(v.code()).isEqualTo(1);
        assertThat(v.out()).isEmpty();
        assertThat(v.err()).contains("differs from the published head " + runHead).contains("cycles missing or replaced");
    }

    @Test
    void malformedHead_isAUsageError() {
        assertThat(cli("verify", out.toString(), "--head", "abc").code()).isEqualTo(2);
        TripleGuardTest.Result notHex = cli("verify", out.toString(), "--head", "z".repeat(64));
        assertThat(notHex.code()).isEqualTo(2);
        assertThat(notHex.err()).contains("--head").contains("not hex");
    }
}
