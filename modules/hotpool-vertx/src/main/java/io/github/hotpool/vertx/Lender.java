package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;

/**
 * Lending of one {@link ContextPool}'s buffers over the event bus: sends a buffer by request and
 * decides, through the pool's {@link LendingTable}, whether the reply or the reader gives it back.
 *
 * <p>Thread-safety: {@link #request} may run on any thread; the table's transitions are CASes.
 */
final class Lender {

    private final ContextPool home;
    private final ContextInternal context;
    final LendingTable table;

    Lender(ContextPool home, ContextInternal context, int slots) {
        this.home = home;
        this.context = context;
        this.table = new LendingTable(slots);
    }

    <R> Future<Message<R>> request(String address, SoaBuffer lent, DeliveryOptions options) {
        int slot = lent.slot();
        int gen = lent.generation();
        table.lend(slot, gen);
        Future<Message<R>> reply;
        try {
            reply = options == null
                ? context.owner().eventBus().request(address, lent)
                : context.owner().eventBus().request(address, lent, options);
        } catch (RuntimeException e) {
            table.clear(slot, gen);
            home.releaseLease(lent, gen);
            return context.failedFuture(e);
        }
        return reply.andThen(ar -> settle(lent, slot, gen, ar.cause()));
    }

    private void settle(SoaBuffer lent, int slot, int gen, Throwable failure) {
        boolean timedOut = failure instanceof ReplyException
            && ((ReplyException) failure).failureType() == ReplyFailure.TIMEOUT;
        if (timedOut && table.move(slot, gen, LendingTable.ABANDONED)) {
            return; // the consumer is still reading: it releases when it is done
        }
        table.clear(slot, gen);
        home.releaseLease(lent, gen);
    }
}
