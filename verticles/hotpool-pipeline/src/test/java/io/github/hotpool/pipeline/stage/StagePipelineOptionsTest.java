package io.github.hotpool.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.vertx.OptionsRoundTrip;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagePipelineOptionsTest {

    @Test
    void everyDeclaredField_roundTripsThroughJson() {
        StagePipelineOptions o = new StagePipelineOptions().setName("n").setRingCapacity(256).setRingMaxCapacity(1024)
            .setSpan(new SpanOptions().setMaxSpanRows(16).setLingerMillis(3)).setStageTimeoutMillis(77)
            .setDrainTimeoutMillis(88).setSource("src")
            .setStages(List.of(new StageSpec("a", "fa", 2), new StageSpec("b", "b", 1).onContext("tail")));
        OptionsRoundTrip.check(StagePipelineOptions.class, StagePipelineOptions.FIELDS, o, StagePipelineOptions::new,
            StagePipelineOptions::new);
        assertThat(new StagePipelineOptions(o.toJson()).getStages()).isEqualTo(o.getStages());
    }

    @Test
    void json_isReadStrictly_unknownKeysAndWrongTypesAreNamedByTheirPath() {
        assertThatThrownBy(() -> new StagePipelineOptions(new JsonObject().put("ringcapacity", 8)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown stage pipeline option 'ringcapacity'; the top level takes [");
        assertThatThrownBy(() -> new StagePipelineOptions(new JsonObject().put("maxSpanRows", 8)))
            .hasMessageStartingWith("unknown stage pipeline option 'maxSpanRows' (it is 'span.maxSpanRows' now)");
        assertThatThrownBy(() -> new StagePipelineOptions(new JsonObject()
            .put("stages", new JsonArray().add(new JsonObject().put("name", "a")).add(new JsonObject().put("fatcory", "b")))))
            .hasMessage("unknown stage pipeline option 'stages[1].fatcory'; 'stages[1]' takes [context, factory, instances, name]");
        assertThatThrownBy(() -> new StagePipelineOptions(new JsonObject().put("stages", new JsonArray().add("a"))))
            .hasMessage("stage pipeline option 'stages[0]' must be an object: stages[0]=a");
        assertThatThrownBy(() -> new StagePipelineOptions(new JsonObject().put("drainTimeoutMillis", "soon")))
            .hasMessage("stage pipeline option 'drainTimeoutMillis' must be an integer: drainTimeoutMillis=soon");
    }
}
