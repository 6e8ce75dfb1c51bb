package io.github.hotpool.vertx;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpanOptionsTest {

    @Test
    void defaults_copies_andJsonRoundTrip() {
        SpanOptions d = new SpanOptions();
        assertThat(d.getMaxSpanRows()).isEqualTo(SpanOptions.DEFAULT_MAX_SPAN_ROWS).isEqualTo(64);
        assertThat(d.getLingerMillis()).isEqualTo(SpanOptions.DEFAULT_LINGER_MILLIS).isEqualTo(1);
        SpanOptions o = new SpanOptions().setMaxSpanRows(16).setLingerMillis(5);
        assertThat(new SpanOptions(o)).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(o.toJson()).isEqualTo(new JsonObject().put("maxSpanRows", 16).put("lingerMillis", 5L));
        assertThat(new SpanOptions(o.toJson())).isEqualTo(o);
        assertThat(new SpanOptions(new JsonObject())).isEqualTo(d);
        assertThat(new SpanOptions(new JsonObject(o.toJson().encode()))).isEqualTo(o);
        assertThat(o.validate()).isSameAs(o);
        assertThat(o.toString()).contains("\"maxSpanRows\":16");
    }

    @Test
    void everyDeclaredField_roundTripsThroughJson() {
        OptionsRoundTrip.check(SpanOptions.class, SpanOptions.FIELDS, new SpanOptions().setMaxSpanRows(16).setLingerMillis(5),
            SpanOptions::new, SpanOptions::new);
    }

    @Test
    void json_isReadStrictly_fractionsAndUnknownKeysAreNamed() {
        assertThatThrownBy(() -> new SpanOptions(new JsonObject().put("lingerMillis", 1.5)))
            .hasMessage("span option 'lingerMillis' must be an integer: lingerMillis=1.5");
        assertThatThrownBy(() -> new SpanOptions(new JsonObject().put("linger", 1)))
            .hasMessage("unknown span option 'linger'; the top level takes [lingerMillis, maxSpanRows]");
    }

    @Test
    void validation_namesTheValueAndTheLimit() {
        assertThatThrownBy(() -> new SpanOptions().setMaxSpanRows(0).validate())
            .hasMessage("maxSpanRows must be in [1, 1048576]: 0");
        assertThatThrownBy(() -> new SpanOptions().setLingerMillis(0).validate())
            .hasMessage("lingerMillis must be in [1, 60000]: 0");
        assertThatThrownBy(() -> new SpanOptions().setLingerMillis(60_001).validate())
            .hasMessage("lingerMillis must be in [1, 60000]: 60001");
        assertThatThrownBy(() -> new SpanOptions(new JsonObject().put("lingerMillis", "1")))
            .hasMessage("span option 'lingerMillis' must be an integer: lingerMillis=1");
        assertThatThrownBy(() -> new SpanOptions(new JsonObject().put("maxSpanRows", Long.MAX_VALUE)))
            .hasMessageContaining("span option 'maxSpanRows' exceeds the int range");
    }
}
