package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineEndToEndTest extends VertxTestBase {


    @Test
    void schemaOrgFile_givesTheReceiptsAndHeadOfTheKernelCalledDirectly() throws Exception {
        byte[] data = TestData.schemaOrg();
        Path file = TestData.write(dir, "schemaorg.nt", data);
        Path out = dir.resolve("out");
        Direct direct = Direct.run(data, TestData.hooks(), 256);

        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setCycleReceipts(256).setOutDir(out.toString()))));
        JsonObject summary = await(p.ingestFile(file.toString()));
        JsonObject chain = await(p.flush());
        PipelineStats stats = p.stats();
        await(p.undeploy());

        assertThat(direct.triples).isEqualTo(18_061);
        assertThat(summary.getLong("triples")).isEqualTo(direct.triples);
        assertThat(summary.getLong("failedBatches")).isZero();
        assertThat(stats.triples()).isEqualTo(direct.triples);
        assertThat(stats.failed()).isZero();
        assertThat(stats.emitted()).isEqualTo(stats.batches()).isEqualTo(direct.bySeq.size());
        assertThat(stats.receipts()).isEqualTo(direct.receipts).isPositive();
        assertThat(aHashXor(out)).isEqualTo(direct.aHashXor);
        assertThat(chain.getString("head")).isEqualTo(direct.head);
        assertThat(stats.soaInUse()).isZero();
        StoreVerifier.Verdict v = StoreVerifier.verify(out, null);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.head()).isEqualTo(direct.head);
    }

    @Test
    void everyHookFiresOnTheSchemaOrgData() throws Exception {
        Direct direct = Direct.run(TestData.schemaOrg(), TestData.hooks(), 256);
        long[] fired = new long[TestData.hooks().size() + 1];
        for (List<byte[]> recs : direct.bySeq.values()) {
            for (byte[] r : recs) {
                int hookId = java.nio.ByteBuffer.wrap(r).getInt(12);
                long result = java.nio.ByteBuffer.wrap(r).getLong(56);
                if (result != 0) {
                    fired[hookId]++;
                }
            }
        }
        for (int h = 1; h < fired.length; h++) {
            assertThat(fired[h]).as("hook %d fired", h).isPositive();
        }
    }

    static long aHashXor(Path out) throws Exception {
        long x = 0;
        for (String line : Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS))) {
            x ^= HexFormat.fromHexDigitsToLong(new JsonObject(line).getString("aHash"));
        }
        return x;
    }
}
