package io.github.hotpool.examples.poolbasics;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PoolBasicsTest {

    @Test
    void tour_endsWithEverythingHomeAndCountsEveryLease() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PoolBasics.Outcome outcome = PoolBasics.run(1_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(outcome.finalUsage().soaBuffersInUse()).isZero();
        assertThat(outcome.finalUsage().receiptsInUse()).isZero();
        // 1000 owner leases + 12 handed off + 16 to run dry + 1 receipt batch
        assertThat(outcome.stats().acquired()).isEqualTo(1_000 + 12 + 16 + 1);
        assertThat(outcome.stats().remoteReleases()).isEqualTo(12);
        assertThat(outcome.stats().exhausted()).isEqualTo(1);
        assertThat(outcome.stats().highWaterMark()).isEqualTo(16);
        assertThat(printed).contains("12 handed to the worker: SoA buffers in use: 12/16")
            .contains("dry after 16 leases: SoA buffers in use: 16/16")
            .contains("3 run-scoped + 1 held receipt: SoA buffers in use: 1/16, receipts in use: 4/1024")
            .contains("after resetReceipts(): SoA buffers in use: 1/16, receipts in use: 1/1024");
        // checksum recomputed independently of the pool
        long expected = 0;
        for (int i = 0; i < 1_000; i++) {
            expected ^= ((long) i * 8 + 8) * 31;
        }
        for (int hook = 0; hook < 3; hook++) {
            expected ^= 0xABCDL << hook;
        }
        expected ^= 0x1234;
        assertThat(outcome.checksum()).isEqualTo(expected);
    }
}
