package io.github.hotpool.vertx;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HotpoolOptionsTest {

    private static HotpoolOptions nonDefault() {
        return new HotpoolOptions().setSoaBuffers(3).setReceipts(40).setReceiptsPerBuffer(5).setName("p")
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setMaxWaitQueueSize(7).setWaitTimeoutMillis(123)
            .setLeakLevel(LeakLevel.PARANOID).setLeakThresholdMillis(456)
            .setCapacityPolicy(io.github.hotpool.core.CapacityPolicy.GROW_ON_HIGH_WATER).setMaxSoaBuffers(9)
            .setGrowthStep(2).setIdleMillis(77).setGrowAtPercent(60).setCapacityCheckMillis(11)
            .setSpreadOverNumaNodes(true);
    }

    @Test
    void spreadOverNumaNodes_isOffByDefault_andMustBeABoolean() {
        assertThat(new HotpoolOptions().isSpreadOverNumaNodes()).isFalse();
        assertThat(new HotpoolOptions().toJson().getBoolean("spreadOverNumaNodes")).isFalse();
        assertThat(new HotpoolOptions(new JsonObject().put("spreadOverNumaNodes", true)).isSpreadOverNumaNodes()).isTrue();
        assertThat(nonDefault()).isNotEqualTo(new HotpoolOptions(nonDefault()).setSpreadOverNumaNodes(false));
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("spreadOverNumaNodes", "yes")))
            .hasMessage("hotpool option 'spreadOverNumaNodes' must be a boolean: spreadOverNumaNodes=yes");
    }

    @Test
    void adaptiveOptions_reachTheCorePool_andBadOnesNameTheirField() {
        HotpoolOptions o = nonDefault();
        io.github.hotpool.core.PoolOptions core = o.toPoolOptions("x");
        assertThat(core.getCapacityPolicy()).isEqualTo(io.github.hotpool.core.CapacityPolicy.GROW_ON_HIGH_WATER);
        assertThat(core.effectiveMaxSoaBuffers()).isEqualTo(9);
        assertThat(core.effectiveGrowthStep()).isEqualTo(2);
        assertThat(core.getIdleMillis()).isEqualTo(77);
        assertThat(core.getGrowAtPercent()).isEqualTo(60);
        assertThatThrownBy(() -> nonDefault().setCapacityCheckMillis(0).validate())
            .hasMessage("capacityCheckMillis must be at least 1: capacityCheckMillis=0");
        assertThatThrownBy(() -> nonDefault().setMaxSoaBuffers(8).validate())
            .hasMessageContaining("multiple of growthStep 2");
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("capacityPolicy", "SOMETIMES")))
            .hasMessageContaining("capacityPolicy").hasMessageContaining("SOMETIMES");
    }

    @Test
    void toJsonThenJsonConstructor_roundTripsEveryField() {
        HotpoolOptions o = nonDefault();
        HotpoolOptions back = new HotpoolOptions(new JsonObject(o.toJson().encode()));
        assertThat(back).isEqualTo(o);
        assertThat(back.toJson()).isEqualTo(o.toJson());
    }

    @Test
    void everyDeclaredField_roundTripsThroughJson() {
        OptionsRoundTrip.check(HotpoolOptions.class, HotpoolOptions.FIELDS, nonDefault(), HotpoolOptions::new,
            HotpoolOptions::new);
    }

    @Test
    void json_isReadStrictly_unknownKeysAreNamed_enumsInAnyCase() {
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("soaBufers", 4)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown hotpool option 'soaBufers'; the top level takes [")
            .hasMessageContaining("soaBuffers");
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("name", 7)))
            .hasMessage("hotpool option 'name' must be a string: name=7");
        assertThat(new HotpoolOptions(new JsonObject().put("exhaustionPolicy", "wait")).getExhaustionPolicy())
            .isEqualTo(ExhaustionPolicy.WAIT);
    }

    @Test
    void copyConstructor_copiesEveryFieldIndependently() {
        HotpoolOptions o = nonDefault();
        HotpoolOptions copy = new HotpoolOptions(o);
        assertThat(copy).isEqualTo(o);
        copy.setSoaBuffers(9);
        assertThat(o.getSoaBuffers()).isEqualTo(3);
    }

    @Test
    void emptyJson_givesDefaults() {
        HotpoolOptions o = new HotpoolOptions(new JsonObject());
        assertThat(o).isEqualTo(new HotpoolOptions());
        assertThat(o.getSoaBuffers()).isEqualTo(HotpoolOptions.DEFAULT_SOA_BUFFERS);
        assertThat(o.getExhaustionPolicy()).isEqualTo(ExhaustionPolicy.FAIL);
        assertThat(o.getLeakLevel()).isEqualTo(LeakLevel.SIMPLE);
        assertThat(o.getName()).isNull();
    }

    @Test
    void jsonWithWrongType_namesKeyAndValue() {
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("soaBuffers", "many")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soaBuffers=many");
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("leakLevel", "LOUD")))
            .hasMessageContaining("leakLevel=LOUD").hasMessageContaining("PARANOID");
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("waitTimeoutMillis", 1.5)))
            .hasMessageContaining("waitTimeoutMillis=1.5");
        assertThatThrownBy(() -> new HotpoolOptions(new JsonObject().put("receipts", 1L << 40)))
            .hasMessageContaining("int range");
    }

    @Test
    void validate_namesBadValueAndLimit() {
        assertThatThrownBy(() -> new HotpoolOptions().setSoaBuffers(0).validate()).hasMessageContaining("soaBuffers=0");
        assertThatThrownBy(() -> new HotpoolOptions().setMaxWaitQueueSize(0).validate())
            .hasMessageContaining("maxWaitQueueSize=0");
        assertThatThrownBy(() -> new HotpoolOptions().setWaitTimeoutMillis(0).validate())
            .hasMessageContaining("waitTimeoutMillis=0");
        assertThatThrownBy(() -> new HotpoolOptions().setLeakThresholdMillis(-1).validate())
            .hasMessageContaining("leakThresholdMillis=-1");
        assertThatThrownBy(() -> new HotpoolOptions().setLeakLevel(null).validate()).hasMessageContaining("leakLevel");
        assertThat(nonDefault().validate()).isNotNull();
    }
}
