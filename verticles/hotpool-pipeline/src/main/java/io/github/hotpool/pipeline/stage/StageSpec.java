package io.github.hotpool.pipeline.stage;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One stage of a {@link StagePipelineOptions}: its name (the ring stage and the event-bus address
 * suffix), the name of the factory that makes its verticle (registered on the
 * {@link StagePipeline.Builder}), and its instance count. A value; JSON shape
 * {@code {"name": "square", "factory": "square", "instances": 1}} ({@code factory} defaults to the
 * name, {@code instances} to 1).
 *
 * @param name the stage's name, unique in the pipeline
 * @param factory the registered factory's name
 * @param instances verticle instances, 1..{@value StagePipelineOptions#MAX_INSTANCES}, each on its own event loop;
 *     the last stage of a pipeline whose output order matters (a lockchain) keeps 1
 */
public record StageSpec(String name, String factory, int instances) {

    /**
     * @param json the JSON shape above
     * @return the spec it describes (not validated)
     */
    public static StageSpec fromJson(JsonObject json) {
        String name = json.getString("name");
        return new StageSpec(name, json.getString("factory", name), json.getInteger("instances", 1));
    }

    /** @return this spec as JSON, readable by {@link #fromJson} */
    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("factory", factory).put("instances", instances);
    }

    /** Checks the names are present. */
    public StageSpec {
        Objects.requireNonNull(name, "stage name");
        Objects.requireNonNull(factory, "factory name of stage '" + name + "'");
    }
}
