package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.vertx.Span;
import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Sources, stages and waits shared by the stage framework's tests. */
final class StageTesting {

    private StageTesting() {
    }

    /** Waits for a future; a deadline that fails the test. */
    static <T> T await(Future<T> f) throws Exception {
        return f.await(20, TimeUnit.SECONDS);
    }

    /** Waits for a condition; fails after 20 s. */
    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Rows 0..n-1 (n < 0: endless); row i holds (i, 1, 3i). */
    static class Numbers implements RowSource {
        final long n;
        long i;

        Numbers(long n) {
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return n < 0 || i < n;
        }

        @Override
        public void write(DeltaRing.Row row) {
            long v = i++;
            row.set(0, v, 1, 3 * v).length(1);
        }
    }

    /** Checks each row is the next one and intact, then sets its predicate lane to this stage's mark. */
    static class Check extends RowStage {
        final long mark;
        long expected;
        volatile String error;

        Check(long mark) {
            this.mark = mark;
        }

        @Override
        protected void process(DeltaRing.Row row) {
            long s = row.sequence();
            if (error == null && (row.subject(0) != s || row.object(0) != 3 * s || row.predicate(0) != mark - 1
                || s < expected || row.length() != 1)) {
                error = "row " + s + " after " + expected + ": " + row.subject(0) + " " + row.predicate(0) + " "
                    + row.object(0);
            }
            expected = s + 1;
            row.setPredicate(0, mark);
        }
    }

    /** The last stage: counts rows seen, failed rows by (stage, reason), sums subjects of good rows. */
    static class Sink extends SpanStage {
        volatile long good;
        volatile long failed;
        volatile long sum;
        volatile long lastFailedBy = -9;
        volatile long lastFailReason = -9;
        volatile String error;
        long next;

        @Override
        protected void process(Span span) throws Exception {
            DeltaRing.Row r = rows();
            for (long s = span.first(); s < span.end(); s++) {
                r.at(s);
                if (s != next && error == null) {
                    error = "row " + s + " arrived, expected " + next;
                }
                next = s + 1;
                if (r.isFailed()) {
                    failed++;
                    lastFailedBy = r.failedBy();
                    lastFailReason = r.failReason();
                } else {
                    good++;
                    sum += r.subject(0);
                }
            }
            complete(span);
        }
    }
}
