package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's memory is bounded by one cycle, not by the chain: it verifies a chain whose
 * receipts file is several times its heap, in a child JVM started with a small {@code -Xmx}.
 * The chain is written directly through {@link ReceiptStore} (no pipeline), so generating it is
 * quick. {@link #tenMillionReceipts_verifyWithin256MiB} is the soak the issue asks for; it runs
 * only with {@code -Dhotpool.soak=true} (the pipeline module's {@code -Psoak} profile sets it).
 */
class StoreVerifierMemoryTest {

    /** Receipts per cycle: the pipeline's default {@code cycleReceipts}. */
    static final int K = 1024;
    /**
     * Small enough that keeping even one 32-byte leaf array per receipt (about 52 bytes with its
     * header and reference: 15.6 MB for 300,000) would not fit beside the JVM's own needs; the
     * streaming verifier passed this test's chain with {@code -Xmx6m} when this was written.
     */
    static final String SMALL_HEAP = "-Xmx16m";
    static final long SMALL_HEAP_BYTES = 16L << 20;

    @TempDir
    Path dir;

    /** What one child JVM did. */
    record Child(int exit, String out, String err) {
        String describe() {
            return "exit " + exit + ", stdout: " + out.strip() + ", stderr: " + err.strip();
        }
    }

    /**
     * Runs {@code VerifyMain args} in a child JVM with the test's class path and {@code heap};
     * kills it by its PID (and any children) when it outlives {@code timeoutSeconds} or this
     * thread is interrupted (the {@link Timeout}), and fails naming the limit.
     */
    Child child(String heap, long timeoutSeconds, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        List<String> cmd = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            heap, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), VerifyMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM (pid " + p.pid() + ", " + heap + ") still running after "
                    + timeoutSeconds + " s limit: killed; stdout: " + Files.readString(out));
            }
            return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes {@code n} receipts, {@value #K} per cycle, the last cycle sealed, through the store. */
    void write(Path chainDir, long n) throws IOException {
        try (ChainWriter w = ChainWriter.bulk(chainDir, K)) {
            w.receipts(n).seal().flush();
        }
    }

    /**
     * 300,000 receipts in 16 MiB of heap; the receipts file is about 68 MB (227 bytes a line here,
     * fired receipts with two subjects) and the lockchain file about 19 MB. The verifier before the
     * receipt store read both whole: it held a 64-byte record array per receipt (about 84 bytes
     * with header and list slot: 25 MB for this chain, more than the heap on its own), 32 bytes of
     * sealed leaf per receipt (9.6 MB) and every line of the lockchain file as a String while
     * parsing the seals (19 MB): about 54 MB. The control shows that this heap cannot even hold the
     * receipts file's lines ({@code Files.readAllLines}).
     */
    @Test
    @Timeout(300)
    void threeHundredThousandReceipts_verifyWithin16MiB_whichCannotHoldTheFileWhole() throws Exception {
        long n = 300_000;
        write(dir, n);
        long receiptsBytes = Files.size(dir.resolve(ReceiptStore.RECEIPTS));

        Child verify = child(SMALL_HEAP, 240, dir.toString());
        Child control = child(SMALL_HEAP, 240, "--whole-file", dir.toString());

        assertThat(receiptsBytes).as("receipts file against the heap").isGreaterThan(4 * SMALL_HEAP_BYTES);
        assertThat(verify.exit()).as(verify.describe()).isZero();
        assertThat(verify.out()).as(verify.describe())
            .startsWith("ok receipts=" + n + " cycles=" + (n + K - 1) / K + " unsealed=0 max_heap=");
        assertThat(maxHeap(verify)).as("the child's heap limit").isLessThanOrEqualTo(SMALL_HEAP_BYTES);
        assertThat(control.exit()).as(control.describe()).isNotZero();
        assertThat(control.err()).as(control.describe()).contains("OutOfMemoryError");
    }

    /** The bound: 10,000,000 receipts verify in 256 MiB of heap. */
    @Test
    @EnabledIfSystemProperty(named = "hotpool.soak", matches = "true")
    @Timeout(3600)
    void tenMillionReceipts_verifyWithin256MiB() throws Exception {
        long n = 10_000_000;
        long start = System.nanoTime();
        write(dir, n);
        long written = System.nanoTime();

        Child verify = child("-Xmx256m", 3000, dir.toString());
        long verified = System.nanoTime();

        assertThat(verify.exit()).as(verify.describe()).isZero();
        assertThat(verify.out()).as(verify.describe())
            .startsWith("ok receipts=" + n + " cycles=" + (n + K - 1) / K + " unsealed=0 max_heap=");
        assertThat(maxHeap(verify)).isLessThanOrEqualTo(256L << 20);
        System.out.println("soak: " + verify.out().strip() + " receipts_bytes="
            + Files.size(dir.resolve(ReceiptStore.RECEIPTS)) + " lockchain_bytes="
            + Files.size(dir.resolve(ReceiptStore.LOCKCHAIN)) + " write_ms=" + (written - start) / 1_000_000
            + " verify_ms=" + (verified - written) / 1_000_000);
    }

    static long maxHeap(Child c) {
        String s = c.out().substring(c.out().indexOf("max_heap=") + "max_heap=".length()).strip();
        return Long.parseLong(s.split("\\s+")[0]);
    }
}
