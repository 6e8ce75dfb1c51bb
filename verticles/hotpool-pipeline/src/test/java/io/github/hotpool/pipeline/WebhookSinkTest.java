package io.github.hotpool.pipeline;

import static io.github.hotpool.pipeline.ConnectionLimitsTest.waitFor;
import static io.github.hotpool.pipeline.TestData.await;
import static io.github.hotpool.pipeline.TestData.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The webhook sink against a local endpoint that refuses, fails, hangs, or is not there. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookSinkTest extends VertxTestBase {

    final AtomicInteger calls = new AtomicInteger();
    final List<HttpServerRequest> requests = new CopyOnWriteArrayList<>();

    int endpoint(Handler<HttpServerRequest> answer) {
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
            calls.incrementAndGet();
            requests.add(req);
            answer.handle(req);
        }).listen(0, "127.0.0.1"));
        return server.actualPort();
    }

    /** One batch whose receipts are posted once (declares-class fires on it). */
    Pipeline runOneBatch(PipelineOptions o) {
        Path file = TestData.write(dir, "in.nt", BadInputAndSinksTest.INPUT.getBytes(StandardCharsets.UTF_8));
        Pipeline p = await(Pipeline.deploy(vertx, TestData.edit(o.setHooks(TestData.hooksJson()), x -> x.getSinks().setWebhookBackoffMillis(5))));
        await(p.ingestFile(file.toString()));
        return p;
    }

    @Test
    void status4xx_isFinal_notRetried_countedAndReported() {
        int port = endpoint(req -> req.response().setStatusCode(422).end());
        Pipeline p = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(3).setWebhookUrl("http://127.0.0.1:" + port + "/r")));
        waitFor("the post given up", 5_000, () -> p.stats().sinkFailures() == 1);
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(calls.get()).as("attempts").isEqualTo(1);
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("status 422") && e.contains("not retried"));
    }

    @Test
    void status5xx_isRetriedUpToMaxRetries_thenCountedAndReported() {
        int port = endpoint(req -> req.response().setStatusCode(502).end());
        Pipeline p = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(2).setWebhookUrl("http://127.0.0.1:" + port + "/r")));
        waitFor("the post given up", 5_000, () -> p.stats().sinkFailures() == 1);
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(calls.get()).as("attempts").isEqualTo(3);
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("failed after 3 attempts: status 502"));
    }

    @Test
    void networkError_isRetried_thenCountedAndReported() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free once closed: connections are refused
        }
        Pipeline p = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(2).setWebhookUrl("http://127.0.0.1:" + closedPort + "/r")));
        waitFor("the post given up", 5_000, () -> p.stats().sinkFailures() == 1);
        PipelineStats s = p.stats();
        await(p.undeploy());

        assertThat(s.recentErrors()).anyMatch(e -> e.contains("failed after 3 attempts"));
    }

    /** An endpoint that takes the request and never answers: each attempt ends at the timeout. */
    @Test
    void hangingEndpoint_eachAttemptTimesOut_andIsRetried_thenTheSlotIsFreed() {
        int port = endpoint(req -> { }); // reads the request, never answers
        long start = System.nanoTime();
        Pipeline p = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(1).setWebhookTimeoutMillis(200).setWebhookMaxInFlight(1).setWebhookUrl("http://127.0.0.1:" + port + "/r")));
        waitFor("the post given up after two timed-out attempts", 5_000, () -> p.stats().sinkFailures() == 1);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        PipelineStats s = p.stats();
        // the in-flight slot was given back: the next post is attempted, not dropped
        await(p.ingest(io.vertx.core.buffer.Buffer.buffer(BadInputAndSinksTest.INPUT), "again"));
        waitFor("the second post attempted", 5_000, () -> calls.get() == 3);
        PipelineStats after = p.stats();
        await(p.undeploy());

        assertThat(calls.get()).isEqualTo(3);
        assertThat(millis).as("two attempts of 200 ms").isGreaterThanOrEqualTo(400);
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("failed after 2 attempts")
            && e.contains("no answer within webhookTimeoutMillis 200"));
        assertThat(after.webhookDropped()).isZero();
    }

    @Test
    void inFlightBound_postsOverItAreDropped_countedSeparately() {
        int port = endpoint(req -> { }); // holds every post
        Path file = TestData.write(dir, "in.nt", CycleSealingTest.slice(0, 200));
        Pipeline p = await(Pipeline.deploy(vertx, new PipelineOptions().setHooks(TestData.hooksJson()).setSinks(new SinkOptions().setWebhookMaxInFlight(2).setWebhookTimeoutMillis(30_000).setWebhookUrl("http://127.0.0.1:" + port + "/r"))));
        await(p.ingestFile(file.toString()));
        waitFor("two posts held by the endpoint", 5_000, () -> calls.get() == 2);
        PipelineStats s = p.stats();
        requests.forEach(r -> r.response().end());
        await(p.undeploy());

        assertThat(s.webhookDropped()).isPositive();
        assertThat(s.sinkFailures()).isEqualTo(s.webhookDropped());
        assertThat(s.recentErrors()).anyMatch(e -> e.contains("webhookMaxInFlight 2") && e.contains("dropped"));
    }

    /**
     * Credentials in the URL: userinfo is sent as Basic authorization, the query as given; no
     * message shows either, whichever way the post fails.
     */
    @Test
    void credentialsInTheUrl_areSentButRedactedFromEveryMessage() throws Exception {
        int port = endpoint(req -> req.response().setStatusCode(500).end());
        String query = "?token=tok-123456&apiKey=k-98765&client_secret=s-4242&x=visible";
        Pipeline p = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(0).setWebhookUrl("http://alice:pa55word@127.0.0.1:" + port + "/hook" + query)));
        waitFor("the post given up", 5_000, () -> p.stats().sinkFailures() == 1);
        PipelineStats s = p.stats();
        await(p.undeploy());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Pipeline down = runOneBatch(new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(0).setWebhookUrl("http://alice:pa55word@127.0.0.1:" + closedPort + "/hook" + query)));
        waitFor("the post given up", 5_000, () -> down.stats().sinkFailures() == 1);
        PipelineStats sDown = down.stats();
        String options = down.options().toString();
        await(down.undeploy());

        HttpServerRequest got = requests.get(0);
        assertThat(got.getHeader("authorization"))
            .isEqualTo("Basic " + Base64.getEncoder().encodeToString("alice:pa55word".getBytes(StandardCharsets.UTF_8)));
        assertThat(got.uri()).isEqualTo("/hook" + query);
        String shown = "http://***@127.0.0.1:" + port + "/hook?token=***&apiKey=***&client_secret=***&x=visible";
        assertThat(s.recentErrors()).anyMatch(e -> e.contains(shown) && e.contains("status 500"));
        for (String text : List.of(String.join("\n", s.recentErrors()), String.join("\n", sDown.recentErrors()),
                options)) {
            assertThat(text).contains("***").doesNotContain("alice").doesNotContain("pa55word")
                .doesNotContain("tok-123456").doesNotContain("k-98765").doesNotContain("s-4242");
        }
        assertThat(sDown.recentErrors()).anyMatch(e -> e.contains("failed after 1 attempts"));
    }

    @Test
    void redact_masksUserinfoAndSecretParameters_keepsTheRest() {
        assertThat(WebhookSink.redact("https://u:p@h.example:8443/a/b?Token=1&keep=2&X-Amz-Signature=3#access_token=4"))
            .isEqualTo("https://***@h.example:8443/a/b?Token=***&keep=2&X-Amz-Signature=***#access_token=***");
        assertThat(WebhookSink.redact("http://h/p")).isEqualTo("http://h/p");
        assertThat(WebhookSink.redact("not a url?password=x")).isEqualTo("not a url?password=***");
        assertThat(WebhookSink.redact(null)).isNull();
    }

    @Test
    void badWebhookUrl_deployFailsNamingItRedacted() {
        Throwable t = awaitFailure(Pipeline.deploy(vertx, new PipelineOptions().setSinks(new SinkOptions().setWebhookUrl("ftp://bob:hunter2@h/x?secret=zzz"))));
        assertThat(t.getMessage()).contains("webhookUrl ftp://***@h/x?secret=***").contains("http or https")
            .doesNotContain("hunter2").doesNotContain("zzz");
        assertThatThrownBy(() -> new PipelineOptions().setSinks(new SinkOptions().setWebhookTimeoutMillis(0)).validate())
            .hasMessage("sinks.webhookTimeoutMillis 0 outside [1, 600000]");
        assertThat(new JsonObject(new PipelineOptions().setSinks(new SinkOptions().setWebhookUrl("http://a:b@h/?key=c")).toString())
            .getJsonObject("sinks").getString("webhookUrl")).isEqualTo("http://***@h/?key=***");
    }
}
