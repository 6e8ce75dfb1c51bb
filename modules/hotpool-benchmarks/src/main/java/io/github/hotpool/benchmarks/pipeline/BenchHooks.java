package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookConfig;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The hooks and input every pipeline variant runs: triple-guard's bundled schema.org hooks. */
final class BenchHooks {

    static final String DATA = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    static final String TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
    static final String JSON = "["
        + "{\"name\":\"declares-class\",\"op\":\"ASK_OP\",\"predicate\":\"" + esc(TYPE) + "\","
        + "\"object\":\"<http://www.w3.org/2000/01/rdf-schema#Class>\"},"
        + "{\"name\":\"two-properties\",\"op\":\"COUNT_OP_GE\",\"predicate\":\"" + esc(TYPE) + "\","
        + "\"object\":\"<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property>\",\"k\":2},"
        + "{\"name\":\"pending-term\",\"op\":\"ASK_OP\",\"predicate\":\"<https://schema.org/isPartOf>\","
        + "\"object\":\"<https://pending.schema.org>\"},"
        + "{\"name\":\"subclass-of-thing\",\"op\":\"ASK_OP\",\"predicate\":\"<http://www.w3.org/2000/01/rdf-schema#subClassOf>\","
        + "\"object\":\"<https://schema.org/Thing>\"},"
        + "{\"name\":\"superseded\",\"op\":\"CONSTRUCT8\",\"predicate\":\"<https://schema.org/supersededBy>\","
        + "\"object\":\"<https://schema.org/Deprecated>\"},"
        + "{\"name\":\"thing-is-a-class\",\"op\":\"ASK_SPO\",\"predicate\":\"" + esc(TYPE) + "\","
        + "\"subject\":\"<https://schema.org/Thing>\",\"object\":\"<http://www.w3.org/2000/01/rdf-schema#Class>\"}]";

    private BenchHooks() {
    }

    private static String esc(String s) {
        return s;
    }

    static List<Hook> hooks() {
        return HookConfig.parse(JSON);
    }

    static JsonArray json() {
        return new JsonArray(JSON);
    }

    static byte[] data() {
        try (InputStream in = BenchHooks.class.getResourceAsStream(DATA)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
