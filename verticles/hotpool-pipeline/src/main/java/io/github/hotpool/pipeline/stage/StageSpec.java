package io.github.hotpool.pipeline.stage;

import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Set;

/**
 * One stage of a {@link StagePipelineOptions}: its name (the ring stage and the event-bus address
 * suffix), the name of the factory that makes its verticle (registered on the
 * {@link StagePipeline.Builder}), its instance count, and the shared context it runs on, if any.
 * A value; JSON shape {@code {"name": "square", "factory": "square", "instances": 1, "context": "work"}}
 * ({@code factory} defaults to the name, {@code instances} to 1, {@code context} to none: a context
 * of its own).
 *
 * @param name the stage's name, unique in the pipeline
 * @param factory the registered factory's name
 * @param instances verticle instances, 1..{@value StagePipelineOptions#MAX_INSTANCES}, each on its own event loop;
 *     the last stage of a pipeline whose output order matters (a lockchain) keeps 1
 * @param context null: the stage (each instance) gets an event-loop context of its own; a name:
 *     every stage declaring that name runs on one shared context (one event loop, in pipeline
 *     order), and must have one instance
 */
public record StageSpec(String name, String factory, int instances, String context) {

    /** The keys of a stage's JSON object; {@link StagePipelineOptions} refuses any other. */
    static final Set<String> KEYS = Set.of("name", "factory", "instances", "context");

    /** A stage on a context of its own. */
    public StageSpec(String name, String factory, int instances) {
        this(name, factory, instances, null);
    }

    /**
     * @param json the JSON shape above
     * @return the spec it describes (not validated)
     */
    public static StageSpec fromJson(JsonObject json) {
        String name = json.getString("name");
        return new StageSpec(name, json.getString("factory", name), json.getInteger("instances", 1),
            json.getString("context"));
    }

    /** @return this spec as JSON, readable by {@link #fromJson} */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("name", name).put("factory", factory).put("instances", instances);
        if (context != null) {
            json.put("context", context);
        }
        return json;
    }

    /** @param context a shared context's name @return this spec on that shared context */
    public StageSpec onContext(String context) {
        return new StageSpec(name, factory, instances, Objects.requireNonNull(context, "context"));
    }

    /** Checks the names are present. */
    public StageSpec {
        Objects.requireNonNull(name, "stage name");
        Objects.requireNonNull(factory, "factory name of stage '" + name + "'");
    }
}
