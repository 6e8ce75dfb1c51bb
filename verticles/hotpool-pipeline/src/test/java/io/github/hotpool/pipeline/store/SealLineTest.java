package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.triples.CycleSeal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
            ReceiptStore.appendSeal(out, seal, new byte[32]);
            assertThat(new String(out.bytes, 0, out.length, StandardCharsets.UTF_8))
                .isEqualTo(ReceiptStore.sealJson(seal).encode() + "\n");
        }
    }
}
