package io.github.hotpool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.pipeline.store.Durability;
import io.github.hotpool.vertx.ExhaustionPolicy;
import io.github.hotpool.vertx.OptionsRoundTrip;
import io.github.hotpool.vertx.SpanOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PipelineOptionsTest {

    /** Every field of every part set away from its default. */
    private static PipelineOptions everythingSet() {
        PipelineOptions o = new PipelineOptions().setBadLinePolicy(BadLinePolicy.FAIL).setMaxLineLength(4096)
            .setHooks(new JsonArray().add(new JsonObject().put("name", "h")))
            .setStages(new StagesOptions().setAddressPrefix("guard").setStageTimeoutMillis(123)
                .setIngest(new StageOptions().setInstances(2)).setTransform(new StageOptions().setInstances(3).setAddress("t"))
                .setLoad(new StageOptions().setInstances(4)).setReflex(new StageOptions().setInstances(5)))
            .setRings(new RingsOptions().setRingCapacity(256).setRingMaxCapacity(1024).setSpan(new SpanOptions().setMaxSpanRows(32).setLingerMillis(7)))
            .setListeners(new ListenerOptions().setHost("0.0.0.0").setHttpPort(8080).setTcpPort(9090)
                .setIdleTimeoutMillis(1234).setMaxConnections(17).setBatchLingerMillis(42))
            .setSinks(new SinkOptions().setEventBusSink("sink").setWebhookUrl("http://localhost:1/h").setWebhookMaxRetries(5)
                .setWebhookBackoffMillis(7).setWebhookMaxInFlight(9).setWebhookTimeoutMillis(4321))
            .setLockchain(new LockchainOptions().setOutDir("/tmp/x").setCycleReceipts(77).setCycleIdleMillis(99)
                .setReceiptsWriteQueueBytes(1000).setDurability(Durability.FSYNC).setSyncMillis(3).setSyncReceipts(11));
        o.getPool().setSoaBuffers(32);
        return o;
    }

    @Test
    void jsonRoundTrip_keepsEveryFieldOfEveryPart() {
        PipelineOptions o = everythingSet();
        PipelineOptions back = new PipelineOptions(new JsonObject(o.toJson().encode()));

        assertThat(back).isEqualTo(o);
        assertThat(back.toJson()).isEqualTo(o.toJson());
        assertThat(new PipelineOptions(o)).isEqualTo(o);
        // field by field, so that a part dropped from both toJson and the reader cannot pass
        assertThat(back.getStages().getTransform().getInstances()).isEqualTo(3);
        assertThat(back.getStages().getTransform().getAddress()).isEqualTo("t");
        assertThat(back.getStages().getStageTimeoutMillis()).isEqualTo(123);
        assertThat(back.getRings().getRingCapacity()).isEqualTo(256);
        assertThat(back.getRings().getSpan().getLingerMillis()).isEqualTo(7);
        assertThat(back.getListeners().getIdleTimeoutMillis()).isEqualTo(1234);
        assertThat(back.getListeners().getBatchLingerMillis()).isEqualTo(42);
        assertThat(back.getSinks().getWebhookTimeoutMillis()).isEqualTo(4321);
        assertThat(back.getSinks().getWebhookUrl()).as("toJson keeps the URL as set").isEqualTo("http://localhost:1/h");
        assertThat(back.getLockchain().getDurability()).isEqualTo(Durability.FSYNC);
        assertThat(back.getLockchain().getSyncReceipts()).isEqualTo(11);
        assertThat(back.getPool().getSoaBuffers()).isEqualTo(32);
        assertThat(back.getMaxLineLength()).isEqualTo(4096);
        // each part round-trips on its own too, and so does its copy
        assertThat(new StagesOptions(o.getStages().toJson())).isEqualTo(o.getStages()).isEqualTo(new StagesOptions(o.getStages()));
        assertThat(new RingsOptions(o.getRings().toJson())).isEqualTo(o.getRings()).isEqualTo(new RingsOptions(o.getRings()));
        assertThat(new ListenerOptions(o.getListeners().toJson())).isEqualTo(o.getListeners());
        assertThat(new SinkOptions(o.getSinks().toJson())).isEqualTo(o.getSinks()).isEqualTo(new SinkOptions(o.getSinks()));
        assertThat(new LockchainOptions(o.getLockchain().toJson())).isEqualTo(o.getLockchain());
    }

    /** Every field of the stages part set away from its default, Emit included. */
    private static StagesOptions everyStageSet() {
        return everythingSet().getStages().setEmit(new StageOptions().setAddress("e").setContext("tail"));
    }

    @Test
    void everyDeclaredField_ofEveryClass_roundTripsThroughJson() {
        PipelineOptions o = everythingSet();
        OptionsRoundTrip.check(PipelineOptions.class, PipelineOptions.FIELDS, o, PipelineOptions::new, PipelineOptions::new);
        OptionsRoundTrip.check(StagesOptions.class, StagesOptions.FIELDS, everyStageSet(), StagesOptions::new,
            StagesOptions::new);
        OptionsRoundTrip.check(StageOptions.class, StageOptions.FIELDS,
            new StageOptions().setAddress("a").setInstances(3).setContext("c"), StageOptions::new, StageOptions::new);
        OptionsRoundTrip.check(RingsOptions.class, RingsOptions.FIELDS, o.getRings(), RingsOptions::new, RingsOptions::new);
        OptionsRoundTrip.check(ListenerOptions.class, ListenerOptions.FIELDS, o.getListeners(), ListenerOptions::new,
            ListenerOptions::new);
        OptionsRoundTrip.check(SinkOptions.class, SinkOptions.FIELDS, o.getSinks(), SinkOptions::new, SinkOptions::new);
        OptionsRoundTrip.check(LockchainOptions.class, LockchainOptions.FIELDS, o.getLockchain(), LockchainOptions::new,
            LockchainOptions::new);
    }

    @Test
    void aPartGivenInPart_keepsTheRestOfItsDefaults_thePoolIncluded() {
        PipelineOptions o = new PipelineOptions(new JsonObject().put("pool", new JsonObject().put("soaBuffers", 4)));
        assertThat(o.getPool().getSoaBuffers()).isEqualTo(4);
        assertThat(o.getPool().getExhaustionPolicy()).as("the Ingest pool's default, not the core's")
            .isEqualTo(ExhaustionPolicy.WAIT);
        assertThat(o.getPool().getWaitTimeoutMillis()).isEqualTo(60_000);
    }

    @Test
    void json_wrongTypesAndEnums_areNamedByTheirPath() {
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("rings", new JsonObject()
            .put("span", new JsonObject().put("lingerMillis", 1.5)))))
            .hasMessage("pipeline option 'rings.span.lingerMillis' must be an integer: rings.span.lingerMillis=1.5");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("pool", new JsonObject().put("soaBufers", 4))))
            .hasMessageStartingWith("unknown pipeline option 'pool.soaBufers'; 'pool' takes [");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("listeners", new JsonObject().put("httpPort", "80"))))
            .hasMessage("pipeline option 'listeners.httpPort' must be an integer: listeners.httpPort=80");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("lockchain", new JsonObject().put("durability", "often"))))
            .hasMessage("pipeline option 'lockchain.durability' must be one of [FSYNC, BATCH, NONE]: lockchain.durability=often");
        assertThat(new PipelineOptions(new JsonObject().put("lockchain", new JsonObject().put("durability", "fsync")))
            .getLockchain().getDurability()).isEqualTo(Durability.FSYNC);
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("hooks", new JsonObject())))
            .hasMessage("pipeline option 'hooks' must be an array: hooks={}");
    }

    @Test
    void jsonShape_hasOneObjectPerPart() {
        JsonObject json = everythingSet().toJson();
        assertThat(json.fieldNames()).containsExactlyInAnyOrder("hooks", "pool", "badLinePolicy", "maxLineLength",
            "stages", "rings", "listeners", "sinks", "lockchain");
        assertThat(json.getJsonObject("lockchain").getString("outDir")).isEqualTo("/tmp/x");
        assertThat(json.getJsonObject("listeners").getInteger("tcpPort")).isEqualTo(9090);
        assertThat(json.getJsonObject("rings").getJsonObject("span").getInteger("maxSpanRows")).isEqualTo(32);
        assertThat(json.getJsonObject("stages").getJsonObject("reflex").getInteger("instances")).isEqualTo(5);
    }

    @Test
    void json_isReadStrictly_unknownFieldsAndWrongTypesAreNamed() {
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("outDir", "out")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown pipeline option 'outDir' (it is 'lockchain.outDir' now)");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("httpPort", 8080)))
            .hasMessageContaining("(it is 'listeners.httpPort' now)");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("lockchain", new JsonObject().put("outdir", "x"))))
            .hasMessageStartingWith("unknown pipeline option 'lockchain.outdir'; 'lockchain' takes [")
            .hasMessageContaining("outDir");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("rings", 1024)))
            .hasMessage("pipeline option 'rings' must be an object: rings=1024");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("stages", new JsonObject().put("load", "x"))))
            .hasMessage("pipeline option 'stages.load' must be an object: stages.load=x");
        assertThatThrownBy(() -> new PipelineOptions(new JsonObject().put("sinks", new JsonObject().put("webhook", "x"))))
            .hasMessageStartingWith("unknown pipeline option 'sinks.webhook'");
    }

    @Test
    void defaults_matchTheirConstants_andValidateFillsAddresses() {
        PipelineOptions o = new PipelineOptions().validate();
        assertThat(o.getStages().getStageTimeoutMillis()).isEqualTo(StagesOptions.DEFAULT_STAGE_TIMEOUT_MILLIS);
        assertThat(o.getBadLinePolicy()).isEqualTo(PipelineOptions.DEFAULT_BAD_LINE_POLICY);
        assertThat(o.getStages().getReflex().getAddress()).isEqualTo(StagesOptions.DEFAULT_ADDRESS_PREFIX + ".reflex");
        assertThat(o.getListeners().getHttpPort()).isEqualTo(-1);
        assertThat(o.getListeners().any()).isFalse();
        assertThat(o.getListeners().getIdleTimeoutMillis()).isEqualTo(ListenerOptions.DEFAULT_IDLE_TIMEOUT_MILLIS).isEqualTo(30_000);
        assertThat(o.getListeners().getMaxConnections()).isEqualTo(ListenerOptions.DEFAULT_MAX_CONNECTIONS).isEqualTo(256);
        assertThat(o.getListeners().getBatchLingerMillis()).isEqualTo(ListenerOptions.DEFAULT_BATCH_LINGER_MILLIS).isEqualTo(5);
        assertThat(o.getSinks().getWebhookTimeoutMillis()).isEqualTo(SinkOptions.DEFAULT_WEBHOOK_TIMEOUT_MILLIS).isEqualTo(10_000);
        assertThat(o.getLockchain().getOutDir()).isNull();
        assertThat(o.getLockchain().getDurability()).isEqualTo(LockchainOptions.DEFAULT_DURABILITY);
        assertThat(o.getRings().getRingCapacity()).isEqualTo(RingsOptions.DEFAULT_RING_CAPACITY).isEqualTo(1024);
        // absent from JSON: the defaults, not 0 (which would switch the idle timeout and linger off)
        PipelineOptions fromEmpty = new PipelineOptions(new JsonObject());
        assertThat(fromEmpty).isEqualTo(new PipelineOptions());
        assertThat(fromEmpty.getListeners().getIdleTimeoutMillis()).isEqualTo(30_000);
        assertThat(new PipelineOptions(new JsonObject().put("listeners", new JsonObject().put("tcpPort", 1)))
            .getListeners().getBatchLingerMillis()).as("a part given in part keeps the rest's defaults").isEqualTo(5);
    }

    @Test
    void validate_badValues_namePartFieldValueAndLimit() {
        assertThatThrownBy(() -> new PipelineOptions().setStages(new StagesOptions().setStageTimeoutMillis(0)).validate())
            .hasMessage("stages.stageTimeoutMillis 0 outside [1, 3600000]");
        assertThatThrownBy(() -> new PipelineOptions().setMaxLineLength(8).validate())
            .hasMessage("maxLineLength 8 outside [16, 16777216]");
        assertThatThrownBy(() -> new PipelineOptions().setStages(new StagesOptions().setLoad(new StageOptions().setInstances(0))).validate())
            .hasMessage("load instances 0 outside [1, 64]");
        assertThatThrownBy(() -> new PipelineOptions().setStages(new StagesOptions().setEmit(new StageOptions().setInstances(2))).validate())
            .hasMessageContaining("emit instances 2 must be 1");
        assertThatThrownBy(() -> new PipelineOptions().setListeners(new ListenerOptions().setTcpPort(70000)).validate())
            .hasMessage("listeners.tcpPort 70000 outside [-1, 65535]");
        assertThatThrownBy(() -> new PipelineOptions().setListeners(new ListenerOptions().setIdleTimeoutMillis(-1)).validate())
            .hasMessage("listeners.idleTimeoutMillis -1 outside [0, 86400000]");
        assertThatThrownBy(() -> new PipelineOptions().setListeners(new ListenerOptions().setMaxConnections(0)).validate())
            .hasMessage("listeners.maxConnections 0 outside [1, 65536]");
        assertThatThrownBy(() -> new PipelineOptions().setListeners(new ListenerOptions().setBatchLingerMillis(60_001)).validate())
            .hasMessage("listeners.batchLingerMillis 60001 outside [0, 60000]");
        assertThatThrownBy(() -> new PipelineOptions().setSinks(new SinkOptions().setWebhookMaxRetries(101)).validate())
            .hasMessage("sinks.webhookMaxRetries 101 outside [0, 100]");
        assertThatThrownBy(() -> new PipelineOptions().setLockchain(new LockchainOptions().setSyncReceipts(0)).validate())
            .hasMessage("lockchain.syncReceipts 0 outside [1, 16777216]");
        assertThatThrownBy(() -> new PipelineOptions().setLockchain(new LockchainOptions().setCycleReceipts(0)).validate())
            .hasMessageStartingWith("lockchain.cycleReceipts 0 outside [1, ");
        assertThat(everythingSet().validate()).as("every value of everythingSet() is in range").isNotNull();
    }

    @Test
    void ringAndSpan_roundTrip_andAreValidated() {
        PipelineOptions o = new PipelineOptions().setRings(new RingsOptions().setRingCapacity(256)
            .setSpan(new SpanOptions().setMaxSpanRows(32).setLingerMillis(7)));
        PipelineOptions back = new PipelineOptions(o.toJson());
        assertThat(back.getRings().getRingCapacity()).isEqualTo(256);
        assertThat(back.getRings().getSpan().getMaxSpanRows()).isEqualTo(32);
        assertThat(back.getRings().getSpan().getLingerMillis()).isEqualTo(7);
        assertThat(back).isEqualTo(o);
        assertThatThrownBy(() -> new PipelineOptions().setRings(new RingsOptions().setRingCapacity(1000)).validate())
            .hasMessage("rings.ringCapacity must be a power of two in [16, 1048576]: 1000");
        assertThatThrownBy(() -> new PipelineOptions().setRings(new RingsOptions().setRingCapacity(32)
            .setSpan(new SpanOptions().setMaxSpanRows(64))).validate())
            .hasMessage("rings.span.maxSpanRows 64 exceeds rings.ringCapacity 32");
    }

    @Test
    void toString_redactsTheWebhookCredentials_toJsonKeepsThem() {
        PipelineOptions o = new PipelineOptions().setSinks(new SinkOptions().setWebhookUrl("https://u:pw@h/x?token=t1"));
        assertThat(o.toString()).doesNotContain("pw").doesNotContain("t1").contains("\"sinks\"");
        assertThat(o.getSinks().toString()).doesNotContain("pw");
        assertThat(o.toJson().getJsonObject("sinks").getString("webhookUrl")).isEqualTo("https://u:pw@h/x?token=t1");
    }
}
