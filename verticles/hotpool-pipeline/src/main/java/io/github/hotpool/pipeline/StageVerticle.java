package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.Ledger.HELD;
import static io.github.hotpool.pipeline.Ledger.TIMED_OUT;
import static io.github.hotpool.pipeline.Ledger.TRANSIT;
import static io.github.hotpool.pipeline.Ledger.word;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;

/**
 * Base of the Transform, Load and Reflex verticles: takes a handle from its address, runs the
 * stage's work on it and sends it on, or fails the batch and sends the handle home. One
 * instance per context; its handler runs on that context only.
 */
abstract class StageVerticle extends VerticleBase {

    final Stage stage;
    Runtime rt;
    private String nextAddress;
    private MessageConsumer<SoaBuffer> consumer;
    /** Batches held back by an injected delay, by timer id: undeploy must not strand them. */
    private final java.util.Map<Long, Runnable> delayed = new java.util.HashMap<>();

    StageVerticle(Stage stage) {
        this.stage = stage;
    }

    @Override
    public Future<?> start() {
        rt = Runtime.of(config().getString(Pipeline.CONFIG_ID));
        nextAddress = Pipeline.address(rt.options, stage.next());
        init();
        consumer = vertx.eventBus().localConsumer(Pipeline.address(rt.options, stage), this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        // the context's timers die with it: finish held batches now (forward, or release if timed out)
        for (Map.Entry<Long, Runnable> e : java.util.List.copyOf(delayed.entrySet())) {
            vertx.cancelTimer(e.getKey());
            e.getValue().run();
        }
        delayed.clear();
        // batches still queued for this instance stay in TRANSIT; the watchdog fails them as LOST
        return consumer.unregister();
    }

    /** Called once in start(), on this verticle's context. */
    void init() {
    }

    /** The stage's work on a held batch; throwing fails the batch. */
    abstract void work(Ledger ledger, int slot, SoaBuffer b);

    private void onMessage(Message<SoaBuffer> msg) {
        SoaBuffer b = msg.body();
        Ledger ledger = Ledger.of(b);
        int slot = b.slot();
        int gen = b.generation();
        if (ledger == null || !ledger.move(slot, word(gen, stage.ordinal(), TRANSIT),
                word(gen, stage.ordinal(), HELD), System.nanoTime())) {
            rt.staleDeliveries.incrementAndGet(); // failed as LOST already, or not ours: touch nothing
            return;
        }
        long delay;
        try {
            delay = rt.faults.before(stage, ledger.seq[slot]);
            work(ledger, slot, b);
        } catch (Throwable t) {
            fail(ledger, slot, gen, t);
            return;
        }
        if (delay > 0) {
            Runnable finish = () -> forward(ledger, slot, gen, b);
            long[] timer = new long[1];
            timer[0] = vertx.setTimer(delay, id -> {
                delayed.remove(timer[0]);
                finish.run();
            });
            delayed.put(timer[0], finish);
        } else {
            forward(ledger, slot, gen, b);
        }
    }

    private void forward(Ledger ledger, int slot, int gen, SoaBuffer b) {
        if (ledger.move(slot, word(gen, stage.ordinal(), HELD), word(gen, stage.ordinal() + 1, TRANSIT),
                System.nanoTime())) {
            vertx.eventBus().send(nextAddress, b, Pipeline.HOP);
        } else {
            ledger.release(slot); // timed out while held: counted by the watchdog, ours to send home
        }
    }

    /** Holder side of a failure: counts it unless the watchdog already counted a timeout. */
    private void fail(Ledger ledger, int slot, int gen, Throwable t) {
        boolean first = ledger.move(slot, word(gen, stage.ordinal(), HELD),
            word(gen, stage.ordinal(), TIMED_OUT), System.nanoTime());
        long seq = ledger.seq[slot];
        IngestStream stream = ledger.stream[slot];
        ledger.release(slot);
        if (first) {
            rt.failed(seq, stream, Failure.EXCEPTION, stage, t);
        }
    }
}
