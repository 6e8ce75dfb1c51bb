/**
 * Hotpool on Vert.x 5: one {@link io.github.hotpool.vertx.ContextPool} per event-loop context,
 * found through {@link io.github.hotpool.vertx.ContextPools} (from the verticle's context, also
 * inside event-bus handlers, which run on duplicated contexts); handles that cross the event bus
 * zero-copy ({@link io.github.hotpool.vertx.SoaHandleCodec}, {@link io.github.hotpool.vertx.LentHandles})
 * and go home when their work completes or fails; a leak watch; and the span rings the pipeline's
 * stages share ({@link io.github.hotpool.vertx.SpanRing}, {@link io.github.hotpool.vertx.Span}).
 * Options: {@link io.github.hotpool.vertx.HotpoolOptions}, from code or the deployment config.
 *
 * <pre>
 *  event loop 1                           event loop 2
 *  context A: ContextPool A  --lend--&gt;    context B: LentHandles.handler(work)
 *     acquire / withSoa      &lt;--reply--      (reads A's buffer in place)
 *     release on the reply
 * </pre>
 *
 * <p>Threading: a pool's acquire side runs on its context's event-loop thread; release,
 * request and the counters are safe from any thread. docs/vertx.md has the rules and the Vert.x 5
 * facts they rest on, with a complete minimal verticle.
 */
package io.github.hotpool.vertx;
