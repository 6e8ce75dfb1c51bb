package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderTest {

    private final BufferPool pool = new BufferPool(new PoolOptions());

    private static TripleBatch batch(long... spo) {
        TripleBatch b = new TripleBatch();
        for (int i = 0; i < spo.length; i += 3) {
            b.add(spo[i], spo[i + 1], spo[i + 2]);
        }
        return b;
    }

    private static List<String> runs(SoaBuffer buf) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < buf.runCount(); i++) {
            r.add("{" + buf.runPredicate(i) + "," + buf.runOffset(i) + "," + buf.runLength(i) + "}");
        }
        return r;
    }

    @Test
    void originalVector_predicates100_100_200_giveTwoRuns() {
        try (SoaBuffer buf = pool.acquire(8)) {
            int n = Loader.loadInto(batch(1, 100, 11, 2, 100, 12, 3, 200, 13), buf);
            assertThat(n).isEqualTo(2);
            assertThat(runs(buf)).containsExactly("{100,0,2}", "{200,2,1}");
            assertThat(buf.length()).isEqualTo(3);
        }
    }

    @Test
    void interleavedPredicates_areGroupedKeepingInputOrderInsideEachRun() {
        try (SoaBuffer buf = pool.acquire(8)) {
            Loader.loadInto(batch(1, 7, 10, 2, 9, 20, 3, 7, 30, 4, 9, 40, 5, 7, 50), buf);
            assertThat(runs(buf)).containsExactly("{7,0,3}", "{9,3,2}");
            long[] subjects = new long[5];
            long[] objects = new long[5];
            for (int i = 0; i < 5; i++) {
                subjects[i] = buf.subject(i);
                objects[i] = buf.object(i);
            }
            assertThat(subjects).containsExactly(1, 3, 5, 2, 4);
            assertThat(objects).containsExactly(10, 30, 50, 20, 40);
        }
    }

    @Test
    void reloadingABuffer_replacesRunsAndZeroesLanesPastTheBatch() {
        try (SoaBuffer buf = pool.acquire(8)) {
            Loader.loadInto(batch(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4), buf);
            Loader.loadInto(batch(9, 5, 9), buf);
            assertThat(runs(buf)).containsExactly("{5,0,1}");
            assertThat(buf.subject(1)).isZero();
            assertThat(buf.predicate(3)).isZero();
            assertThat(buf.length()).isEqualTo(1);
        }
    }

    @Test
    void batchLargerThanBuffer_isRejectedNamingBoth() {
        try (SoaBuffer buf = pool.acquire(2)) {
            assertThatThrownBy(() -> Loader.loadInto(batch(1, 1, 1, 2, 1, 2, 3, 1, 3), buf))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batch of 3 triples exceeds SoA buffer capacity 2");
            assertThat(buf.runCount()).isZero();
        }
    }

    @Test
    void batcher_cutsAStreamIntoBatchesOfAtMostEight() {
        List<Integer> sizes = new ArrayList<>();
        Batcher batcher = new Batcher(b -> sizes.add(b.size()));
        for (int i = 1; i <= 19; i++) {
            batcher.accept(i, 1, i);
        }
        batcher.flush();
        assertThat(sizes).containsExactly(8, 8, 3);
    }

    @Test
    void batch_rejectsANinthTriple() {
        TripleBatch b = batch(1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8);
        assertThatThrownBy(() -> b.add(9, 9, 9)).hasMessageContaining("MAX_RUN_LEN 8");
    }
}
