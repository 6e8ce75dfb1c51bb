package io.github.hotpool.tripleguard;

import static io.github.hotpool.tripleguard.TripleGuardTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.ReceiptStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} when its output directory cannot be used: exit 4 and one line naming the cause. */
@Timeout(60)
class RunOutputTest {

    @TempDir
    Path dir;

    @Test
    void run_intoADirectoryAnotherRunHolds_exitsFourNamingTheHolder_andLeavesItAlone() throws Exception {
        Path out = dir.resolve("out");
        try (ReceiptStore holder = ReceiptStore.open(out, 64, Durability.NONE)) {
            byte[] before = Files.readAllBytes(out.resolve(ReceiptStore.LOCKCHAIN));
            TripleGuardTest.Result r = cli("run", "--out", out.toString(), "--progress", "never");
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains(out + " is in use by another run (pid " + ProcessHandle.current().pid());
            assertThat(Files.readAllBytes(out.resolve(ReceiptStore.LOCKCHAIN))).isEqualTo(before);
            assertThat(holder.receipts()).isZero();
        }
    }

    @Test
    void run_ontoAFullDisk_exitsFourNamingTheCause_andTheAcknowledgedPartVerifies() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        String why = new String(m.getInputStream().readAllBytes()).trim();
        assumeTrue(m.waitFor(20, TimeUnit.SECONDS) && m.exitValue() == 0, "cannot mount a small tmpfs here: " + why);
        try {
            Path out = mount.resolve("out");
            TripleGuardTest.Result r = cli("run", "--out", out.toString(), "--progress", "never");
            assertThat(r.code()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("No space left on device").contains(out.toString());
            assertThat(r.err().lines().filter(l -> l.contains("No space left on device")))
                .as("the cause said once, not once per part that failed of it").hasSize(1);
            TripleGuardTest.Result v = cli("verify", out.toString());
            assertThat(v.code()).as(v.err()).isZero();
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void run_onAMissingFileOrADirectory_isAUsageError_andCreatesNoOutput() throws Exception {
        Path out = dir.resolve("never");
        TripleGuardTest.Result missing = cli("run", dir.resolve("missing.nt").toString(), "--out", out.toString());
        TripleGuardTest.Result directory = cli("run", dir.toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.nt does not exist");
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err()).contains(dir + " is a directory");
        assertThat(out).doesNotExist();
    }

    /** A pipe or a device cannot be read by offset or resumed: refused up front, pointing at stdin. */
    @Test
    void run_onAFileThatIsNotRegular_isAUsageError_andCreatesNoOutput() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "a /dev/null");
        Path out = dir.resolve("never");
        TripleGuardTest.Result r = cli("run", "/dev/null", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("FILE /dev/null is not a regular file").contains("run - < /dev/null");
        assertThat(out).doesNotExist();
    }

    /**
     * An output directory the file system refuses (here: below a regular file) is exit 4, the
     * code for an output that cannot be used, with the path and the reason, not exit 1 with the
     * path alone.
     */
    @Test
    void run_withAnOutputDirectoryThatCannotBeCreated_exitsFourNamingTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Path in = Files.writeString(dir.resolve("in.nt"), "<http://ex/s> <http://ex/p> <http://ex/o> .\n");
        TripleGuardTest.Result r = cli("run", in.toString(), "--out", file.resolve("sub").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("cannot use the output directory").contains("afile").containsIgnoringCase("not a directory");
    }

    /**
     * A line over the default 8192 bytes is a bad line that names the limit; --max-line-length
     * raises it (check and canon accept such lines by default), and a value out of range is a
     * usage error before --out exists.
     */
    @Test
    void run_maxLineLength_raisesTheLimit_andIsRangeChecked() throws Exception {
        String line = "<http://ex/s> <http://ex/p> <http://ex/" + "a".repeat(20_000) + "> .\n";
        Path in = Files.writeString(dir.resolve("long.nt"), line);
        TripleGuardTest.Result byDefault = cli("run", in.toString(), "--out", dir.resolve("o1").toString(), "--progress", "never");
        assertThat(byDefault.code()).isEqualTo(1);
        assertThat(byDefault.err()).contains(":1:8193: line longer than the maximum of 8192 bytes");
        TripleGuardTest.Result raised = cli("run", in.toString(), "--out", dir.resolve("o2").toString(), "--progress", "never",
            "--max-line-length", "65536");
        assertThat(raised.code()).as(raised.err()).isZero();
        assertThat(raised.out()).contains("triples=1 ").contains("bad_lines=0");
        TripleGuardTest.Result outOfRange = cli("run", in.toString(), "--out", dir.resolve("o3").toString(),
            "--max-line-length", "99999999");
        assertThat(outOfRange.code()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("--max-line-length 99999999 outside [16, 16777216]");
        assertThat(dir.resolve("o3")).doesNotExist();
    }
}
