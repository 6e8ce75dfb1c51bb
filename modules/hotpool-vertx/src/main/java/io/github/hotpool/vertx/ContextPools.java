package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.context.storage.AccessMode;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entry point of the Vert.x binding: finds or creates the {@link ContextPool} of an event-loop
 * context. Thread-safe; a pool is created on its context's thread, which becomes its owner.
 *
 * <p>Event-bus handlers run on duplicated contexts whose locals are empty; every method here
 * unwraps them first, so a handler finds the pool of the verticle that registered it.
 */
public final class ContextPools {

    /*
     * The pool lives in a ContextLocal of the root (unwrapped) context, registered by
     * HotpoolServiceProvider before any Vertx instance exists. Each ContextPool is also the
     * attachment of its core pool, so release and the codec find a buffer's home from any thread
     * with one volatile read (buffer.pool().attachment()); closing the pool detaches it.
     */
    static volatile PoolReporter reporter = PoolReporter.LOGGING;
    private static final Set<Vertx> CODEC_INSTALLED = Collections.newSetFromMap(new WeakHashMap<>());
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ContextPools() {
    }

    /**
     * The pool of the calling thread's context, created with the verticle's options on first use.
     *
     * @throws IllegalStateException if the thread has no Vert.x context or it is not an event-loop context
     */
    public static ContextPool current() {
        Context ctx = Vertx.currentContext();
        if (ctx == null) {
            throw new IllegalStateException("no Vert.x context on thread '" + Thread.currentThread().getName()
                + "': resolve the pool in a verticle's start() or a handler, or use ContextPools.of(context)");
        }
        return of(ctx);
    }

    /**
     * The pool of {@code ctx} (unwrapped if duplicated). Created on first use from the options under
     * {@value HotpoolOptions#CONFIG_KEY} in the verticle's config (defaults if absent); creating
     * must happen on the context's thread, looking up an existing pool works from any thread.
     *
     * @throws IllegalStateException if {@code ctx} is not an event-loop context, or the pool does not
     *     exist yet and the caller is not on the context's thread
     */
    public static ContextPool of(Context ctx) {
        ContextInternal root = root(ctx);
        ContextPool p = lookup(root);
        return p != null ? p : create(root, optionsFromConfig(root));
    }

    /**
     * Creates the pool of {@code ctx} with {@code options} (call in {@code start()}, before first use).
     *
     * @throws IllegalStateException if the context already has a pool, is not an event-loop context,
     *     or the caller is not on the context's thread
     */
    public static ContextPool install(Context ctx, HotpoolOptions options) {
        ContextInternal root = root(ctx);
        if (lookup(root) != null) {
            throw new IllegalStateException("context of deployment " + root.deploymentID()
                + " has a pool already: install options before the first ContextPools.of/current");
        }
        return create(root, options);
    }

    /**
     * Any thread: gives {@code b} back to its home pool, allocation-free, waking waiters there.
     * Buffers of pools not created by this class go straight to their core pool.
     */
    public static void release(SoaBuffer b) {
        ContextPool home = home(b.pool());
        if (home != null) {
            home.release(b);
        } else {
            b.pool().release(b);
        }
    }

    /** @return the context pool that owns {@code pool}, or null (closed, or not made here) */
    static ContextPool home(BufferPool pool) {
        Object home = pool.attachment();
        return home instanceof ContextPool ? (ContextPool) home : null;
    }

    private static ContextPool lookup(ContextInternal root) {
        try {
            return HotpoolServiceProvider.POOL.get(root, AccessMode.CONCURRENT);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalStateException("this Vertx instance was built before HotpoolServiceProvider registered its "
                + "context local: keep META-INF/services/io.vertx.core.spi.VertxServiceProvider on the class path "
                + "(shaded jars need the ServicesResourceTransformer)", e);
        }
    }

    static ContextInternal root(Context ctx) {
        ContextInternal root = ((ContextInternal) ctx).unwrap();
        if (root.threadingModel() != ThreadingModel.EVENT_LOOP) {
            throw new IllegalStateException("Hotpool pools are single-owner and need an event-loop context; context of "
                + "deployment " + root.deploymentID() + " has threading model " + root.threadingModel()
                + ": resolve the pool on an event-loop verticle and hand buffers over the event bus");
        }
        return root;
    }

    private static HotpoolOptions optionsFromConfig(ContextInternal root) {
        JsonObject config = root.config();
        JsonObject json = config == null ? null : config.getJsonObject(HotpoolOptions.CONFIG_KEY);
        return json == null ? new HotpoolOptions() : new HotpoolOptions(json);
    }

    private static ContextPool create(ContextInternal root, HotpoolOptions options) {
        if (!root.nettyEventLoop().inEventLoop()) {
            throw new IllegalStateException("the pool of a context is created on the context's event-loop thread, "
                + "not on '" + Thread.currentThread().getName() + "': call ContextPools.of/current/install from "
                + "start() or a handler of that context");
        }
        installCodec(root.owner());
        String defaultName = "hotpool-" + (root.deploymentID() == null ? "vertx" : root.deploymentID())
            + "-" + SEQUENCE.incrementAndGet();
        ContextPool p = new ContextPool(root, options, defaultName);
        HotpoolServiceProvider.POOL.put(root, AccessMode.CONCURRENT, p);
        root.addCloseHook(completion -> {
            if (root.nettyEventLoop().inEventLoop()) {
                closePool(root, p);
            } else {
                root.nettyEventLoop().execute(() -> closePool(root, p));
            }
            completion.succeed();
        });
        return p;
    }

    /** Owner thread: closes the pool of {@code root} as undeploy would (tests). */
    static void closeForTest(ContextInternal root) {
        ContextPool p = lookup(root);
        if (p != null) {
            closePool(root, p);
        }
    }

    private static void closePool(ContextInternal root, ContextPool p) {
        HotpoolServiceProvider.POOL.remove(root, AccessMode.CONCURRENT);
        p.close();
    }

    private static void installCodec(Vertx vertx) {
        synchronized (CODEC_INSTALLED) {
            if (CODEC_INSTALLED.add(vertx)) {
                SoaHandleCodec.install(vertx);
            }
        }
    }
}
