package io.github.hotpool.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Emit's HTTP sink: POSTs each batch's receipts as a JSON array, never blocking Emit.
 * Owner-thread only (Emit's context).
 */
final class WebhookSink {

    /*
     * Delivery rules (docs/pipeline.md, Faults):
     * - An attempt ends with a status, a network error, or webhookTimeoutMillis after it started,
     *   when the request is reset: a total deadline, so an endpoint that accepts the connection
     *   and then trickles or says nothing cannot hold an in-flight slot for ever.
     * - 2xx: delivered. 5xx, network errors and timeouts are retried up to webhookMaxRetries
     *   times after a jittered, doubling backoff (uniform in [d/2, d], d = backoff x 2^retry), so
     *   that pipelines that saw one endpoint fail together do not retry in lockstep. Any other
     *   status (4xx above all; 1xx and 3xx too) is final: the endpoint understood the post and
     *   refused it, and sending it again would be refused again.
     * - At most webhookMaxInFlight posts are pending, from the first attempt to the final outcome,
     *   backoff waits included: that bounds the memory the sink holds. A post over the bound is
     *   dropped, counted (sinkFailures, webhookDropped) and reported; the receipts are still in
     *   the lockchain and receipts.jsonl. Emit never waits for the webhook.
     * - Credentials in the URL never reach a message: userinfo (sent as Basic authorization
     *   instead) and the values of credential-like query parameters are shown as ***, and the
     *   same secrets are scrubbed from the texts of errors the HTTP client reports.
     */

    /** Query (or fragment) parameter names holding any of these, case-insensitively, are secrets. */
    private static final String[] SECRET_NAMES = {
        "token", "key", "secret", "password", "passwd", "pwd", "auth", "sig", "credential", "session"
    };
    static final String MASK = "***";

    private final Vertx vertx;
    private final Runtime rt;
    private final HttpClient client;
    private final RequestOptions target;
    /** The URL as configured, and as messages show it. */
    private final String url;
    private final String shown;
    /** Other texts that must not appear in a message: userinfo, secret parameter values. */
    private final List<String> secrets;
    private final long timeoutMillis;
    private int inFlight;
    private boolean closed;

    WebhookSink(Vertx vertx, Runtime rt) {
        this.vertx = vertx;
        this.rt = rt;
        this.url = rt.options.getSinks().getWebhookUrl();
        this.shown = redact(url);
        this.secrets = secrets(url);
        this.timeoutMillis = rt.options.getSinks().getWebhookTimeoutMillis();
        Parts u = Parts.of(url);
        this.target = new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(u.head + u.host + u.rest) // without userinfo: it goes in a header instead
            .putHeader("content-type", "application/json");
        if (u.userInfo != null) {
            String decoded = percentDecode(u.userInfo);
            target.putHeader("authorization",
                "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
        }
        // one connection per post in flight: a post never queues behind another for a connection,
        // which the deadline would count against it
        this.client = vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)),
            new PoolOptions().setHttp1MaxSize(rt.options.getSinks().getWebhookMaxInFlight()));
    }

    void post(JsonArray receipts) {
        if (inFlight >= rt.options.getSinks().getWebhookMaxInFlight()) {
            // the endpoint is slower than the pipeline: drop rather than hold memory, and say so
            rt.error("webhook " + shown + ": " + inFlight + " posts pending (webhookMaxInFlight "
                + rt.options.getSinks().getWebhookMaxInFlight() + "), dropped " + receipts.size() + " receipts");
            rt.webhookDropped.incrementAndGet();
            rt.sinkFailures.incrementAndGet();
            return;
        }
        inFlight++;
        new Attempt(receipts.toBuffer(), receipts.size(), 0).start();
    }

    /** One try at delivering one post. */
    private final class Attempt {
        final Buffer body;
        final int receipts;
        final int retry;
        HttpClientRequest request;
        boolean timedOut;
        long timer;

        Attempt(Buffer body, int receipts, int retry) {
            this.body = body;
            this.receipts = receipts;
            this.retry = retry;
        }

        void start() {
            timer = vertx.setTimer(timeoutMillis, id -> {
                timedOut = true;
                if (request != null) {
                    request.reset(0, new TimeoutException("no answer within " + timeoutMillis + " ms"));
                } // else still connecting: the connect timeout (the same length) ends it
            });
            client.request(new RequestOptions(target))
                .compose(req -> {
                    request = req;
                    if (timedOut) {
                        req.reset();
                        return Future.failedFuture(new TimeoutException("no answer within " + timeoutMillis + " ms"));
                    }
                    return req.send(body);
                })
                // read the response to its end without keeping it: only the status matters
                .compose(resp -> resp.end().map(v -> resp.statusCode()))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    done(this, ar.succeeded() ? ar.result() : 0, ar.cause());
                });
        }
    }

    private void done(Attempt a, int status, Throwable cause) {
        if (status >= 200 && status < 300) {
            inFlight--;
            return;
        }
        String why = a.timedOut ? "no answer within webhookTimeoutMillis " + timeoutMillis
            : status != 0 ? "status " + status : scrub(String.valueOf(cause.getMessage()));
        boolean retriable = status == 0 || (status >= 500 && status < 600);
        if (retriable && !closed && a.retry < rt.options.getSinks().getWebhookMaxRetries()) {
            rt.webhookRetries.incrementAndGet();
            vertx.setTimer(backoff(a.retry), id -> {
                if (closed) {
                    giveUp(a, "pipeline stopped before retry " + (a.retry + 1) + " (last: " + why + ")");
                } else {
                    new Attempt(a.body, a.receipts, a.retry + 1).start();
                }
            });
            return;
        }
        giveUp(a, closed ? "pipeline stopped (last: " + why + ")"
            : retriable ? "failed after " + (a.retry + 1) + " attempts: " + why
            : "post refused, " + why + " (not retried: only 5xx, network errors and timeouts are)");
    }

    private void giveUp(Attempt a, String why) {
        inFlight--;
        rt.error("webhook " + shown + " " + why + ", " + a.receipts + " receipts not delivered");
        rt.sinkFailures.incrementAndGet(); // after the error, so a reader of the count finds its reason
    }

    /** A delay drawn uniformly from [d/2, d], d = webhookBackoffMillis x 2^retry (at least 1 ms). */
    private long backoff(int retry) {
        long d = rt.options.getSinks().getWebhookBackoffMillis() << Math.min(retry, 20);
        return Math.max(1, d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1));
    }

    void close() {
        closed = true;
        client.close();
    }

    // ------------------------------------------------------------------ redaction

    /**
     * {@code url} as logs and errors may show it: userinfo and the values of credential-like query
     * or fragment parameters (names holding token, key, secret, password, auth, sig...) replaced
     * by {@value #MASK}. Works on malformed URLs too; null stays null.
     */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        Parts u = Parts.of(url);
        StringBuilder out = new StringBuilder(url.length()).append(u.head);
        if (u.userInfo != null) {
            out.append(MASK).append('@');
        }
        out.append(u.host);
        out.append(u.path());
        if (u.query() != null) {
            out.append('?').append(redactParams(u.query()));
        }
        if (u.fragment() != null) {
            out.append('#').append(redactParams(u.fragment()));
        }
        return out.toString();
    }

    private static String redactParams(String params) {
        String[] ps = params.split("&", -1);
        for (int i = 0; i < ps.length; i++) {
            int eq = ps[i].indexOf('=');
            if (eq >= 0 && secretName(ps[i].substring(0, eq))) {
                ps[i] = ps[i].substring(0, eq + 1) + MASK;
            }
        }
        return String.join("&", ps);
    }

    private static boolean secretName(String rawName) {
        String name;
        try {
            name = URLDecoder.decode(rawName, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return true; // cannot tell: treat as a secret
        }
        for (String s : SECRET_NAMES) {
            if (name.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** The texts of {@code url} that are secret, raw and decoded, longest first. */
    private static List<String> secrets(String url) {
        List<String> out = new ArrayList<>();
        Parts u = Parts.of(url);
        if (u.userInfo != null) {
            out.add(u.userInfo);
            out.add(percentDecode(u.userInfo));
            for (String part : u.userInfo.split(":")) {
                out.add(part);
                out.add(percentDecode(part));
            }
        }
        for (String params : new String[] {u.query(), u.fragment()}) {
            if (params == null) {
                continue;
            }
            for (String p : params.split("&")) {
                int eq = p.indexOf('=');
                if (eq >= 0 && secretName(p.substring(0, eq))) {
                    String value = p.substring(eq + 1);
                    out.add(value);
                    out.add(percentDecode(value));
                }
            }
        }
        out.removeIf(String::isEmpty);
        out.sort((a, b) -> b.length() - a.length()); // "user:pass" before "pass"
        return out;
    }

    /** {@code message} with the URL shown redacted and every other secret text of it masked. */
    String scrub(String message) {
        String m = message.replace(url, shown);
        for (String s : secrets) {
            m = m.replace(s, MASK);
        }
        return m;
    }

    private static String percentDecode(String s) {
        try {
            // URLDecoder would read '+' as a space, which in userinfo and query values it is not always
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** @return null if {@code url} is an absolute http(s) URL with a host, else why not */
    static String checkUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "scheme must be http or https";
            }
            if (u.getHost() == null) {
                return "no host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URL";
        }
    }

    /** {@code scheme://} (or nothing), userinfo (or null), host[:port], then path, query, fragment. */
    private record Parts(String head, String userInfo, String host, String rest) {

        String path() {
            int end = rest.length();
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '?' || c == '#') {
                    end = i;
                    break;
                }
            }
            return rest.substring(0, end);
        }

        /** Between the first '?' of the rest and the fragment, or null. */
        String query() {
            int q = rest.indexOf('?');
            int h = rest.indexOf('#');
            if (q < 0 || (h >= 0 && h < q)) {
                return null;
            }
            return rest.substring(q + 1, h > q ? h : rest.length());
        }

        /** After the first '#', or null. */
        String fragment() {
            int h = rest.indexOf('#');
            return h < 0 ? null : rest.substring(h + 1);
        }

        static Parts of(String url) {
            int s = url.indexOf("://");
            int authStart = s < 0 ? 0 : s + 3;
            int authEnd = url.length();
            for (int i = authStart; i < url.length(); i++) {
                char c = url.charAt(i);
                if (c == '/' || c == '?' || c == '#') {
                    authEnd = i;
                    break;
                }
            }
            String authority = url.substring(authStart, authEnd);
            int at = authority.lastIndexOf('@');
            return new Parts(url.substring(0, authStart), at < 0 ? null : authority.substring(0, at),
                authority.substring(at + 1), url.substring(authEnd));
        }
    }
}
