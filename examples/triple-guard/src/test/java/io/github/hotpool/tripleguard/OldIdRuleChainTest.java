package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static io.github.hotpool.tripleguard.TripleGuardTest.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain written under the RDF 1.1 term-id rule (test resource {@code rdf11-id-rule-run}, made by
 * the previous version; its README says how) verifies unchanged, anchored at the head that run
 * printed; a run of today over the same input differs only where the id rule changed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OldIdRuleChainTest {

    private static final String DIR = "/io/github/hotpool/tripleguard/rdf11-id-rule-run/";
    private static final String OLD_HEAD = "1e899318e30aab658bc8c2a3cbdb3bf06a04edc0d74a6c897e44f4fff98ea85f";

    @TempDir
    Path dir;

    private Path copy(String name, Path to) throws IOException {
        try (InputStream in = OldIdRuleChainTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + DIR + name);
            }
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
            return to;
        }
    }

    @Test
    void oldChain_verifiesAnchoredAtItsHead_andANewRunDiffersOnlyInTheTabLiteralsReceipt() throws Exception {
        Path old = dir.resolve("old");
        for (String f : new String[] {"checkpoint", "lockchain.jsonl", "names-unverified.jsonl", "receipts.jsonl"}) {
            copy("out/" + f, old.resolve(f));
        }
        TripleGuardTest.Result v = cli("verify", old.toString(), "--head", OLD_HEAD, "--strict");
        assertThat(v.code()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).startsWith("intact anchored").contains("format=2");

        Path in = copy("in.nt", dir.resolve("in.nt"));
        Path hooks = copy("hooks.json", dir.resolve("hooks.json"));
        Path now = dir.resolve("now");
        TripleGuardTest.Result r = cli("run", in.toString(), "--hooks", hooks.toString(), "--out", now.toString(),
            "--progress", "never", "--durability", "fsync");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(head(r.out())).isNotEqualTo(OLD_HEAD);
        List<String> before = Files.readAllLines(old.resolve("receipts.jsonl"));
        List<String> after = Files.readAllLines(now.resolve("receipts.jsonl"));
        assertThat(after).hasSameSizeAs(before).hasSize(2);
        // the TAB literal's id changed, so its run's hash did; the hook still fires on it
        assertThat(after.get(0)).contains("\"hook\":\"tab-comment\"").contains("\"result\":\"0000000000000001\"")
            .isNotEqualTo(before.get(0));
        assertThat(after.get(0).replaceAll("\"aHash\":\"[0-9a-f]{16}\"", ""))
            .isEqualTo(before.get(0).replaceAll("\"aHash\":\"[0-9a-f]{16}\"", ""));
        assertThat(after.get(1)).isEqualTo(before.get(1));
    }
}
