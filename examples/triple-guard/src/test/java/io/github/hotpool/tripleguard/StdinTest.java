package io.github.hotpool.tripleguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.pipeline.store.StoreVerifier;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run -} in a child JVM, stdin written in uneven pieces: the same rows, receipts and head as {@code run FILE}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StdinTest {

    @TempDir
    Path dir;

    private static final Pattern HEAD = Pattern.compile("head=([0-9a-f]{64})");

    @Test
    void stdinOnTheRingEngine_givesTheHeadOfTheSameFile() throws Exception {
        byte[] data = RunCommand.bundled(RunCommand.BUNDLED_DATA).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("schemaorg.nt"), data);
        TripleGuardTest.Result ref = TripleGuardTest.cli("run", file.toString(), "--out", dir.resolve("ref").toString(),
            "--progress", "never");
        assertThat(ref.code()).as(ref.err()).isZero();
        Matcher m = HEAD.matcher(ref.out());
        assertThat(m.find()).as(ref.out()).isTrue();
        String head = m.group(1);

        Path out = dir.resolve("stdin");
        String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"), TripleGuard.class.getName(),
            "run", "-", "--out", out.toString(), "--progress", "never").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            // uneven pieces, flushed one by one: lines and CR LF pairs cut anywhere, reads of any size
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + rnd.nextInt(9000));
                in.write(data, at, n);
                in.flush();
                at += n;
            }
        }
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("run - ends when stdin does").isTrue();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("triples=18061").contains("head=" + head);
        StoreVerifier.Verdict v = StoreVerifier.verify(out, java.util.HexFormat.of().parseHex(head));
        assertThat(v.ok()).as(v.reason()).isTrue();
    }
}
