package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.AllocationMeter;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.TripleBatch;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transform, Load and Reflex stage functions allocate nothing per batch once warm. */
class StageAllocationTest {

    static final String[] LINES = {
        "<https://schema.org/Thing> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2000/01/rdf-schema#Class> .",
        "<https://schema.org/Thing> <http://www.w3.org/2000/01/rdf-schema#label> \"Thing\" .",
        "<https://schema.org/name> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> .",
        "<https://schema.org/url> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> .",
        "<https://schema.org/Action> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://schema.org/Thing> .",
        "<https://schema.org/x> <https://schema.org/isPartOf> <https://pending.schema.org> .",
        "<https://schema.org/old> <https://schema.org/supersededBy> <https://schema.org/new> .",
        "<https://schema.org/Thing> <http://www.w3.org/2000/01/rdf-schema#comment> \"The most generic type.\"@en ."
    };

    @Test
    void transformLoadReflex_onAFullBatch_allocateNothingPerBatch() {
        List<Hook> hooks = TestData.hooks();
        BufferPool pool = new BufferPool(new PoolOptions());
        BufferPool scratchPool = new BufferPool(new PoolOptions().setSoaBuffers(1));
        SoaBuffer out = scratchPool.acquire(8);
        Ledger ledger = new Ledger(pool, 256);
        SoaBuffer b = pool.acquire(8);
        for (Hook h : hooks) {
            b.attach(pool.acquireReceipt().hookId(h.id()));
        }
        int slot = b.slot();
        stage(ledger, slot);
        NTriplesParser parser = new NTriplesParser(257, NTriplesParser.ErrorPolicy.FAIL);
        TransformVerticle.LaneSink sink = new TransformVerticle.LaneSink();
        TripleBatch scratch = new TripleBatch();
        Runnable batch = () -> {
            TransformVerticle.parse(parser, sink, ledger, slot, b, null);
            LoadVerticle.load(scratch, b);
            ReflexVerticle.reflex(hooks, b, out);
        };

        long bytes = AllocationMeter.allocatedBytes(20, () -> {
            for (int i = 0; i < 1_000; i++) {
                batch.run();
            }
        });

        assertThat(b.length()).isEqualTo(8);
        assertThat(b.runCount()).isEqualTo(6); // type, label, subClassOf, isPartOf, supersededBy, comment
        assertThat(ledger.stream[slot].badLines.get()).isZero();
        assertThat(bytes).isZero();
    }

    private static void stage(Ledger ledger, int slot) {
        ledger.stream[slot] = new IngestStream("test", Promise.promise());
        int at = 0;
        ledger.lineStart[slot][0] = 0;
        for (int i = 0; i < LINES.length; i++) {
            byte[] line = (LINES[i] + "\n").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(line, 0, ledger.staging[slot], at, line.length);
            at += line.length;
            ledger.lineNumber[slot][i] = i + 1;
            ledger.lineStart[slot][i + 1] = at;
        }
        ledger.lineCount[slot] = LINES.length;
        ledger.stagingLength[slot] = at;
    }
}
