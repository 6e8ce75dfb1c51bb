package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.RingStats;
import io.github.hotpool.vertx.SpanOptions;
import io.github.hotpool.vertx.SpanRing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A deployed pipeline of the stage framework: a source verticle owning a Δ-ring, then an ordered
 * chain of {@link SpanStage} verticles that the ring's rows travel as spans. Made by a
 * {@link Builder}; all per-pipeline state (ring, counters, deployments) hangs off this handle:
 * there is no static registry. Thread-safety: every method may be called on any thread.
 *
 * <pre>{@code
 * StagePipeline.builder()
 *     .source("numbers", () -> new Numbers(1_000))            // a RowSource
 *     .stage("square", SquareStage::new, 1)                    // SpanStage or RowStage factories
 *     .stage("sum", SumStage::new, 1)
 *     .ringCapacity(256).span(new SpanOptions().setMaxSpanRows(32))
 *     .deploy(vertx)                                           // Future<StagePipeline>
 *     .compose(p -> p.finished().map(p))                       // every row passed the last stage
 *     .compose(StagePipeline::undeploy);                       // drains, then undeploys: Future<StagePipelineStats>
 * }</pre>
 */
public final class StagePipeline {

    private final Vertx vertx;
    private final StagePipelineOptions options;
    private final SourceVerticle source;
    /** Per stage, its instances. */
    private final List<List<SpanStage>> stages;
    private final List<StageCounters> counters;
    private final List<String> deploymentIds = new ArrayList<>();
    private String sourceDeploymentId;
    private Future<StagePipelineStats> undeploying;
    private Future<Void> draining;

    private StagePipeline(Vertx vertx, StagePipelineOptions options, RowSource source, PushSource push,
                          List<List<SpanStage>> stages) {
        this.vertx = vertx;
        this.options = options;
        this.source = new SourceVerticle(options, source, push, this);
        List<List<SpanStage>> copy = new ArrayList<>();
        for (List<SpanStage> instances : stages) {
            copy.add(List.copyOf(instances));
        }
        this.stages = List.copyOf(copy);
        this.counters = new ArrayList<>();
        for (StageSpec st : options.getStages()) {
            counters.add(new StageCounters(st.name()));
        }
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the options this pipeline was deployed with (a copy) */
    public StagePipelineOptions options() {
        return new StagePipelineOptions(options);
    }

    /** @return the Δ-ring (its producer is the source's context) */
    public DeltaRing ring() {
        return source.spanRing.ring();
    }

    /** @return the span ring, for its addresses and counters */
    public SpanRing<DeltaRing> spanRing() {
        return source.spanRing;
    }

    /**
     * @param name a stage name
     * @return the stage's verticle (its first instance)
     * @throws IllegalArgumentException if there is no such stage
     */
    public SpanStage stage(String name) {
        return instances(name).get(0);
    }

    /**
     * @param name a stage name
     * @return the stage's verticles, one per instance (unmodifiable)
     * @throws IllegalArgumentException if there is no such stage
     */
    public List<SpanStage> instances(String name) {
        for (List<SpanStage> s : stages) {
            if (s.get(0).stageName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("pipeline '" + options.getName() + "' has no stage '" + name + "'");
    }

    /**
     * @return completes once a finite source is exhausted and every row it wrote passed the last
     *     stage; fails (an {@code IllegalStateException} saying so) if the pipeline is undeployed first,
     *     so that {@code finished().compose(v -> undeploy())} never waits on a pipeline gone already
     */
    public Future<Void> finished() {
        return source.finished();
    }

    /** @return a snapshot of the source's, the ring's and every stage's counters */
    public StagePipelineStats stats() {
        RingStats rs = ring().stats();
        List<StageStats> list = new ArrayList<>();
        for (int k = 0; k < counters.size(); k++) {
            list.add(counters.get(k).snapshot(rs.stageCursors().get(counters.get(k).name)));
        }
        SpanRing<DeltaRing> sr = source.spanRing;
        return new StagePipelineStats(source.rowsProduced(), source.sourceFailedRows(), source.spansSent(),
            sr.staleMessages(), sr.wakeUps(), rs, list);
    }

    /** Any thread: whether an instance of stage k declared that it holds its spans for back-pressure, not stuck. */
    boolean holdingForOutput(int k) {
        for (SpanStage s : stages.get(k)) {
            if (s.holdingForOutput()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Source context: asks every instance of stage k, on its context, to end the span stuck at its
     * cursor {@code first}: the one that holds it ends it, or the first to look if it was never taken.
     */
    void rescue(int k, long first) {
        for (SpanStage s : stages.get(k)) {
            Context c = s.stageContext();
            if (c != null) {
                c.runOnContext(v -> s.rescue(first));
            }
        }
    }

    /**
     * Stops the source (its open span is sent), waits until every span in flight has passed the
     * last stage (at most {@code drainTimeoutMillis}; the watchdog keeps failing stuck spans
     * meanwhile), then undeploys every stage and the source. Idempotent: later calls get the same
     * future.
     *
     * @return the final stats; fails with the drain timeout's message if rows were still held then
     *     (everything is undeployed all the same)
     */
    public synchronized Future<StagePipelineStats> undeploy() {
        if (undeploying != null) {
            return undeploying;
        }
        undeploying = drain().transform(ar -> {
            StagePipelineStats last = stats();
            List<Future<?>> all = new ArrayList<>();
            for (String id : deploymentIds) {
                all.add(vertx.undeploy(id));
            }
            return Future.join(all).transform(x -> vertx.undeploy(sourceDeploymentId)).transform(x -> ar.succeeded()
                ? Future.succeededFuture(last) : Future.failedFuture(ar.cause()));
        });
        return undeploying;
    }

    /**
     * Stops the source (its open span is sent; a {@link PushSource} is told to stop) and waits
     * until every span in flight has passed the last stage, at most {@code drainTimeoutMillis},
     * without undeploying anything: a last stage can still finish its own work (seal, flush)
     * before {@link #undeploy()}. Idempotent.
     *
     * @return completes once drained; fails naming the rows still held after the drain timeout
     */
    public synchronized Future<Void> drain() {
        if (draining == null) {
            Promise<Void> drained = Promise.promise();
            source.sourceContext().runOnContext(v -> source.drain().onComplete(drained));
            draining = drained.future();
        }
        return draining;
    }

    private Future<StagePipeline> deploy() {
        return vertx.deployVerticle(source).compose(id -> {
            sourceDeploymentId = id;
            for (int k = 0; k < stages.size(); k++) {
                for (SpanStage s : stages.get(k)) {
                    s.bind(source.spanRing, k, counters.get(k));
                }
            }
            Future<Void> chain = Future.succeededFuture();
            java.util.Set<String> hosted = new java.util.HashSet<>();
            List<StageSpec> specs = options.getStages();
            for (int k = 0; k < stages.size(); k++) {
                String group = specs.get(k).context();
                List<io.vertx.core.Deployable> deploy = new ArrayList<>();
                if (group == null) {
                    deploy.addAll(stages.get(k)); // each instance on its own event loop: Vert.x picks the next loop
                } else if (hosted.add(group)) {
                    List<SpanStage> members = new ArrayList<>();
                    for (int j = k; j < stages.size(); j++) {
                        if (group.equals(specs.get(j).context())) {
                            members.add(stages.get(j).get(0));
                        }
                    }
                    deploy.add(new StageGroup(group, members)); // every stage of the group on one context
                }
                for (io.vertx.core.Deployable v : deploy) {
                    chain = chain.compose(x -> vertx.deployVerticle(v).map(d -> {
                        synchronized (this) {
                            deploymentIds.add(d);
                        }
                        return null;
                    }));
                }
            }
            return chain;
        }).compose(x -> {
            source.sourceContext().runOnContext(v -> source.begin());
            return Future.succeededFuture(this);
        }, err -> {
            List<Future<?>> all = new ArrayList<>();
            for (String d : deploymentIds) {
                all.add(vertx.undeploy(d));
            }
            if (sourceDeploymentId != null) {
                all.add(vertx.undeploy(sourceDeploymentId));
            }
            return Future.join(all).transform(y -> Future.failedFuture(err));
        });
    }

    /**
     * Declares a pipeline in Java ({@link #source}, {@link #stage}) or from JSON
     * ({@link #options(JsonObject)} plus factories registered by name), then deploys it. The
     * factories are called once per deployment and must return a new instance each time.
     */
    public static final class Builder {

        private final StagePipelineOptions options = new StagePipelineOptions();
        private final Map<String, Supplier<? extends RowSource>> sources = new HashMap<>();
        private final Map<String, Supplier<? extends PushSource>> pushSources = new HashMap<>();
        private final Map<String, Supplier<? extends SpanStage>> factories = new HashMap<>();

        private Builder() {
        }

        /**
         * Registers a source factory under {@code name} and makes it the pipeline's source.
         *
         * @param name the factory's name ({@code source} in JSON)
         * @param factory makes the source
         * @return this
         */
        public Builder source(String name, Supplier<? extends RowSource> factory) {
            sourceFactory(name, factory);
            options.setSource(name);
            return this;
        }

        /**
         * Appends a stage after those declared so far; its factory is registered under its name.
         *
         * @param name the stage's name (ring stage, address suffix, factory name)
         * @param factory makes the stage's verticle
         * @param instances verticle instances, each on its own event loop (1..{@value StagePipelineOptions#MAX_INSTANCES}, checked at deploy)
         * @return this
         */
        public Builder stage(String name, Supplier<? extends SpanStage> factory, int instances) {
            factory(name, factory);
            options.addStage(new StageSpec(name, name, instances));
            return this;
        }

        /**
         * Runs the named stages, declared before, on one shared event-loop context (in pipeline
         * order) instead of a context each: a span between two of them is delivered on the same
         * thread. Each must have one instance.
         *
         * @param context the shared context's name (JSON: each stage's {@code "context"})
         * @param stageNames stages declared so far
         * @return this
         * @throws IllegalArgumentException if a name is not a stage declared so far
         */
        public Builder sharedContext(String context, String... stageNames) {
            List<StageSpec> list = new ArrayList<>(options.getStages());
            for (String n : stageNames) {
                int k = -1;
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).name().equals(n)) {
                        k = i;
                    }
                }
                if (k < 0) {
                    throw new IllegalArgumentException("sharedContext '" + context + "': no stage '" + n
                        + "' declared before it");
                }
                list.set(k, list.get(k).onContext(context));
            }
            options.setStages(list);
            return this;
        }

        /**
         * Registers a push source factory under {@code name} and makes it the pipeline's source.
         *
         * @param name the factory's name ({@code source} in JSON)
         * @param factory makes the source
         * @return this
         */
        public Builder pushSource(String name, Supplier<? extends PushSource> factory) {
            pushSources.put(Objects.requireNonNull(name), Objects.requireNonNull(factory));
            sources.remove(name);
            options.setSource(name);
            return this;
        }

        /** Registers a source factory for JSON declarations; @param name its name @param factory the factory @return this */
        public Builder sourceFactory(String name, Supplier<? extends RowSource> factory) {
            sources.put(Objects.requireNonNull(name), Objects.requireNonNull(factory));
            return this;
        }

        /** Registers a stage factory for JSON declarations; @param name its name @param factory the factory @return this */
        public Builder factory(String name, Supplier<? extends SpanStage> factory) {
            factories.put(Objects.requireNonNull(name), Objects.requireNonNull(factory));
            return this;
        }

        /**
         * Replaces the declaration with a JSON one ({@link StagePipelineOptions} shape); its names
         * refer to the factories registered on this builder.
         *
         * @param json the declaration
         * @return this
         */
        public Builder options(JsonObject json) {
            return options(new StagePipelineOptions(json));
        }

        /** @param o the declaration (copied) @return this */
        public Builder options(StagePipelineOptions o) {
            StagePipelineOptions c = new StagePipelineOptions(o);
            options.setName(c.getName()).setRingCapacity(c.getRingCapacity()).setRingMaxCapacity(c.getRingMaxCapacity())
                .setSpan(c.getSpan())
                .setStageTimeoutMillis(c.getStageTimeoutMillis()).setDrainTimeoutMillis(c.getDrainTimeoutMillis())
                .setSource(c.getSource()).setStages(c.getStages());
            return this;
        }

        /** @param name the ring's name @return this */
        public Builder name(String name) {
            options.setName(name);
            return this;
        }

        /** @param capacity rows in the ring, a power of two @return this */
        public Builder ringCapacity(int capacity) {
            options.setRingCapacity(capacity);
            return this;
        }

        /** @param maxCapacity 0 (fixed), or the most rows the adaptive ring grows to @return this */
        public Builder ringMaxCapacity(int maxCapacity) {
            options.setRingMaxCapacity(maxCapacity);
            return this;
        }

        /** @param span span size and linger @return this */
        public Builder span(SpanOptions span) {
            options.setSpan(span);
            return this;
        }

        /** @param millis how long a stage may hold a span before the watchdog fails it @return this */
        public Builder stageTimeoutMillis(long millis) {
            options.setStageTimeoutMillis(millis);
            return this;
        }

        /** @param millis how long undeploy waits for spans in flight @return this */
        public Builder drainTimeoutMillis(long millis) {
            options.setDrainTimeoutMillis(millis);
            return this;
        }

        /** @return the declaration so far (a copy); {@code toJson()} gives its JSON shape */
        public StagePipelineOptions declaration() {
            return new StagePipelineOptions(options);
        }

        /**
         * Validates the declaration, makes the source and each stage's instances with their
         * factories, deploys the source (which creates the ring on its context), then each stage in
         * order, then starts the source.
         *
         * @param vertx the Vert.x instance
         * @return the pipeline once every verticle is deployed; failed (with everything deployed
         *     so far undeployed) if the declaration is invalid, a factory is missing or a start fails
         */
        public Future<StagePipeline> deploy(Vertx vertx) {
            StagePipelineOptions o;
            RowSource src = null;
            PushSource push = null;
            List<List<SpanStage>> made = new ArrayList<>();
            try {
                o = new StagePipelineOptions(options).validate();
                Supplier<? extends RowSource> sf = sources.get(o.getSource());
                Supplier<? extends PushSource> pf = pushSources.get(o.getSource());
                if (sf == null && pf == null) {
                    throw new IllegalArgumentException("no source factory registered as '" + o.getSource()
                        + "' (row sources: " + sources.keySet() + ", push sources: " + pushSources.keySet()
                        + "); register it with sourceFactory(name, supplier) or pushSource(name, supplier)");
                }
                if (sf != null) {
                    src = Objects.requireNonNull(sf.get(), "source factory '" + o.getSource() + "' returned null");
                } else {
                    push = Objects.requireNonNull(pf.get(), "source factory '" + o.getSource() + "' returned null");
                }
                for (StageSpec st : o.getStages()) {
                    Supplier<? extends SpanStage> f = factories.get(st.factory());
                    if (f == null) {
                        throw new IllegalArgumentException("stage '" + st.name() + "': no factory registered as '"
                            + st.factory() + "' (registered: " + factories.keySet() + "); register it with factory(name, supplier)");
                    }
                    List<SpanStage> instances = new ArrayList<>();
                    for (int i = 0; i < st.instances(); i++) {
                        SpanStage made1 = Objects.requireNonNull(f.get(), "factory '" + st.factory() + "' returned null");
                        for (SpanStage other : instances) {
                            if (other == made1) {
                                throw new IllegalArgumentException("stage '" + st.name() + "': factory '" + st.factory()
                                    + "' returned the same verticle twice; it must make a new one on each call");
                            }
                        }
                        instances.add(made1);
                    }
                    made.add(instances);
                }
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
            return new StagePipeline(vertx, o, src, push, made).deploy();
        }
    }
}
