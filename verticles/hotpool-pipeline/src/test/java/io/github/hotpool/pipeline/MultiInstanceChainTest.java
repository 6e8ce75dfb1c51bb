package io.github.hotpool.pipeline;

import io.github.hotpool.pipeline.store.ReceiptStore;
import io.github.hotpool.pipeline.store.StoreVerifier;
import static io.github.hotpool.pipeline.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several instances of the middle stages: batches reach Emit in any order, so the head is not
 * the kernel's, but the chain holds exactly the kernel's receipts and verifies against the head
 * the run reported.
 */
class MultiInstanceChainTest extends VertxTestBase {

    @Test
    void twoInstancesPerMiddleStage_chainHoldsTheKernelsReceipts_andVerifiesAnchoredToItsOwnHead() throws Exception {
        byte[] data = CycleSealingTest.slice(0, 4000);
        Path out = dir.resolve("out");
        Direct direct = Direct.run(data, TestData.hooks(), 128);
        PipelineOptions o = new PipelineOptions().setHooks(TestData.hooksJson()).setLockchain(new LockchainOptions().setCycleReceipts(128).setOutDir(out.toString())).setStages(new StagesOptions().setTransform(new StageOptions().setInstances(2)).setLoad(new StageOptions().setInstances(2)).setReflex(new StageOptions().setInstances(2)));
        Pipeline p = await(Pipeline.deploy(vertx, o));
        await(p.ingestFile(TestData.write(dir, "in.nt", data).toString()));
        JsonObject chain = await(p.flush());
        PipelineStats s = p.stats();
        await(p.undeploy());

        List<String> expected = new ArrayList<>();
        direct.bySeq.values().forEach(recs -> recs.forEach(r -> expected.add(key(r))));
        List<String> actual = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(ReceiptStore.RECEIPTS))) {
            JsonObject j = new JsonObject(line);
            actual.add(j.getLong("cycle") + "/" + j.getInteger("hookId") + "/" + j.getInteger("lanes") + "/"
                + j.getString("aHash") + "/" + j.getString("result"));
        }
        StoreVerifier.Verdict anchored = StoreVerifier.verify(out, HexFormat.of().parseHex(chain.getString("head")));
        StoreVerifier.Verdict wrongHead = StoreVerifier.verify(out, HexFormat.of().parseHex(direct.head.replace('0', '1')));

        assertThat(s.failed()).isZero();
        assertThat(s.soaInUse()).isZero();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        assertThat(anchored.ok()).as(anchored.reason()).isTrue();
        assertThat(anchored.anchored()).isTrue();
        assertThat(anchored.unsealed()).isZero();
        assertThat(wrongHead.ok()).isFalse();
    }

    /** The fields of a 64-byte receipt record that the receipts file shows, as one comparable key. */
    static String key(byte[] rec) {
        ByteBuffer b = ByteBuffer.wrap(rec);
        HexFormat hex = HexFormat.of();
        return b.getLong(0) + "/" + b.getInt(12) + "/" + b.getInt(32) + "/" + hex.toHexDigits(b.getLong(48)) + "/"
            + hex.toHexDigits(b.getLong(56));
    }
}
