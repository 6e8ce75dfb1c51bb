package io.github.hotpool.benchmarks.pipeline;

import io.github.hotpool.triples.Hook;
import io.github.hotpool.pipeline.GuardHooks;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The hooks and input every pipeline variant runs: triple-guard's bundled schema.org hooks. */
final class BenchHooks {

    static final String DATA = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";
    /** The bundled hooks (hotpool-sample-data): the one copy triple-guard and the pipeline's tests use too. */
    static final String HOOKS = "/io/github/hotpool/data/schemaorg-hooks.json";

    private BenchHooks() {
    }

    static List<Hook> hooks() {
        return GuardHooks.parse(json());
    }

    static JsonArray json() {
        return GuardHooks.decode(new String(resource(HOOKS), StandardCharsets.UTF_8));
    }

    static byte[] data() {
        return resource(DATA);
    }

    private static byte[] resource(String name) {
        try (InputStream in = BenchHooks.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing (from hotpool-sample-data)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
