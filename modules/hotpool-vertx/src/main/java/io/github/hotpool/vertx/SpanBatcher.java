package io.github.hotpool.vertx;

import io.github.hotpool.core.Ring;
import io.vertx.core.Handler;

/**
 * The producer side of a {@link SpanRing}: claims rows, publishes them, and sends them to the
 * ring's first stage as spans of at most {@code maxSpanRows} rows; a partial span is sent once
 * {@code lingerMillis} passed since its first row. Thread-safety: owner thread only (the ring's
 * producer), except {@link #spansSent()}.
 *
 * <pre>{@code
 * long first = batcher.tryClaim(n);            // NO_ROOM: the ring is full; onRoom runs here when it is not
 * if (first == Ring.NO_ROOM) return;           // (pause the input; resume it in onRoom)
 * ... write rows first .. first + n - 1 through ring.row(Ring.PRODUCER) ...
 * batcher.publish();                           // sends the span once full; the linger sends a partial one
 * }</pre>
 *
 * <p>The linger is one periodic Vert.x timer on the owner context, every {@code lingerMillis}, made
 * with the batcher and cancelled by {@link #close()}: a partial span is sent between
 * {@code lingerMillis} and twice that after its first row, with nothing allocated per span. A
 * claim that finds the ring full sends the open span at once, since its rows can only come back
 * through the stages.
 */
public final class SpanBatcher {

    private final SpanRing<?> home;
    private final Ring ring;
    private final int maxSpanRows;
    private final long lingerNanos;
    private final long timerId;
    private final Handler<Long> tick = this::tick;
    private long openFirst;
    private int openCount;
    private long openedNanos;
    private long spansSent;
    private Runnable onRoom;
    private boolean closed;

    SpanBatcher(SpanRing<?> home, SpanOptions options) {
        SpanOptions o = new SpanOptions(options).validate();
        this.home = home;
        this.ring = home.ring();
        if (o.getMaxSpanRows() > ring.capacity()) {
            throw new IllegalArgumentException("maxSpanRows must be at most the capacity " + ring.capacity() + " of ring '"
                + ring.name() + "': " + o.getMaxSpanRows());
        }
        this.maxSpanRows = o.getMaxSpanRows();
        this.lingerNanos = o.getLingerMillis() * 1_000_000L;
        this.timerId = home.ownerContext().setPeriodic(o.getLingerMillis(), tick);
    }

    /**
     * Owner thread: what to run, on the owner context, when a full ring has room again after
     * {@link #tryClaim} answered {@link Ring#NO_ROOM}; typically resumes the input. May run when
     * there is still no room (a spurious wake-up): retry, and wait again if the claim fails.
     *
     * @param onRoom quick, non-throwing; null for none
     * @return this
     */
    public SpanBatcher onRoom(Runnable onRoom) {
        this.onRoom = onRoom;
        return this;
    }

    /**
     * Owner thread: claims {@code n} zeroed rows to write, allocation-free. If the open span could
     * not take them, it is sent first.
     *
     * @param n rows, 1..maxSpanRows
     * @return the first claimed sequence, or {@link Ring#NO_ROOM}: the ring is full, the open span
     *     was sent, and {@link #onRoom} will run when a row is freed
     * @throws IllegalArgumentException if n is outside [1, maxSpanRows]
     * @throws IllegalStateException after {@link #close()}
     */
    public long tryClaim(int n) {
        if (closed) {
            throw new IllegalStateException("batcher of ring '" + ring.name() + "' is closed");
        }
        if (n < 1 || n > maxSpanRows) {
            throw new IllegalArgumentException("cannot claim " + n + " rows in a span: n must be in [1, maxSpanRows "
                + maxSpanRows + "]");
        }
        if (openCount + n > maxSpanRows) {
            flush();
        }
        long first = ring.tryClaimOrArm(n);
        if (first == Ring.NO_ROOM && ring.isAdaptive() && ring.maintain(System.nanoTime()) > 0) {
            // an adaptive ring grows off the claim itself, here on its "no room" path: the new
            // slab takes sequences from claimed() on, the rows in flight keep theirs
            first = ring.tryClaimOrArm(n);
        }
        if (first == Ring.NO_ROOM) {
            flush();
        }
        return first;
    }

    /**
     * Owner thread: publishes every claimed row and adds it to the open span, which is sent once
     * it holds maxSpanRows rows. Allocation-free apart from the event-bus send.
     */
    public void publish() {
        long pub = ring.published();
        long upTo = ring.claimed();
        if (upTo == pub) {
            return;
        }
        ring.publish(upTo);
        if (openCount == 0) {
            openFirst = pub;
            openedNanos = System.nanoTime();
        }
        openCount += (int) (upTo - pub);
        if (openCount >= maxSpanRows) {
            flush();
        }
    }

    /** Owner thread: sends the open span now, if it has rows. */
    public void flush() {
        if (openCount == 0) {
            return;
        }
        int n = openCount;
        openCount = 0;
        spansSent++;
        home.send(openFirst, n);
    }

    /** @return rows published and not yet sent; owner thread */
    public int openRows() {
        return openCount;
    }

    /** @return spans sent so far (full, partial after linger, or flushed); owner thread */
    public long spansSent() {
        return spansSent;
    }

    /** Owner thread: sends the open span and stops the linger timer; the batcher claims nothing more. */
    public void close() {
        if (!closed) {
            flush();
            closed = true;
            home.context().owner().cancelTimer(timerId);
            ring.disarm();
        }
    }

    private void tick(long id) {
        long now = System.nanoTime();
        if (openCount > 0 && now - openedNanos >= lingerNanos) {
            flush();
        }
        // the owner's timer is the adaptive ring's policy clock: it shrinks after an idle period,
        // and a growth here frees a producer that waits for room (its armed wake-up is taken back)
        if (ring.isAdaptive() && ring.maintain(now) > 0 && ring.disarm() && onRoom != null) {
            onRoom.run();
        }
    }

    /** Owner thread, from the ring's wake-up task. */
    void roomCame() {
        Runnable r = onRoom;
        if (r != null && !closed) {
            r.run();
        }
    }
}
