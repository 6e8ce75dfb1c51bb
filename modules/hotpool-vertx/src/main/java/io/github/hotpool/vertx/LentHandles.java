package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;

import java.util.function.Function;

/**
 * Consumer side of handle hand-over: wraps work on a received {@link SoaBuffer} into an event-bus
 * handler that ends the consumer's part of the handle's ownership when the work completes.
 * Stateless; thread-safe; the handler runs on the consumer's context.
 */
public final class LentHandles {

    /** Failure code the handler uses in {@link Message#fail} when the work fails. */
    public static final int WORK_FAILED = 500;

    private LentHandles() {
    }

    /**
     * A handler that runs {@code work} on the received handle and, when the work's future completes:
     * <ul>
     *   <li>for a handle lent by {@link ContextPool#request}: marks it done and replies with the result
     *   (the requester releases it); if the requester already timed out, releases it here instead;</li>
     *   <li>for a handle sent or requested otherwise: ownership moved here, so it releases it, then
     *   replies if a reply is expected.</li>
     * </ul>
     * A failed future, a thrown exception or a null future becomes {@code fail(WORK_FAILED, message)}.
     * The handle must not be used after the work's future completes.
     *
     * @param work reads the handle; its result is the reply body (any event-bus-sendable value or null)
     */
    public static <T> Handler<Message<SoaBuffer>> handler(Function<SoaBuffer, Future<T>> work) {
        return msg -> {
            SoaBuffer b = msg.body();
            int slot = b.slot();
            int gen = b.generation();
            ContextPool home = ContextPools.home(b.pool());
            boolean lent = home != null && home.lending.table.phase(slot, gen) == LendingTable.LENT;
            Future<T> f;
            try {
                f = work.apply(b);
                if (f == null) {
                    f = Future.failedFuture(new IllegalStateException("handle work returned a null future"));
                }
            } catch (Throwable t) {
                f = Future.failedFuture(t);
            }
            f.onComplete(ar -> {
                finish(home, b, slot, gen, lent);
                if (msg.replyAddress() == null) {
                    return;
                }
                if (ar.succeeded()) {
                    msg.reply(ar.result());
                } else {
                    msg.fail(WORK_FAILED, String.valueOf(ar.cause().getMessage()));
                }
            });
        };
    }

    private static void finish(ContextPool home, SoaBuffer b, int slot, int gen, boolean lent) {
        if (lent) {
            if (home.lending.table.move(slot, gen, LendingTable.DONE)) {
                return; // the requester releases when the reply arrives
            }
            home.lending.table.clear(slot, gen); // the requester gave up (timeout): the last reader releases
        }
        if (home != null) {
            home.releaseLease(b, gen);
        } else {
            b.pool().release(b, gen);
        }
    }
}
