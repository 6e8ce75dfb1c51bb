package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.core.testing.DocSnippets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The span-kernel block of docs/hooks.md: the same code, run on two leased buffers. */
@Timeout(30)
class DocsHooksSnippetTest {

    @Test
    void theDocShowsThisCode_andItEvaluatesAndConstructsOverBothBuffers() throws Exception {
        assertThat(DocSnippets.block("docs/hooks.md", "span-kernels")).isEqualTo(DocSnippets.region(
            "modules/hotpool-triples/src/test/java/io/github/hotpool/triples/DocsHooksSnippetTest.java", "span-kernels"));
        BufferPool pool = new BufferPool(new PoolOptions().setName("doc").setSoaBuffers(4).setReceipts(8)
            .setReceiptsPerBuffer(0));
        SoaBuffer first = pool.acquire(8).set(0, 5, 100, 7).set(1, 6, 100, 8).length(2).addRun(100, 0, 2);
        SoaBuffer second = pool.acquire(8).set(0, 9, 100, 7).length(1).addRun(100, 0, 1);
        List<SoaBuffer> leased = List.of(first, second);
        Hook hook = Hook.of(1, "has-object-7", HookOp.ASK_OP, 100, 0, 7, 0);
        Hook construct = Hook.of(2, "copy", HookOp.CONSTRUCT8, 100, 0, 0, 0);
        long cycleId = 42;
        Slab out = Slab.allocate(2L * SoaLayout.BUFFER_LENGTH);
        int firstOutRow = 0;
        Slab lines = Slab.allocate(2L * ReceiptLayout.RECEIPT_LENGTH);
        // --8<-- [start:span-kernels]
        RunTable runs = new RunTable(64);                  // pre-allocated, reused: clear() between spans
        for (SoaBuffer b : leased) runs.addRunsOf(b);      // a leased buffer's runs, as rows of its slot
        SpanReceipts receipts = new SpanReceipts(64);      // pre-allocated, reused: one word per run
        int ones = HookKernels.evalSpan(hook, pool.soaMemory(), runs, receipts, cycleId);
        long firstSpanId = receipts.spanId(0);             // derived on read, as eval would have written it
        receipts.writeLine(1, lines, 64);                  // or a whole receipt line (writeTo: a pooled Receipt)
        // a CONSTRUCT8 hook writes triples too: into rows of out (a Slab of SoA rows) from firstOutRow
        int made = HookKernels.constructSpan(construct, pool.soaMemory(), runs, out, firstOutRow, receipts, cycleId);
        // --8<-- [end:span-kernels]
        assertThat(firstSpanId).isEqualTo(HookKernels.spanId(cycleId, 1, 100, 0));
        assertThat(lines.getLong(64 + ReceiptLayout.RESULT_OFFSET)).isEqualTo(1);
        assertThat(ones).as("both runs hold object 7").isEqualTo(2);
        assertThat(runs.size()).isEqualTo(2);
        assertThat(made).as("triples constructed: the runs' three live lanes").isEqualTo(3);
        assertThat(out.getLong(SoaLayout.bufferOffset(0) + SoaLayout.S_OFFSET + SoaLayout.LANE_BYTES)).as("row 0, lane 1 of out: the second triple").isEqualTo(6);
        first.close();
        second.close();
        assertThat(pool.close()).isZero();
    }
}
