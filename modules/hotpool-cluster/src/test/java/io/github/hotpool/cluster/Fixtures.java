package io.github.hotpool.cluster;

import io.github.hotpool.pipeline.GuardPipeline;
import io.github.hotpool.pipeline.PipelineOptions;
import io.github.hotpool.pipeline.LockchainOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared by the cluster tests: the bundled data, hooks over it, a single-node reference run. */
final class Fixtures {

    static final String DATA = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";

    private Fixtures() {
    }

    private static final String CLUSTER = "hotpool-test-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    /**
     * Options of a cluster of this test JVM's own (a name no other run on the machine uses), so that
     * a stray node, or another build's test, can never be placed on.
     */
    static ClusterOptions isolated() {
        return new ClusterOptions().setClusterName(CLUSTER);
    }

    static byte[] data() throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(DATA)) {
            if (in == null) {
                throw new IOException("test resource " + DATA + " missing (hotpool-sample-data)");
            }
            return in.readAllBytes();
        }
    }

    /** Hooks that fire on the bundled schema.org data (several per batch). */
    static JsonArray hooks() {
        String type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
        return new JsonArray()
            .add(new JsonObject().put("name", "declares-class").put("op", "ASK_OP").put("predicate", type)
                .put("object", "<http://www.w3.org/2000/01/rdf-schema#Class>"))
            .add(new JsonObject().put("name", "two-properties").put("op", "COUNT_OP_GE").put("predicate", type)
                .put("object", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>").put("k", 2))
            .add(new JsonObject().put("name", "pending-term").put("op", "ASK_OP")
                .put("predicate", "<https://schema.org/isPartOf>").put("object", "<https://pending.schema.org>"));
    }

    static PipelineOptions options(Path out) {
        return new PipelineOptions().setHooks(hooks())
            .setLockchain(new LockchainOptions().setOutDir(out == null ? null : out.toString()).setCycleReceipts(256));
    }

    /** The head of a single-node ring-pipeline run over {@code data} (chain written to {@code out}). */
    static String singleNodeHead(byte[] data, Path out) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            GuardPipeline p = await(GuardPipeline.deploy(vertx, options(out)));
            await(p.ingest(Buffer.buffer(data), "bundled", null));
            String head = await(p.flush()).getString("head");
            await(p.undeploy());
            return head;
        } finally {
            await(vertx.close());
        }
    }

    /** (cycle = batch sequence, hookId) of every receipt line, with how often it occurs. */
    static Map<String, Integer> receiptKeys(Path dir) throws IOException {
        Map<String, Integer> keys = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("receipts.jsonl"));
        for (String l : lines) {
            JsonObject r = new JsonObject(l);
            keys.merge(r.getLong("cycle") + "/" + r.getInteger("hookId") + "/" + r.getString("result"), 1, Integer::sum);
        }
        return keys;
    }

    /** {@link #receiptKeys(Path)} of the first {@code limit} receipt lines only (what a verifier read). */
    static Map<String, Integer> receiptKeys(Path dir, long limit) throws IOException {
        Map<String, Integer> keys = new HashMap<>();
        try (var lines = Files.lines(dir.resolve("receipts.jsonl"))) {
            lines.limit(limit).forEach(l -> {
                JsonObject r = new JsonObject(l);
                keys.merge(r.getLong("cycle") + "/" + r.getInteger("hookId") + "/" + r.getString("result"), 1, Integer::sum);
            });
        }
        return keys;
    }

    /** {@link #receiptKeys(Path)} grouped by the batch sequence (the receipt's cycle). */
    static Map<Long, Map<String, Integer>> receiptKeysBySeq(Path dir) throws IOException {
        Map<Long, Map<String, Integer>> bySeq = new HashMap<>();
        receiptKeys(dir).forEach((k, n) -> bySeq.computeIfAbsent(Long.parseLong(k.substring(0, k.indexOf('/'))),
            x -> new HashMap<>()).put(k, n));
        return bySeq;
    }

    /** Statement lines of {@code data}: not blank, not a comment. */
    static long statementLines(byte[] data) {
        long n = 0;
        for (String l : new String(data, java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                n++;
            }
        }
        return n;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
