package io.github.hotpool.pipeline.stage;

import io.github.hotpool.core.RingOptions;
import io.github.hotpool.vertx.JsonOptions;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The declaration of a {@link StagePipeline}, in the Vert.x options shape: no-arg, copy and
 * {@link JsonObject} constructors, {@link #toJson()} (round-trips), fluent setters,
 * {@link #validate()}. JSON:
 *
 * <pre>{@code
 * {"name": "numbers", "ringCapacity": 1024, "span": {"maxSpanRows": 64, "lingerMillis": 1},
 *  "stageTimeoutMillis": 5000, "drainTimeoutMillis": 10000, "source": "numbers",
 *  "stages": [{"name": "square", "factory": "square", "instances": 1}, ...]}
 * }</pre>
 *
 * {@code source} and each stage's {@code factory} name factories registered on the
 * {@link StagePipeline.Builder}: the JSON describes the shape, the code supplies the verticles.
 * The conversion is the field table {@link #FIELDS}, read strictly ({@link JsonOptions}): an
 * unknown key, at the top, in {@code span} or in a stage, is an error naming its path.
 */
public final class StagePipelineOptions extends JsonOptions {

    /** Default ring name (also the middle of the stage addresses, {@code hotpool.spans.<name>.<n>.<stage>}). */
    public static final String DEFAULT_NAME = "pipeline";
    /** Default {@link #getStageTimeoutMillis()}. */
    public static final long DEFAULT_STAGE_TIMEOUT_MILLIS = 5_000;
    /** Default {@link #getDrainTimeoutMillis()}. */
    public static final long DEFAULT_DRAIN_TIMEOUT_MILLIS = 10_000;
    /** Most instances of one stage. */
    public static final int MAX_INSTANCES = 64;

    /** The JSON fields, each declared once: what {@link #StagePipelineOptions(JsonObject)} reads and {@link #toJson()} writes. */
    public static final Fields<StagePipelineOptions> FIELDS = fields("stage pipeline", StagePipelineOptions::new)
        .string("name", StagePipelineOptions::getName, StagePipelineOptions::setName)
        .integer("ringCapacity", StagePipelineOptions::getRingCapacity, StagePipelineOptions::setRingCapacity)
        // 0 (a fixed ring) is left out, so that a fixed ring's JSON is what it was before rings could grow
        .integer("ringMaxCapacity", o -> o.getRingMaxCapacity() == 0 ? null : o.getRingMaxCapacity(), StagePipelineOptions::setRingMaxCapacity)
        .part("span", SpanOptions.FIELDS, StagePipelineOptions::getSpan, StagePipelineOptions::setSpan)
        .longInteger("stageTimeoutMillis", StagePipelineOptions::getStageTimeoutMillis,
            StagePipelineOptions::setStageTimeoutMillis)
        .longInteger("drainTimeoutMillis", StagePipelineOptions::getDrainTimeoutMillis,
            StagePipelineOptions::setDrainTimeoutMillis)
        .string("source", StagePipelineOptions::getSource, StagePipelineOptions::setSource)
        .objects("stages", StageSpec.KEYS, StageSpec::fromJson, StageSpec::toJson, StagePipelineOptions::getStages,
            StagePipelineOptions::setStages)
        .build();

    private String name = DEFAULT_NAME;
    private int ringCapacity = RingOptions.DEFAULT_CAPACITY;
    private int ringMaxCapacity;
    private SpanOptions span = new SpanOptions();
    private long stageTimeoutMillis = DEFAULT_STAGE_TIMEOUT_MILLIS;
    private long drainTimeoutMillis = DEFAULT_DRAIN_TIMEOUT_MILLIS;
    private String source;
    private List<StageSpec> stages = new ArrayList<>();

    /** Defaults: no source, no stages (set them before {@link #validate()}). */
    public StagePipelineOptions() {
    }

    /** @param other options to copy */
    public StagePipelineOptions(StagePipelineOptions other) {
        this(other.toJson());
    }

    /**
     * @param json the JSON shape in the class comment; absent fields keep their defaults
     * @throws IllegalArgumentException for an unknown key or a value of the wrong type, naming its path
     */
    public StagePipelineOptions(JsonObject json) {
        FIELDS.read(json, this);
    }

    /** @return these options as JSON, readable by {@link #StagePipelineOptions(JsonObject)} */
    @Override
    public JsonObject toJson() {
        return FIELDS.write(this);
    }

    /** @return the ring's name */
    public String getName() {
        return name;
    }

    /** @param name the ring's name, not blank; @return this */
    public StagePipelineOptions setName(String name) {
        this.name = name;
        return this;
    }

    /** @return rows in the Δ-ring: a power of two */
    public int getRingCapacity() {
        return ringCapacity;
    }

    /** @param ringCapacity a power of two in 1 .. {@value RingOptions#MAX_CAPACITY}; @return this */
    public StagePipelineOptions setRingCapacity(int ringCapacity) {
        this.ringCapacity = ringCapacity;
        return this;
    }

    /** @return span size and linger (a copy) */
    public SpanOptions getSpan() {
        return new SpanOptions(span);
    }

    /** @param span span size and linger (copied); @return this */
    public StagePipelineOptions setSpan(SpanOptions span) {
        this.span = new SpanOptions(span);
        return this;
    }

    /** @return how long a stage may hold a span (or a span may wait to be taken) before the watchdog fails it */
    public long getStageTimeoutMillis() {
        return stageTimeoutMillis;
    }

    /** @param stageTimeoutMillis 1 .. 3,600,000; @return this */
    public StagePipelineOptions setStageTimeoutMillis(long stageTimeoutMillis) {
        this.stageTimeoutMillis = stageTimeoutMillis;
        return this;
    }

    /** @return how long undeploy waits for spans in flight to pass the last stage */
    public long getDrainTimeoutMillis() {
        return drainTimeoutMillis;
    }

    /** @param drainTimeoutMillis 0 .. 3,600,000; @return this */
    public StagePipelineOptions setDrainTimeoutMillis(long drainTimeoutMillis) {
        this.drainTimeoutMillis = drainTimeoutMillis;
        return this;
    }

    /** @return the source factory's name */
    public String getSource() {
        return source;
    }

    /** @param source the source factory's name; @return this */
    public StagePipelineOptions setSource(String source) {
        this.source = source;
        return this;
    }

    /** @return the stages in order (a copy) */
    public List<StageSpec> getStages() {
        return new ArrayList<>(stages);
    }

    /** @param stages the stages in order (copied); @return this */
    public StagePipelineOptions setStages(List<StageSpec> stages) {
        this.stages = new ArrayList<>(stages);
        return this;
    }

    /** @param stage appended after the stages declared so far; @return this */
    public StagePipelineOptions addStage(StageSpec stage) {
        stages.add(Objects.requireNonNull(stage));
        return this;
    }

    /** @return the most rows an adaptive ring grows to; 0 (the default): the ring is fixed at ringCapacity */
    public int getRingMaxCapacity() {
        return ringMaxCapacity;
    }

    /**
     * @param ringMaxCapacity 0 for a fixed ring, or ringCapacity times a power of two: the ring then
     *     starts at ringCapacity, doubles when the source finds it full and halves after a second idle
     *     ({@link io.github.hotpool.core.CapacityPolicy#GROW_ON_EXHAUSTION})
     * @return this
     */
    public StagePipelineOptions setRingMaxCapacity(int ringMaxCapacity) {
        this.ringMaxCapacity = ringMaxCapacity;
        return this;
    }

    /** @return the ring options these declare: the stages as one chain */
    public RingOptions ringOptions() {
        RingOptions r = new RingOptions().setName(name).setCapacity(ringCapacity)
            .chain(stages.stream().map(StageSpec::name).toArray(String[]::new));
        if (ringMaxCapacity != 0) {
            r.setCapacityPolicy(io.github.hotpool.core.CapacityPolicy.GROW_ON_EXHAUSTION).setMaxCapacity(ringMaxCapacity);
        }
        return r;
    }

    /**
     * Checks every field; messages name the value and the limit.
     *
     * @return this
     * @throws IllegalArgumentException for the first invalid field
     */
    public StagePipelineOptions validate() {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a pipeline needs a source: set source to a registered source factory's name");
        }
        if (stages.isEmpty() || stages.size() > RingOptions.MAX_STAGES) {
            throw new IllegalArgumentException("stages must number 1 to " + RingOptions.MAX_STAGES + ": " + stages.size());
        }
        Set<String> names = new HashSet<>();
        for (StageSpec st : stages) {
            if (st.name().isBlank() || !names.add(st.name())) {
                throw new IllegalArgumentException("stage names must be unique and not blank: '" + st.name() + "'");
            }
            if (st.instances() < 1 || st.instances() > MAX_INSTANCES) {
                throw new IllegalArgumentException("stage '" + st.name() + "': instances " + st.instances()
                    + " outside [1, " + MAX_INSTANCES + "]");
            }
            if (st.context() != null && (st.context().isBlank() || st.instances() != 1)) {
                throw new IllegalArgumentException("stage '" + st.name() + "': " + (st.context().isBlank()
                    ? "a shared context needs a name" : "a stage on shared context '" + st.context()
                    + "' has one instance, not " + st.instances()));
            }
        }
        if (stageTimeoutMillis < 1 || stageTimeoutMillis > 3_600_000) {
            throw new IllegalArgumentException("stageTimeoutMillis must be in [1, 3600000]: " + stageTimeoutMillis);
        }
        if (drainTimeoutMillis < 0 || drainTimeoutMillis > 3_600_000) {
            throw new IllegalArgumentException("drainTimeoutMillis must be in [0, 3600000]: " + drainTimeoutMillis);
        }
        span.validate();
        ringOptions().validate();
        if (span.getMaxSpanRows() > ringCapacity) {
            throw new IllegalArgumentException("span.maxSpanRows must be at most ringCapacity " + ringCapacity + ": "
                + span.getMaxSpanRows());
        }
        return this;
    }
}
