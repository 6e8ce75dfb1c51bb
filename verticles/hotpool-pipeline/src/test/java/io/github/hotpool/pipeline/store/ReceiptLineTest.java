package io.github.hotpool.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.Receipt;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A receipt line's bytes against a line built here field by field with the JDK's own number and
 * hex formatting, for random receipts, edge values and awkward hook names; and the strict reader
 * reading back every field it wrote.
 */
class ReceiptLineTest {

    private static final long[] EDGES = {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 32, -(1L << 32), 999_999_999_999L};
    private static final String[] NAMES = {"shape-iri", "", "q\"uote", "back\\slash", "tab\tnew\nline\u0001",
        "ünïcödé", "€", "\uD83D\uDE00 emoji", "lone \uD800 high", null};

    private static long pick(SplittableRandom rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> EDGES[rnd.nextInt(EDGES.length)];
            case 1 -> rnd.nextLong();
            default -> rnd.nextInt(1_000_000);
        };
    }

    private static String nameJson(String name) {
        ByteSink s = new ByteSink(16);
        s.jsonString(name);
        return new String(s.bytes, 0, s.length, StandardCharsets.UTF_8);
    }

    private static String expected(long chainCycle, Receipt r, String name) {
        return "{\"chainCycle\":" + chainCycle + ",\"cycle\":" + r.cycleId() + ",\"shard\":" + r.shardId()
            + ",\"hookId\":" + r.hookId() + ",\"hook\":" + nameJson(name) + ",\"ticks\":" + r.ticks()
            + ",\"actualTicks\":" + r.actualTicks() + ",\"lanes\":" + r.lanes() + ",\"flags\":" + r.flags()
            + ",\"spanId\":\"" + String.format("%016x", r.spanId()) + "\",\"aHash\":\""
            + String.format("%016x", r.aHash()) + "\",\"result\":\"" + String.format("%016x", r.result()) + "\"}\n";
    }

    @Test
    void everyFieldIsWrittenAsTheJdkFormatsIt_andReadsBack() {
        long seed = Long.getLong("hotpool.seed", System.nanoTime());
        SplittableRandom rnd = new SplittableRandom(seed);
        BufferPool pool = ChainWriter.scratchPool();
        ByteSink out = new ByteSink(8);
        ReceiptLine back = new ReceiptLine();
        try (Receipt r = pool.acquireReceipt()) {
            for (int trial = 0; trial < 5_000; trial++) {
                r.cycleId(pick(rnd)).shardId((int) pick(rnd)).hookId((int) pick(rnd)).ticks(pick(rnd))
                    .actualTicks(pick(rnd)).lanes((int) pick(rnd)).flags((int) pick(rnd)).spanId(pick(rnd))
                    .aHash(pick(rnd)).result(pick(rnd));
                long chainCycle = rnd.nextBoolean() ? rnd.nextLong(Long.MAX_VALUE) : EDGES[rnd.nextInt(8)] & Long.MAX_VALUE;
                String name = NAMES[rnd.nextInt(NAMES.length)];
                int start = rnd.nextInt(3) == 0 ? 0 : out.length; // lines follow each other in a flush
                if (start == 0) {
                    out.clear();
                }
                ReceiptLine.begin(out, chainCycle, r, name);
                ReceiptLine.end(out);
                String line = new String(out.bytes, start, out.length - start, StandardCharsets.UTF_8);
                String why = "trial " + trial + ", seed " + seed;
                assertThat(line).as(why).isEqualTo(expected(chainCycle, r, name));

                back.parse(out.bytes, start, out.length - start - 1);
                assertThat(new long[] {back.chainCycle, back.cycle, back.shard, back.hookId, back.ticks,
                    back.actualTicks, back.lanes, back.flags, back.spanId, back.aHash, back.result}).as(why)
                    .containsExactly(chainCycle, r.cycleId(), r.shardId(), r.hookId(), r.ticks(), r.actualTicks(),
                        r.lanes(), r.flags(), r.spanId(), r.aHash(), r.result());
                assertThat(back.hook).as(why).isEqualTo(name);
            }
        } finally {
            pool.close();
        }
    }
}
