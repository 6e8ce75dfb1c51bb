package io.github.hotpool.pipeline;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;

/**
 * Emit's HTTP sink: POSTs each batch's receipts as a JSON array, retrying failed posts with
 * exponential backoff, never blocking. Owner-thread only (Emit's context).
 */
final class WebhookSink {

    private final Vertx vertx;
    private final Runtime rt;
    private final WebClient client;
    private final String url;
    private int inFlight;

    WebhookSink(Vertx vertx, Runtime rt) {
        this.vertx = vertx;
        this.rt = rt;
        this.client = WebClient.create(vertx);
        this.url = rt.options.getWebhookUrl();
    }

    void post(JsonArray receipts) {
        if (inFlight >= rt.options.getWebhookMaxInFlight()) {
            // the endpoint is slower than the pipeline: drop rather than hold memory, and say so
            rt.error("webhook " + url + ": " + inFlight + " posts pending (webhookMaxInFlight "
                + rt.options.getWebhookMaxInFlight() + "), dropped " + receipts.size() + " receipts");
            rt.sinkFailures.incrementAndGet();
            return;
        }
        inFlight++;
        attempt(receipts, 0);
    }

    private void attempt(JsonArray receipts, int retry) {
        client.postAbs(url).sendJson(receipts).onComplete(ar -> {
            int status = ar.succeeded() ? ar.result().statusCode() : 0;
            if (status >= 200 && status < 300) {
                inFlight--;
                return;
            }
            String why = ar.succeeded() ? "status " + status : String.valueOf(ar.cause().getMessage());
            if (retry < rt.options.getWebhookMaxRetries()) {
                rt.webhookRetries.incrementAndGet();
                long delay = rt.options.getWebhookBackoffMillis() << Math.min(retry, 20);
                vertx.setTimer(delay, id -> attempt(receipts, retry + 1));
                return;
            }
            inFlight--;
            rt.error("webhook " + url + " failed after " + (retry + 1) + " attempts: " + why);
            rt.sinkFailures.incrementAndGet(); // after the error, so a reader of the count finds its reason
        });
    }

    void close() {
        client.close();
    }
}
