package io.github.hotpool.benchmarks.pipeline;

import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.Lockchain;
import io.github.hotpool.triples.NTriplesParser;
import io.github.hotpool.triples.ReceiptRecord;
import io.github.hotpool.triples.TripleBatch;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same five stage functions on an LMAX Disruptor ring in one JVM: the producer stages lines
 * (Ingest), then parse (Transform), load, reflex and emit handlers run one after the other on
 * their own threads, waiting by yielding (the Disruptor's usual throughput setting). Each ring slot owns a SoA buffer and one receipt per hook for the whole run.
 */
final class DisruptorPipeline {

    static final int RING = 16;

    static final class Event {
        final byte[] staged = new byte[64 * 1024];
        int length;
        SoaBuffer buffer;
    }

    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;
    private final AtomicLong done = new AtomicLong(-1);
    private final BufferPool pool;
    private final List<Hook> hooks;
    final Lockchain chain = new Lockchain(1024);
    long receipts;
    private long cycle;
    private long published = -1;

    DisruptorPipeline(List<Hook> hooks) {
        this.hooks = hooks;
        pool = new BufferPool(new PoolOptions().setSoaBuffers(RING + 1).setReceipts((RING + 1) * hooks.size())
            .setReceiptsPerBuffer(hooks.size()).setName("disruptor"));
        disruptor = new Disruptor<>(Event::new, RING, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE,
            new YieldingWaitStrategy());
        ring = disruptor.getRingBuffer();
        for (int i = 0; i < RING; i++) {
            SoaBuffer b = pool.acquire(8);
            for (Hook h : hooks) {
                b.attach(pool.acquireReceipt().hookId(h.id()));
            }
            ring.get(i).buffer = b;
        }
        NTriplesParser parser = new NTriplesParser();
        Sink sink = new Sink();
        TripleBatch scratch = new TripleBatch();
        BufferPool scratchPool = new BufferPool(new PoolOptions().setSoaBuffers(1).setName("construct"));
        SoaBuffer out = scratchPool.acquire(8);
        byte[] record = new byte[ReceiptRecord.LENGTH];
        disruptor.handleEventsWith((e, seq, last) -> {
            sink.b = e.buffer;
            sink.lane = 0;
            parser.reset();
            parser.feed(e.staged, 0, e.length, sink);
            parser.finish(sink);
            e.buffer.length(sink.lane);
        }).then((e, seq, last) -> {
            scratch.clear();
            for (int i = 0; i < e.buffer.length(); i++) {
                scratch.add(e.buffer.subject(i), e.buffer.predicate(i), e.buffer.object(i));
            }
            Loader.loadInto(scratch, e.buffer);
        }).then((e, seq, last) -> reflex(e.buffer, seq, out)).then((e, seq, last) -> {
            for (int i = 0; i < e.buffer.receiptCount(); i++) {
                Receipt r = e.buffer.receipt(i);
                if ((r.flags() & HookKernels.FLAG_PREDICATE_MATCH) != 0) {
                    ReceiptRecord.encode(r, record, 0);
                    chain.add(record, 0);
                    receipts++;
                    if (chain.pending() == 1024) {
                        chain.seal(cycle++);
                    }
                }
            }
            done.lazySet(seq);
        });
        disruptor.start();
    }

    private void reflex(SoaBuffer b, long seq, SoaBuffer out) {
        for (int i = 0; i < b.receiptCount(); i++) {
            Receipt r = b.receipt(i).cycleId(seq).flags(0);
            Hook h = hooks.get(r.hookId() - 1);
            int run = -1;
            for (int k = 0; k < b.runCount(); k++) {
                if (b.runPredicate(k) == h.predicate()) {
                    run = k;
                }
            }
            if (run < 0) {
                continue;
            }
            if (h.op() == HookOp.CONSTRUCT8) {
                out.length(0);
                HookKernels.construct8(h, b, run, out, r);
            } else {
                HookKernels.eval(h, b, run, r);
            }
        }
    }

    /** Producer (Ingest): stages every batch of {@code input} on the ring; waits until Emit has seen all. */
    long run(byte[] input) {
        StagedLines.each(input, (src, from, to) -> {
            long seq = ring.next();
            Event e = ring.get(seq);
            System.arraycopy(src, from, e.staged, 0, to - from);
            e.length = to - from;
            ring.publish(seq);
            published = seq;
        });
        while (done.get() < published) {
            Thread.onSpinWait();
        }
        return receipts;
    }

    void close() {
        disruptor.shutdown();
    }

    private static final class Sink implements io.github.hotpool.triples.TripleSink {
        SoaBuffer b;
        int lane;

        @Override
        public void accept(long s, long p, long o) {
            b.set(lane++, s, p, o);
        }
    }
}
