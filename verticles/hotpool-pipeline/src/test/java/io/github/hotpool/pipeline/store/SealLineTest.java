package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.triples.CycleSeal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The store writes its JSON lines by hand: each is checked against the JSON tree it replaces. */
class SealLineTest {

    @Test
    void appendSeal_writesExactlyTheBytesOfTheJsonTree() {
        SplittableRandom rnd = new SplittableRandom(20261201);
        for (int n : new int[] {1, 2, 7, 1024}) {
            byte[] leaves = new byte[32 * n];
            byte[] root = new byte[32];
            byte[] link = new byte[32];
            for (byte[] b : new byte[][] {leaves, root, link}) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt(256);
                }
            }
            CycleSeal seal = new CycleSeal(rnd.nextLong(Long.MAX_VALUE), leaves, root, link);
            ByteSink out = new ByteSink(16);
            ReceiptStore.appendSeal(out, seal.cycleId(), leaves, n, root, link);
            assertThat(new String(out.bytes, 0, out.length, StandardCharsets.UTF_8))
                .isEqualTo(ReceiptStore.sealJson(seal).encode() + "\n");
        }
    }

    @Test
    void jsonUtf8_writesTheBytesJsonStringWritesForTheSameText() {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        String alphabet = "ab\"\\\n\t\u0001\u001f é€😀<>:/#";
        for (int k = 0; k < 2000; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(40); i > 0; i--) {
                int at = rnd.nextInt(alphabet.length());
                if (Character.isHighSurrogate(alphabet.charAt(at))) {
                    sb.append(alphabet, at, at + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                    sb.append(alphabet.charAt(at));
                }
            }
            String text = sb.toString();
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            ByteSink a = new ByteSink(4).jsonString(text);
            ByteSink b = new ByteSink(4).jsonUtf8(utf8, utf8.length);
            assertThat(new String(b.bytes, 0, b.length, StandardCharsets.UTF_8)).as("seed %d: %s", seed, text)
                .isEqualTo(new String(a.bytes, 0, a.length, StandardCharsets.UTF_8));
        }
    }
}
