package io.github.hotpool.vertx;

import io.github.hotpool.core.Ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A span handle: rows {@code [first, first + count)} of one {@link SpanRing}, held by one stage of
 * its chain, sent over the local event bus as the same object (zero copy, see {@link SpanCodec}).
 * Thread-safety: the holding stage's thread calls {@link #complete()} and {@link #fail(int)}; the
 * getters are meant for that thread too. A stage may have several instances, each on its own
 * thread, completing their spans in any order: the cursor protocol below is lock-free and moves
 * the stage's cursor over each span exactly once, in sequence order.
 * <p><b>RAII.</b> A stage that received a span ends it exactly once: {@link #complete()} passes its
 * rows on (advances the stage's cursor and sends the span to the next stage), {@link #fail(int)}
 * marks every row failed first and then does the same, so nothing stays held. Both are idempotent:
 * a second call on the same delivery does nothing. Once the span has moved on, though, the object
 * is the next stage's: a call from the stage before it would end that stage's delivery, so a stage
 * that may call late keeps the {@link #generation()} it took the span with and ends it with {@link
 * #complete(long)} or {@link #fail(long, int)}, which act on that delivery alone (the stage
 * framework's {@code SpanStage} checks likewise; the consumer's own failure of a throwing handler
 * fails exactly the delivery it took). A stage may end its spans out of order: a span
 * whose predecessors are not ended yet waits, and the cursor moves over it when they are.
 *
 * <p><b>Reuse.</b> A ring has one span object per row index; the producer reuses the object of
 * index {@code first & (capacity - 1)} for the next span starting there, which it can only claim
 * after the last stage ended the old one. Each send gives the span a new {@link #generation()}; a
 * receiving stage takes a delivery only with a compare-and-set on (generation, state), so a
 * duplicated or stale message never takes a span twice (see {@link SpanRing#consumer}).
 */
public final class Span {

    /** Reason code {@link SpanRing#consumer} fails a span with when the stage's handler throws. */
    public static final int REASON_HANDLER_THREW = Ring.MAX_FAIL_REASON;

    /*
     * stamp = (generation << 8) | (holder << 3) | state, volatile: one word, so the holder and the
     * state are always read together. first and count are written by the producer while the span
     * is IDLE, before the release store that sends it; a receiver acquire-loads the stamp, reads
     * them, and takes the span only if its CAS from that very stamp succeeds, so nobody rewrote
     * them meanwhile (the producer rewrites a span only after its last stage set it IDLE).
     *
     * Every change of a sent span is a CAS from the state it was seen in, so that of several
     * threads acting on one span (instances of a stage, the watchdog) exactly one wins each step:
     *   SENT    -> TAKEN    a receiver takes the delivery (or the watchdog, to fail it)
     *   TAKEN   -> WAITING  its holder completes it: ended, waiting for the cursor to reach it
     *   TAKEN   -> ENDING   its holder (or the watchdog) fails it; marks the rows, then -> WAITING
     *   WAITING -> PASSING  whoever finds it at the stage's cursor passes it on: advances the
     *                       cursor, then SENT to the next stage (generation + 1) or IDLE
     * A thread that ended a span then drains the stage: while the span at the cursor is WAITING,
     * it claims it (-> PASSING) and passes it. Dekker pair: the ender's CAS to WAITING, a fence,
     * then its read of the cursor; the passer's cursor store, a fence, then its read of the next
     * span's stamp. So either the ender sees the cursor at its span, or the passer sees the span
     * WAITING (or both, and the PASSING CAS picks one): no span is left waiting at the cursor.
     */
    static final int IDLE = 0;
    static final int SENT = 1;
    static final int TAKEN = 2;
    static final int WAITING = 3;
    static final int ENDING = 4;
    static final int PASSING = 5;
    private static final int HOLDER_SHIFT = 3;
    private static final int GENERATION_SHIFT = 8; // holder: 5 bits, RingOptions.MAX_STAGES = 32
    private static final VarHandle STAMP;

    static {
        try {
            STAMP = MethodHandles.lookup().findVarHandle(Span.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SpanRing<?> home;
    long first;
    int count;
    @SuppressWarnings("unused") // through STAMP
    private volatile long stamp;

    Span(SpanRing<?> home) {
        this.home = home;
    }

    /** @return the ring the rows are in */
    public Ring ring() {
        return home.ring();
    }

    /** @return the span ring the rows are in */
    public SpanRing<?> spanRing() {
        return home;
    }

    /** @return the stage index that holds the span (a stage of {@link #ring()}) */
    public int stage() {
        return holder(lvStamp());
    }

    /** @return the first sequence of the span */
    public long first() {
        return first;
    }

    /** @return rows in the span, at least 1 */
    public int count() {
        return count;
    }

    /** @return the first sequence after the span, {@code first + count} */
    public long end() {
        return first + count;
    }

    /** @return how many times this span object was sent (its lease generation) */
    public long generation() {
        return generation(lvStamp());
    }

    /**
     * The holding stage's thread: ends this delivery by passing the rows on: the stage's cursor
     * moves to {@link #end()} (once every earlier span of the stage ended too) and the span goes to
     * the next stage, or back to the producer from the last one. Allocation-free apart from the
     * event-bus send. Idempotent: does nothing if this delivery was ended already.
     *
     * @return true if this call ended the delivery
     */
    public boolean complete() {
        return completeFrom(lvStamp());
    }

    /**
     * {@link #complete()} for the delivery this stage took with {@code generation} (its {@link
     * #generation()} when the handler got it) only: a stage that may end its spans late, from a
     * timer or a callback, ends its own delivery this way and never the next stage's, which holds
     * the same object under a later generation once the span has moved on.
     *
     * @param generation the generation the span had when this stage took it
     * @return true if this call ended that delivery; false if it had ended or the span moved on
     */
    public boolean complete(long generation) {
        long s = lvStamp();
        return generation(s) == generation && completeFrom(s);
    }

    /**
     * {@link #fail(int)} for the delivery this stage took with {@code generation} only; see
     * {@link #complete(long)}.
     *
     * @param generation the generation the span had when this stage took it
     * @param reason the stage's reason code, 0..{@value Ring#MAX_FAIL_REASON}
     * @return true if this call ended that delivery
     * @throws IllegalArgumentException if {@code reason} is out of range; nothing changes then
     */
    public boolean fail(long generation, int reason) {
        checkReason(reason);
        long s = lvStamp();
        return generation(s) == generation && failFrom(s, reason);
    }

    private boolean completeFrom(long s) {
        if (state(s) != TAKEN || !casStamp(s, stamp(generation(s), holder(s), WAITING))) {
            return false;
        }
        home.drain(holder(s));
        return true;
    }

    private void checkReason(int reason) {
        if (reason < 0 || reason > Ring.MAX_FAIL_REASON) {
            throw new IllegalArgumentException("fail reason must be in [0, " + Ring.MAX_FAIL_REASON + "]: " + reason
                + " (span of " + count + " rows from " + first + ")");
        }
    }

    /**
     * The holding stage's thread: marks every row of the span failed with {@code reason} (later
     * stages see it in {@code Ring.isFailed}, {@code failedBy}, {@code failReason}; a row failed
     * earlier keeps its first failure), then ends the delivery as {@link #complete()} does.
     * Idempotent.
     *
     * @param reason the stage's reason code, 0..{@value Ring#MAX_FAIL_REASON}
     * @return true if this call ended the delivery
     * @throws IllegalArgumentException if {@code reason} is out of range; the span is then untouched,
     *     still the stage's to complete or fail
     */
    public boolean fail(int reason) {
        // checked before the span leaves TAKEN: thrown from the row loop below, it left the span
        // ENDING for good, which neither complete(), fail() nor the watchdog can end, and the ring
        // stopped behind it
        checkReason(reason);
        return failFrom(lvStamp(), reason);
    }

    private boolean failFrom(long s, int reason) {
        int holder = holder(s);
        if (state(s) != TAKEN || !casStamp(s, stamp(generation(s), holder, ENDING))) {
            return false;
        }
        Ring r = home.ring();
        try {
            for (long seq = first, end = first + count; seq < end; seq++) {
                r.fail(holder, seq, reason);
            }
        } finally {
            // whatever a row's failure threw, the delivery ends: nothing stays held
            setStamp(stamp(generation(s), holder, WAITING));
            home.drain(holder);
        }
        return true;
    }

    long lvStamp() {
        return (long) STAMP.getAcquire(this);
    }

    void setStamp(long s) {
        STAMP.setRelease(this, s);
    }

    boolean casStamp(long expected, long next) {
        return STAMP.compareAndSet(this, expected, next);
    }

    static long stamp(long generation, int holder, int state) {
        return (generation << GENERATION_SHIFT) | ((long) holder << HOLDER_SHIFT) | state;
    }

    static int state(long stamp) {
        return (int) stamp & 7;
    }

    static int holder(long stamp) {
        return (int) (stamp >>> HOLDER_SHIFT) & 31;
    }

    static long generation(long stamp) {
        return stamp >>> GENERATION_SHIFT;
    }

    @Override
    public String toString() {
        long s = lvStamp();
        return "Span{ring=" + home.ring().name() + ", stage=" + holder(s) + ", first=" + first + ", count=" + count
            + ", generation=" + generation(s) + ", state=" + state(s) + '}';
    }
}
