package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PipelineOptionsTest {

    @Test
    void jsonRoundTrip_keepsEveryField() {
        PipelineOptions o = new PipelineOptions().setAddressPrefix("guard").setStageTimeoutMillis(123)
            .setBadLinePolicy(BadLinePolicy.FAIL).setMaxLineLength(4096).setCycleReceipts(77).setOutDir("/tmp/x")
            .setEventBusSink("sink").setWebhookUrl("http://localhost:1/h").setWebhookMaxRetries(5)
            .setWebhookBackoffMillis(7).setWebhookMaxInFlight(9).setHost("0.0.0.0").setHttpPort(8080).setTcpPort(9090)
            .setIdleTimeoutMillis(1234).setMaxConnections(17).setBatchLingerMillis(42).setWebhookTimeoutMillis(4321)
            .setTransform(new StageOptions().setInstances(3).setAddress("t"))
            .setHooks(new JsonArray().add(new JsonObject().put("name", "h")));
        o.getPool().setSoaBuffers(32);

        PipelineOptions back = new PipelineOptions(new JsonObject(o.toJson().encode()));

        assertThat(back).isEqualTo(o);
        assertThat(back.toJson()).isEqualTo(o.toJson());
        assertThat(back.getTransform().getInstances()).isEqualTo(3);
        assertThat(back.getPool().getSoaBuffers()).isEqualTo(32);
        assertThat(back.getIdleTimeoutMillis()).isEqualTo(1234);
        assertThat(back.getMaxConnections()).isEqualTo(17);
        assertThat(back.getBatchLingerMillis()).isEqualTo(42);
        assertThat(back.getWebhookTimeoutMillis()).isEqualTo(4321);
        assertThat(back.getWebhookUrl()).as("toJson keeps the URL as set").isEqualTo("http://localhost:1/h");
        assertThat(new PipelineOptions(o)).isEqualTo(o);
    }

    @Test
    void defaults_matchTheirConstants_andValidateFillsAddresses() {
        PipelineOptions o = new PipelineOptions().validate();
        assertThat(o.getStageTimeoutMillis()).isEqualTo(PipelineOptions.DEFAULT_STAGE_TIMEOUT_MILLIS);
        assertThat(o.getBadLinePolicy()).isEqualTo(PipelineOptions.DEFAULT_BAD_LINE_POLICY);
        assertThat(o.getReflex().getAddress()).isEqualTo(PipelineOptions.DEFAULT_ADDRESS_PREFIX + ".reflex");
        assertThat(o.getHttpPort()).isEqualTo(-1);
        assertThat(o.getIdleTimeoutMillis()).isEqualTo(PipelineOptions.DEFAULT_IDLE_TIMEOUT_MILLIS).isEqualTo(30_000);
        assertThat(o.getMaxConnections()).isEqualTo(PipelineOptions.DEFAULT_MAX_CONNECTIONS).isEqualTo(256);
        assertThat(o.getBatchLingerMillis()).isEqualTo(PipelineOptions.DEFAULT_BATCH_LINGER_MILLIS).isEqualTo(5);
        assertThat(o.getWebhookTimeoutMillis()).isEqualTo(PipelineOptions.DEFAULT_WEBHOOK_TIMEOUT_MILLIS).isEqualTo(10_000);
        // absent from JSON: the defaults, not 0 (which would switch the idle timeout and linger off)
        PipelineOptions fromEmpty = new PipelineOptions(new io.vertx.core.json.JsonObject());
        assertThat(fromEmpty.getIdleTimeoutMillis()).isEqualTo(30_000);
        assertThat(fromEmpty.getMaxConnections()).isEqualTo(256);
        assertThat(fromEmpty.getBatchLingerMillis()).isEqualTo(5);
    }

    @Test
    void validate_badValues_nameFieldValueAndLimit() {
        assertThatThrownBy(() -> new PipelineOptions().setStageTimeoutMillis(0).validate())
            .hasMessage("stageTimeoutMillis 0 outside [1, 3600000]");
        assertThatThrownBy(() -> new PipelineOptions().setMaxLineLength(8).validate())
            .hasMessageContaining("maxLineLength 8");
        assertThatThrownBy(() -> new PipelineOptions().setLoad(new StageOptions().setInstances(0)).validate())
            .hasMessage("load instances 0 outside [1, 64]");
        assertThatThrownBy(() -> new PipelineOptions().setEmit(new StageOptions().setInstances(2)).validate())
            .hasMessageContaining("emit instances 2 must be 1");
        assertThatThrownBy(() -> new PipelineOptions().setTcpPort(70000).validate())
            .hasMessage("tcpPort 70000 outside [-1, 65535]");
        assertThatThrownBy(() -> new PipelineOptions().setIdleTimeoutMillis(-1).validate())
            .hasMessage("idleTimeoutMillis -1 outside [0, 86400000]");
        assertThatThrownBy(() -> new PipelineOptions().setMaxConnections(0).validate())
            .hasMessage("maxConnections 0 outside [1, 65536]");
        assertThatThrownBy(() -> new PipelineOptions().setBatchLingerMillis(60_001).validate())
            .hasMessage("batchLingerMillis 60001 outside [0, 60000]");
    }

    @Test
    void ringAndSpan_roundTrip_andAreValidated() {
        PipelineOptions o = new PipelineOptions().setRingCapacity(256)
            .setSpan(new io.github.hotpool.vertx.SpanOptions().setMaxSpanRows(32).setLingerMillis(7));
        PipelineOptions back = new PipelineOptions(o.toJson());
        assertThat(back.getRingCapacity()).isEqualTo(256);
        assertThat(back.getSpan().getMaxSpanRows()).isEqualTo(32);
        assertThat(back.getSpan().getLingerMillis()).isEqualTo(7);
        assertThat(back).isEqualTo(o);
        assertThat(new PipelineOptions().getRingCapacity()).isEqualTo(PipelineOptions.DEFAULT_RING_CAPACITY);
        assertThatThrownBy(() -> new PipelineOptions().setRingCapacity(1000).validate())
            .hasMessage("ringCapacity must be a power of two in [16, 1048576]: ringCapacity=1000");
        assertThatThrownBy(() -> new PipelineOptions().setRingCapacity(32)
            .setSpan(new io.github.hotpool.vertx.SpanOptions().setMaxSpanRows(64)).validate())
            .hasMessage("span.maxSpanRows 64 exceeds ringCapacity 32");
    }
}
