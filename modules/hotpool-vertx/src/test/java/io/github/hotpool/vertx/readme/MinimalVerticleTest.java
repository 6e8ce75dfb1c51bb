package io.github.hotpool.vertx.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.testing.DocSnippets;
import io.github.hotpool.vertx.HotpoolOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The minimal verticle of README.md and docs/vertx.md: the docs show this code, and it runs. */
@Timeout(30)
class MinimalVerticleTest {

    static final String SOURCE = "modules/hotpool-vertx/src/test/java/io/github/hotpool/vertx/readme/SumVerticle.java";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void readmeAndVertxDoc_showThisVerticle() throws Exception {
        String code = DocSnippets.region(SOURCE, "verticle");
        assertThat(DocSnippets.block("README.md", "verticle")).isEqualTo(code);
        assertThat(DocSnippets.block("docs/vertx.md", "verticle")).isEqualTo(code);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scoped", "lend", "config"})
    void vertxDoc_showsTheWaysDocExamplesTestRuns(String way) throws Exception {
        assertThat(DocSnippets.block("docs/vertx.md", way)).isEqualTo(DocSnippets.region(
            "modules/hotpool-vertx/src/test/java/io/github/hotpool/vertx/DocExamplesTest.java", way));
    }

    @Test
    void sumVerticle_sumsInAPooledBuffer_andGivesEachBufferBack() throws Exception {
        vertx.deployVerticle(new SumVerticle()).await(10, TimeUnit.SECONDS);
        // more requests in a row than the pool has buffers (its policy is FAIL): a buffer kept would fail one
        for (int n = 0; n < 4 * HotpoolOptions.DEFAULT_SOA_BUFFERS; n++) {
            Object sum = vertx.eventBus().request("sum", new JsonArray().add(n).add(2).add(3))
                .await(10, TimeUnit.SECONDS).body();
            assertThat(sum).isEqualTo(n + 5L);
        }
    }

    @Test
    void sumVerticle_refusesMoreIdsThanALaneCount_namingTheSize_andKeepsServing() throws Exception {
        vertx.deployVerticle(new SumVerticle()).await(10, TimeUnit.SECONDS);
        JsonArray nine = new JsonArray();
        for (int i = 1; i <= 9; i++) {
            nine.add(i);
        }
        for (int n = 0; n < 2 * HotpoolOptions.DEFAULT_SOA_BUFFERS; n++) {
            assertThatThrownBy(() -> vertx.eventBus().request("sum", nine).await(10, TimeUnit.SECONDS))
                .isInstanceOf(ReplyException.class).hasMessageContaining("9");
        }
        assertThat(vertx.eventBus().request("sum", new JsonArray().add(4)).await(10, TimeUnit.SECONDS).body())
            .isEqualTo(4L);
    }

    @Test
    void main_printsTheSum() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            SumVerticle.main(new String[0]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!printed.toString(StandardCharsets.UTF_8).contains("sum=")) {
                assertThat(System.nanoTime()).as("main printed nothing within 20 s").isLessThan(deadline);
                Thread.sleep(10);
            }
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("sum=6");
    }
}
