package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.pipeline.store.StoreVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real full disk: the output directory on a 192 KiB tmpfs, far smaller than the receipts of the
 * schema.org data. Needs the right to mount (root, as CI runs); without it the test is skipped
 * and says why.
 */
@Timeout(60)
class DiskFullTest extends VertxTestBase {

    Path mount;
    boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = Files.createDirectories(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        mounted = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a small tmpfs here (needs root): " + out.trim());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void diskFullMidRun_failsThePipelineNamingTheCause_andWhatWasAcknowledgedStillVerifies() throws Exception {
        Path out = mount.resolve("out");
        Path file = TestData.write(dir, "schemaorg.nt", TestData.schemaOrg());
        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setOutDir(out.toString()).setCycleReceipts(64).setDurability(Durability.FSYNC))));

        Throwable ingest = await(p.ingestFile(file.toString()).transform(ar -> io.vertx.core.Future.succeededFuture(
            ar.succeeded() && ar.result().getLong("failedBatches") == 0 ? null : new Throwable("failed"))));
        String failure = p.failure();
        Throwable flush = await(p.flush().transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
        PipelineStats stats = p.stats();
        await(p.undeploy());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);

        assertThat(ingest).as("the input is not reported as done").isNotNull();
        assertThat(failure).contains("No space left on device").contains(out.toString());
        assertThat(flush).as("flush after the failure").isNotNull();
        assertThat(stats.failed()).isPositive();
        assertThat(stats.emitted() + stats.failed()).isEqualTo(stats.batches());
        assertThat(stats.soaInUse()).isZero();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).as("what was acknowledged before the disk filled").isPositive();
    }

    @Test
    void ringPipeline_diskFullMidRun_failsNamingTheCause_countsTheRows_andWhatWasAcknowledgedStillVerifies()
            throws Exception {
        Path out = mount.resolve("ring");
        Path file = TestData.write(dir, "schemaorg.nt", TestData.schemaOrg());
        GuardPipeline p = await(GuardPipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setOutDir(out.toString()).setCycleReceipts(64).setDurability(Durability.FSYNC))));

        Throwable ingest = await(p.ingestFile(file.toString()).transform(ar -> io.vertx.core.Future.succeededFuture(
            ar.cause())));
        String failure = p.failure();
        Throwable flush = await(p.flush().transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())));
        GuardStats stats = p.stats();
        await(p.undeploy());
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);

        assertThat(ingest).as("the input is not reported as done; failure %s, stats %s", failure, stats.toJson()).isNotNull();
        assertThat(ingest.getMessage()).contains("receipt store failed").contains("No space left on device");
        assertThat(failure).contains("No space left on device").contains(out.toString());
        assertThat(flush).as("flush after the failure").isNotNull();
        assertThat(stats.failedRows()).isPositive();
        assertThat(stats.rowsEmitted() + stats.failedRows() + stats.cutRows()).isEqualTo(stats.rows());
        assertThat(stats.rowsInFlight()).isZero();
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.receipts()).as("what was acknowledged before the disk filled").isPositive();
    }
}
