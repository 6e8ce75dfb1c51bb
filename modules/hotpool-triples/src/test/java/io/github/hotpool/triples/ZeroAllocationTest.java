package io.github.hotpool.triples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.core.testing.LanePath;
import io.github.hotpool.core.testing.AllocationMeter;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Steady-state hot path allocates nothing: parsing, hashing, loading, kernels, lockchain adds. */
class ZeroAllocationTest {

    private static final String SCHEMA_ORG = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    private static byte[] schemaOrg;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ZeroAllocationTest.class.getResourceAsStream(SCHEMA_ORG)) {
            schemaOrg = in.readAllBytes();
        }
    }

    /** Counts triples and folds their ids so the work cannot be optimised away. */
    static final class Fold implements TripleSink {
        long count;
        long acc;

        @Override
        public void accept(long s, long p, long o) {
            count++;
            acc += s ^ p ^ o;
        }
    }

    @Test
    void parsingSchemaOrgAgain_allocatesNothingPerTriple_evenIn4KChunksWithATermTable() {
        NTriplesParser parser = new NTriplesParser().termTable(new TermTable(4096, 128));
        Fold fold = new Fold();
        long bytes = AllocationMeter.allocatedBytes(3, () -> {
            parser.reset();
            for (int off = 0; off < schemaOrg.length; off += 4096) {
                parser.feed(schemaOrg, off, Math.min(4096, schemaOrg.length - off), fold);
            }
            parser.finish(fold);
        });
        assertThat(parser.triples()).isGreaterThan(18_000);
        assertThat(bytes).as("bytes allocated parsing %d triples", parser.triples()).isZero();
    }

    @Test
    void parsingUnderSkipWithAnErrorHandler_allocatesNothingOnGoodInput() {
        long[] heard = new long[1];
        NTriplesParser parser = new NTriplesParser(NTriplesParser.DEFAULT_MAX_LINE_LENGTH, NTriplesParser.ErrorPolicy.SKIP)
                .errorHandler(e -> heard[0]++);
        Fold fold = new Fold();
        long bytes = AllocationMeter.allocatedBytes(3, () -> {
            parser.reset();
            parser.feed(schemaOrg, 0, schemaOrg.length, fold);
            parser.finish(fold);
        });
        assertThat(parser.triples()).isGreaterThan(18_000);
        assertThat(heard[0]).isZero();
        assertThat(bytes).as("bytes allocated parsing %d triples under SKIP", parser.triples()).isZero();
    }

    @Test
    void parsingRdf12TripleTermsAndDirectionalTags_withCanonicalLines_allocatesNothing() {
        StringBuilder doc = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            doc.append("<https://ex/s").append(i).append("> <http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies> ")
                    .append("<<( _:b").append(i % 7).append(" <https://ex/p> <<(<https://ex/a> <https://ex/b> \"v\\t")
                    .append(i).append("\"@EN-gb--rtl)>> )>> .\n")
                    .append("<https://ex/s").append(i).append("> <https://ex/label> \"x\\u0001\"@en--ltr .\n");
        }
        byte[] bytes = doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long[] canonicalBytes = new long[1];
        NTriplesParser parser = new NTriplesParser().termTable(new TermTable(4096, 128))
                .canonicalLines((b, off, len) -> canonicalBytes[0] += len);
        Fold fold = new Fold();
        long bytesAllocated = AllocationMeter.allocatedBytes(3, () -> {
            parser.reset();
            for (int off = 0; off < bytes.length; off += 4096) {
                parser.feed(bytes, off, Math.min(4096, bytes.length - off), fold);
            }
            parser.finish(fold);
        });
        assertThat(parser.triples()).isEqualTo(4000);
        assertThat(canonicalBytes[0]).isPositive();
        assertThat(bytesAllocated).as("bytes allocated parsing %d RDF 1.2 triples", parser.triples()).isZero();
    }

    @Test
    void loadIntoAndEveryKernel_allocateNothing() {
        BufferPool pool = new BufferPool(new PoolOptions());
        Hook[] hooks = new Hook[HookOp.values().length];
        for (HookOp op : HookOp.values()) {
            hooks[op.ordinal()] = Hook.of(op.ordinal() + 1, op.name(), op, 100, 1, 10, 2);
        }
        TripleBatch batch = new TripleBatch();
        Fold fold = new Fold();
        long bytes = AllocationMeter.allocatedBytes(200, () -> {
            for (int round = 0; round < 1000; round++) {
                batch.clear();
                for (int i = 0; i < 8; i++) {
                    batch.add(1 + (i & 3), i < 5 ? 100 : 200, 10 + i);
                }
                SoaBuffer in = pool.acquire(8);
                SoaBuffer out = pool.acquire(8);
                int runs = Loader.loadInto(batch, in);
                for (int r = 0; r < runs; r++) {
                    for (Hook h : hooks) {
                        Receipt receipt = pool.receipt().cycleId(round);
                        fold.acc += h.op() == HookOp.CONSTRUCT8
                                ? HookKernels.construct8(h, in, r, out.length(0), receipt)
                                : HookKernels.eval(h, in, r, receipt);
                    }
                }
                pool.resetReceipts();
                pool.release(out);
                pool.release(in);
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void spanKernels_overPoolBuffersAndAPlainSlab_allocateNothing() {
        System.out.println("span kernels measured on " + LanePath.describe());
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(16));
        SoaBuffer[] rows = new SoaBuffer[16];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = pool.acquire(8);
            for (int i = 0; i < 8; i++) {
                rows[r].set(i, 1 + (i & 3), r < 10 ? 100 : 200, 10 + i);
            }
            rows[r].length(8).addRun(r < 10 ? 100 : 200, 0, r % 8 + 1);
        }
        Hook[] hooks = new Hook[HookOp.values().length];
        for (HookOp op : HookOp.values()) {
            hooks[op.ordinal()] = Hook.of(op.ordinal() + 1, op.name(), op, 100, 1, 10, 2);
        }
        RunTable table = new RunTable(64);
        SpanReceipts receipts = new SpanReceipts(64);
        Slab lines = Slab.allocate(64 * 64);
        Slab out = Slab.allocate(64 * SoaLayout.BUFFER_LENGTH);
        Fold fold = new Fold();
        long bytes = AllocationMeter.allocatedBytes(200, () -> {
            for (int round = 0; round < 300; round++) {
                table.clear();
                for (SoaBuffer b : rows) {
                    table.addRunsOf(b);
                }
                for (Hook h : hooks) {
                    fold.acc += h.op() == HookOp.CONSTRUCT8
                            ? HookKernels.constructSpan(h, pool.soaMemory(), table, out, 0, receipts, round)
                            : HookKernels.evalSpan(h, pool.soaMemory(), table, receipts, round);
                    // reading the derived fields and writing whole receipt lines allocates nothing either
                    for (int i = 0; i < receipts.size(); i++) {
                        fold.acc += receipts.spanId(i) ^ receipts.aHash(i) ^ receipts.flags(i);
                        receipts.writeLine(i, lines, i * 64);
                    }
                }
                // a plain slab of rows, as a ring will have: the same table read as rows 0..15
                fold.acc += HookKernels.evalSpan(hooks[0], out, table, receipts, round);
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void addingReceiptsToTheLockchain_allocatesNothing_onlySealingDoes() {
        BufferPool pool = new BufferPool(new PoolOptions());
        Lockchain chain = new Lockchain(1024);
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 25; run++) {
            long before = AllocationMeter.threadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                chain.add(pool.receipt().cycleId(run).aHash(i));
            }
            long after = AllocationMeter.threadAllocatedBytes();
            pool.resetReceipts();
            chain.seal(run); // allocates the seal, once per cycle: outside the measured adds
            if (run >= 20) {
                least = Math.min(least, after - before);
            }
        }
        assertThat(least).isZero();
    }
}
