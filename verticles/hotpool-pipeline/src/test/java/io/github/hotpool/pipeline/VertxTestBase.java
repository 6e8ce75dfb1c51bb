package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.TestData.await;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh Vertx instance and temporary directory per test, closed afterwards. */
abstract class VertxTestBase {

    @TempDir
    Path dir;
    Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() {
        await(vertx.close());
    }
}
