package io.github.hotpool.pipeline;

import io.github.hotpool.triples.Hook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test data and helpers shared by the pipeline tests. */
final class TestData {

    static final String SCHEMA_ORG = "/io/github/hotpool/data/schemaorg-30.0-all-https.nt";

    private TestData() {
    }

    static byte[] resource(String name) {
        try (InputStream in = TestData.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] schemaOrg() {
        return resource(SCHEMA_ORG);
    }

    static JsonArray hooksJson() {
        // the bundled hooks, one copy for the CLI, the tests and the benchmarks (hotpool-sample-data)
        return GuardHooks.decode(new String(resource("/io/github/hotpool/data/schemaorg-hooks.json"), StandardCharsets.UTF_8));
    }

    static List<Hook> hooks() {
        return GuardHooks.parse(hooksJson());
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code o}, after {@code change} (for a part of options a helper made) */
    static PipelineOptions edit(PipelineOptions o, java.util.function.Consumer<PipelineOptions> change) {
        change.accept(o);
        return o;
    }

    /** @return {@code o} writing receipts and lockchain into {@code out} */
    static PipelineOptions withOut(PipelineOptions o, Path out) {
        return edit(o, x -> x.getLockchain().setOutDir(out.toString()));
    }

    /** @return {@code o} with the HTTP and TCP listeners on free ports */
    static PipelineOptions listening(PipelineOptions o) {
        return edit(o, x -> x.getListeners().setHttpPort(0).setTcpPort(0));
    }

    /** The future's result, waited for on the test's thread with Vert.x's {@code Future.await} (60 s). */
    static <T> T await(Future<T> f) {
        try {
            return f.await(60, TimeUnit.SECONDS);
        } catch (Throwable e) {
            throw new AssertionError("future did not succeed: " + e, e);
        }
    }

    /** The future's failure, waited for like {@link #await}; fails the test if it succeeds or hangs. */
    static Throwable awaitFailure(Future<?> f) {
        try {
            f.await(60, TimeUnit.SECONDS);
        } catch (Throwable e) {
            if (!f.isComplete()) {
                throw new AssertionError("no outcome within 60 s", e);
            }
            return e;
        }
        throw new AssertionError("future succeeded, a failure was expected");
    }

    /**
     * Waits until {@code condition} holds, checking every few milliseconds, and fails the test
     * naming {@code what} if it does not within {@code millis}.
     */
    static void until(String what, long millis, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
