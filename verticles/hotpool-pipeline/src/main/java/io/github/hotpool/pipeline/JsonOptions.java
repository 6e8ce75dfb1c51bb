package io.github.hotpool.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * An options class whose value is its JSON form: two options of the same class are equal when
 * their {@link #toJson()} are, and print as it. The parts of {@link PipelineOptions} extend it.
 */
public abstract class JsonOptions {

    /** @return the options as JSON; reading it back gives equal options */
    public abstract JsonObject toJson();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && toJson().equals(((JsonOptions) o).toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** @return the JSON form (a class with secrets in it overrides this to mask them) */
    @Override
    public String toString() {
        return toJson().encode();
    }
}
