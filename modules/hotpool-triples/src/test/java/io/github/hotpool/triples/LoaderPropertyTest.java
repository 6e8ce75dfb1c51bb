package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The loader's grouping rule on random batches, against a model written the plain way: runs in
 * the order their predicate first appears, triples in input order inside a run, every lane past
 * the batch empty; the same into a pool buffer and into a ring row.
 */
class LoaderPropertyTest {

    /** A few predicates (0 among them), so that batches have 1 to 8 distinct ones. */
    private static final long[] PREDICATES = {7, 9, 11, 0, -1L, 13, 15, 17};

    record Batch(long[][] triples) {
        @Override
        public String toString() {
            return Arrays.deepToString(triples);
        }
    }

    static Batch draw(Gen g) {
        int n = g.intBetween(0, 8);
        int distinct = g.intBetween(1, PREDICATES.length);
        long[][] t = new long[n][];
        for (int i = 0; i < n; i++) {
            t[i] = new long[] {g.anyLong(), PREDICATES[g.intBetween(0, distinct - 1)], g.anyLong()};
        }
        return new Batch(t);
    }

    /** The model: {predicate, offset, length} runs and the lanes in order, built with a map. */
    static List<long[]> modelRuns(Batch b, List<long[]> lanesOut) {
        Map<Long, List<long[]>> groups = new LinkedHashMap<>();
        for (long[] t : b.triples()) {
            groups.computeIfAbsent(t[1], k -> new ArrayList<>()).add(t);
        }
        List<long[]> runs = new ArrayList<>();
        for (Map.Entry<Long, List<long[]>> e : groups.entrySet()) {
            runs.add(new long[] {e.getKey(), lanesOut.size(), e.getValue().size()});
            lanesOut.addAll(e.getValue());
        }
        return runs;
    }

    @Test
    void loadInto_groupsAsTheModelDoes_intoABufferAndARingRow() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(2));
        DeltaRing ring = new DeltaRing(new RingOptions().setName("loader").setCapacity(2).chain("reader"));
        int reader = ring.stage("reader");
        TripleBatch batch = new TripleBatch();
        PropertyRunner.forAll(LoaderPropertyTest::draw)
            .tries(3000)
            .edgeCases(List.of(new Batch(new long[0][]),
                new Batch(new long[][] {{1, 7, 2}, {3, 9, 4}, {5, 7, 6}, {7, 9, 8}, {9, 7, 10}, {11, 9, 12}, {13, 7, 14}, {15, 9, 16}}),
                new Batch(new long[][] {{1, 7, 1}, {2, 9, 2}, {3, 11, 3}, {4, 0, 4}, {5, -1L, 5}, {6, 13, 6}, {7, 15, 7}, {8, 17, 8}})))
            .check(b -> {
                batch.clear();
                for (long[] t : b.triples()) {
                    batch.add(t[0], t[1], t[2]);
                }
                List<long[]> lanes = new ArrayList<>();
                List<long[]> runs = modelRuns(b, lanes);
                try (SoaBuffer buf = pool.acquire(8)) {
                    assertThat(Loader.loadInto(batch, buf)).as("runs").isEqualTo(runs.size());
                    assertThat(buf.length()).isEqualTo(lanes.size());
                    for (int r = 0; r < runs.size(); r++) {
                        assertThat(new long[] {buf.runPredicate(r), buf.runOffset(r), buf.runLength(r)}).as("run %d", r)
                            .containsExactly(runs.get(r));
                    }
                    for (int lane = 0; lane < 8; lane++) {
                        long[] want = lane < lanes.size() ? lanes.get(lane) : new long[3];
                        assertThat(new long[] {buf.subject(lane), buf.predicate(lane), buf.object(lane)})
                            .as("buffer lane %d", lane).containsExactly(want);
                    }
                }
                long seq = ring.tryClaim(1);
                assertThat(seq).as("ring claim").isNotNegative();
                DeltaRing.Row row = ring.row(Ring.PRODUCER).at(seq);
                assertThat(Loader.loadInto(batch, row)).as("ring row runs").isEqualTo(runs.size());
                for (int r = 0; r < runs.size(); r++) {
                    assertThat(new long[] {row.runPredicate(r), row.runOffset(r), row.runLength(r)}).as("ring run %d", r)
                        .containsExactly(runs.get(r));
                }
                for (int lane = 0; lane < 8; lane++) {
                    long[] want = lane < lanes.size() ? lanes.get(lane) : new long[3];
                    assertThat(new long[] {row.subject(lane), row.predicate(lane), row.object(lane)})
                        .as("ring lane %d", lane).containsExactly(want);
                }
                ring.publish(seq + 1);
                ring.advance(reader, seq + 1);
            });
    }
}
