package io.github.hotpool.examples.spanpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/** Runs the example's pipeline and checks its result against a plain loop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpanPipelineAppTest {

    @Test
    void thePipelineAgreesWithAPlainLoop() throws Exception {
        long n = 30_000;
        long limit = 150;
        long count = 0;
        long sum = 0;
        long longest = 0;
        long longestOf = 0;
        for (long x = 1; x <= n; x++) {
            long t = SpanPipelineApp.stoppingTime(x);
            if (t > limit) {
                continue;
            }
            count++;
            sum += t;
            if (t > longest) {
                longest = t;
                longestOf = x;
            }
        }
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject r = SpanPipelineApp.run(vertx, n, limit).await(30, TimeUnit.SECONDS);
            assertThat(r.getLong("count")).isEqualTo(count);
            assertThat(r.getLong("sum")).isEqualTo(sum);
            assertThat(r.getLong("longest")).isEqualTo(longest);
            assertThat(r.getLong("longestOf")).isEqualTo(longestOf);
            assertThat(r.getLong("rejected")).isEqualTo(n - count).isPositive();
            JsonObject stats = r.getJsonObject("stats");
            assertThat(stats.getLong("rowsProduced")).isEqualTo(n);
            assertThat(stats.getLong("gating")).as("every row passed the last stage").isEqualTo(n);
            JsonObject limitStage = stats.getJsonArray("stages").getJsonObject(1);
            assertThat(limitStage.getString("name")).isEqualTo("limit");
            assertThat(limitStage.getJsonObject("failedRows").getLong(Integer.toString(SpanPipelineApp.TOO_LONG)))
                .isEqualTo(n - count);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
