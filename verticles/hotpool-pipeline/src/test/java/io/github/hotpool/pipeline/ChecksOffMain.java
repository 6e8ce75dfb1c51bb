package io.github.hotpool.pipeline;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.NTriplesParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link ChecksOffTest} in a child JVM with {@code -Dhotpool.checks=false}: the lane
 * bounds check is a static final read at class initialisation, so only a fresh JVM can turn it
 * off. Prints one line per finding and exits 0 when the 9th-lane guard and the pipeline held.
 */
public final class ChecksOffMain {

    private ChecksOffMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> failures = new ArrayList<>();
        if (!checksAreOff()) {
            System.out.println("checks are on in this JVM: run it with -Dhotpool.checks=false");
            System.exit(2);
        }
        try {
            guard(failures);
        } catch (RuntimeException e) {
            failures.add("guard: " + e);
        }
        try {
            pipeline(failures);
        } catch (Exception e) {
            failures.add("pipeline: " + e);
        }
        failures.forEach(System.out::println);
        System.out.println(failures.isEmpty() ? "all ok" : failures.size() + " failures");
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /**
     * Whether Hotpool's own guards are off in this JVM. Read from the switch's property, not probed
     * by writing lane 8: on Java 22+ the memory-segment path bounds every access by the JDK itself,
     * so a probe would throw there whatever the switch says.
     */
    private static boolean checksAreOff() {
        return "false".equalsIgnoreCase(System.getProperty("hotpool.checks"));
    }

    /** TransformVerticle.parse on a staged line of nine statements: the neighbour slot is untouched. */
    private static void guard(List<String> failures) {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(2));
        Ledger ledger = new Ledger(pool, 1024);
        SoaBuffer x = pool.acquire(8);
        SoaBuffer y = pool.acquire(8);
        SoaBuffer target = x.slot() < y.slot() ? x : y;
        SoaBuffer neighbour = target == x ? y : x;
        for (int lane = 0; lane < 8; lane++) {
            neighbour.set(lane, 1000 + lane, 2000 + lane, 3000 + lane);
        }
        FramingTest.stageOneLine(ledger, target.slot(), FramingTest.nineCrSeparated(), 7);
        NTriplesParser parser = new NTriplesParser(1025, NTriplesParser.ErrorPolicy.SKIP);
        TransformVerticle.LaneSink sink = new TransformVerticle.LaneSink();
        parser.errorHandler(sink);

        TransformVerticle.parse(parser, sink, ledger, target.slot(), target, null);

        long[][] expected = new long[9][];
        NTriplesParser reference = new NTriplesParser();
        byte[] lf = FramingTest.nineCrSeparated().replace('\r', '\n').getBytes(StandardCharsets.UTF_8);
        int[] n = {0};
        reference.feed(lf, 0, lf.length, (s, p, o) -> expected[n[0]++] = new long[] {s, p, o});
        if (target.length() != 8) {
            failures.add("guard: length " + target.length() + ", expected 8");
        }
        for (int lane = 0; lane < 8; lane++) {
            if (target.subject(lane) != expected[lane][0] || target.predicate(lane) != expected[lane][1]
                || target.object(lane) != expected[lane][2]) {
                failures.add("guard: lane " + lane + " of the batch does not hold statement " + lane);
            }
            if (neighbour.subject(lane) != 1000 + lane || neighbour.predicate(lane) != 2000 + lane
                || neighbour.object(lane) != 3000 + lane) {
                failures.add("guard: lane " + lane + " of the neighbouring slot was overwritten");
            }
        }
        if (ledger.stream[target.slot()].badLines.get() != 1) {
            failures.add("guard: " + ledger.stream[target.slot()].badLines.get() + " bad lines, expected 1");
        }
        if (failures.isEmpty()) {
            System.out.println("guard ok");
        }
    }

    /** The whole pipeline over CR-separated statements: the receipts and head of the LF input. */
    private static void pipeline(List<String> failures) throws Exception {
        byte[] cr = (FramingTest.nineCrSeparated().repeat(5)).getBytes(StandardCharsets.UTF_8);
        byte[] lf = new String(cr, StandardCharsets.UTF_8).replace('\r', '\n').getBytes(StandardCharsets.UTF_8);
        Direct direct = Direct.run(lf, TestData.hooks(), 1024);
        Vertx vertx = Vertx.vertx();
        try {
            Pipeline p = get(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson())));
            JsonObject summary = get(p.ingest(Buffer.buffer(cr), "cr"));
            String head = get(p.flush()).getString("head");
            PipelineStats s = p.stats();
            get(p.undeploy());
            int before = failures.size();
            if (summary.getLong("triples") != direct.triples || summary.getLong("failedBatches") != 0) {
                failures.add("pipeline: " + summary.encode() + ", expected triples=" + direct.triples);
            }
            if (s.receipts() != direct.receipts || !head.equals(direct.head)) {
                failures.add("pipeline: receipts " + s.receipts() + " head " + head + ", expected "
                    + direct.receipts + " " + direct.head);
            }
            if (!s.recentErrors().isEmpty()) {
                failures.add("pipeline: errors " + s.recentErrors());
            }
            if (failures.size() == before) {
                System.out.println("pipeline ok");
            }
        } finally {
            get(vertx.close());
        }
    }

    private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
        return f.await(30, TimeUnit.SECONDS);
    }
}
