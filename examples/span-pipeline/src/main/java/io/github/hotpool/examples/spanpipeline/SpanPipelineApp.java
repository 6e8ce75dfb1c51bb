package io.github.hotpool.examples.spanpipeline;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.pipeline.stage.RowSource;
import io.github.hotpool.pipeline.stage.RowStage;
import io.github.hotpool.pipeline.stage.SpanStage;
import io.github.hotpool.pipeline.stage.StagePipeline;
import io.github.hotpool.vertx.Span;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A Vert.x application with its own pipeline on the stage framework, about numbers rather than
 * RDF: a source writes 1..n into Δ-ring rows (lane 0's subject), {@code collatz} writes each
 * number's Collatz stopping time (steps to reach 1) into the object, {@code limit} fails the rows
 * whose stopping time exceeds a limit (reason {@link #TOO_LONG}, counted by the framework), and
 * {@code aggregate} sums the stopping times of the rows that got through and keeps the longest.
 */
public final class SpanPipelineApp {

    /** Reason code of the {@code limit} stage. */
    public static final int TOO_LONG = 1;

    private SpanPipelineApp() {
    }

    /** The numbers 1..n. */
    static final class Numbers implements RowSource {
        private final long n;
        private long next = 1;

        Numbers(long n) {
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return next <= n;
        }

        @Override
        public void write(DeltaRing.Row row) {
            row.set(0, next++, 0, 0).length(1);
        }
    }

    /** Stopping time of the row's number into its object lane. */
    static final class Collatz extends RowStage {
        @Override
        protected void process(DeltaRing.Row row) {
            row.setObject(0, stoppingTime(row.subject(0)));
        }
    }

    /** Fails the rows whose stopping time exceeds the limit. */
    static final class Limit extends RowStage {
        private final long limit;

        Limit(long limit) {
            this.limit = limit;
        }

        @Override
        protected void process(DeltaRing.Row row) {
            if (row.object(0) > limit) {
                fail(row, TOO_LONG);
            }
        }
    }

    /** Sums what got through; a span at a time (the last stage). */
    static final class Aggregate extends SpanStage {
        volatile long count;
        volatile long sum;
        volatile long longest;
        volatile long longestOf;
        volatile long rejected;

        @Override
        protected void process(Span span) {
            DeltaRing.Row r = rows();
            long c = 0;
            long s = 0;
            long rej = 0;
            for (long seq = span.first(); seq < span.end(); seq++) {
                r.at(seq);
                if (r.isFailed()) {
                    rej++;
                    continue;
                }
                long steps = r.object(0);
                c++;
                s += steps;
                if (steps > longest) {
                    longest = steps;
                    longestOf = r.subject(0);
                }
            }
            count += c;
            sum += s;
            rejected += rej;
            complete(span);
        }
    }

    /**
     * @param x a number, at least 1
     * @return the steps of x -> x/2 (even) or 3x+1 (odd) until 1
     */
    public static long stoppingTime(long x) {
        long steps = 0;
        while (x != 1) {
            x = (x & 1) == 0 ? x >>> 1 : 3 * x + 1;
            steps++;
        }
        return steps;
    }

    /**
     * Declares, deploys and runs the pipeline over 1..n, then undeploys it.
     *
     * @param vertx the Vert.x instance
     * @param n how many numbers
     * @param limit longest stopping time let through
     * @return {@code {count, sum, longest, longestOf, rejected, stats}}
     */
    public static Future<JsonObject> run(Vertx vertx, long n, long limit) {
        return StagePipeline.builder().name("collatz")
            .source("numbers", () -> new Numbers(n))
            .stage("collatz", Collatz::new, 2)                  // the costly stage: two instances, two event loops
            .stage("limit", () -> new Limit(limit), 1)
            .stage("aggregate", Aggregate::new, 1)
            .sharedContext("tail", "limit", "aggregate")         // two light stages on one event loop
            .ringCapacity(1024).span(new SpanOptions().setMaxSpanRows(64))
            .deploy(vertx)
            .compose(p -> p.finished().compose(done -> {
                Aggregate a = (Aggregate) p.stage("aggregate");
                JsonObject result = new JsonObject().put("count", a.count).put("sum", a.sum).put("longest", a.longest)
                    .put("longestOf", a.longestOf).put("rejected", a.rejected);
                return p.undeploy().map(stats -> result.put("stats", stats.toJson()));
            }));
    }

    /**
     * Runs the pipeline and prints its result.
     *
     * @param args [n (default 100000) [limit (default 200)]]
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        long limit = args.length > 1 ? Long.parseLong(args[1]) : 200;
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject r = run(vertx, n, limit).await(); // main thread: Future.await may block it
            JsonObject stats = (JsonObject) r.remove("stats");
            System.out.println("numbers 1.." + n + ", stopping time limit " + limit + ": " + r.encode());
            System.out.println("stats: " + stats.encode());
        } finally {
            vertx.close().await();
        }
    }
}
