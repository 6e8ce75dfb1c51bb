package io.github.hotpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.github.hotpool.vertx.OptionsRoundTrip;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterOptionsTest {

    @Test
    void json_roundTripsEveryField() {
        ClusterOptions o = new ClusterOptions().setClusterName("c1").setHost("10.0.0.5").setPort(5801).setBusPort(15701)
            .setMembers(List.of("10.0.0.5", "10.0.0.6:5801")).setConfigFile("hz.yaml").setHopTimeoutMillis(100)
            .setUnitTimeoutMillis(900).setMaxAttempts(7).setWindow(64).setUnitsPerFrame(16).setLingerMillis(5);
        assertThat(new ClusterOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
        assertThat(new ClusterOptions(o).toJson()).isEqualTo(o.toJson());
        OptionsRoundTrip.check(ClusterOptions.class, ClusterOptions.FIELDS, o, ClusterOptions::new, ClusterOptions::new);
    }

    @Test
    void json_isReadStrictly_unknownKeysAndWrongTypesAreNamed() {
        assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("member", new JsonArray().add("h"))))
            .hasMessageStartingWith("unknown cluster option 'member'; the top level takes [");
        assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("members", new JsonArray().add("h").add(5701))))
            .hasMessage("cluster option 'members[1]' must be a string: members[1]=5701");
        assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("port", "5701")))
            .hasMessage("cluster option 'port' must be an integer: port=5701");
    }

    @Test
    void validate_namesTheFieldValueAndLimit() {
        assertThatThrownBy(() -> new ClusterOptions().setWindow(0).validate())
            .hasMessage("window must be in [1, 4096]: window=0");
        assertThatThrownBy(() -> new ClusterOptions().setPort(70000).validate())
            .hasMessage("port must be in [1, 65535]: port=70000");
        assertThatThrownBy(() -> new ClusterOptions().setHopTimeoutMillis(500).setUnitTimeoutMillis(100).validate())
            .hasMessage("unitTimeoutMillis must be at least hopTimeoutMillis 500: unitTimeoutMillis=100");
        assertThatThrownBy(() -> new ClusterOptions().setMembers(List.of()).validate())
            .hasMessageContaining("members must name at least one address");
    }

    @Test
    void defaultConfig_joinsByTcpIpOnLoopback_withMulticastOff() throws Exception {
        Config c = ClusterNode.hazelcastConfig(new ClusterOptions());
        JoinConfig join = c.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo(ClusterNode.NO_HEARTBEAT_SECONDS);
        assertThat(c.getMultiMapConfigs()).containsKey("__vertx.subs");
    }

    @Test
    void configFile_isUsedAsIs_withVertxStructuresAdded(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("hz.yaml");
        Files.writeString(f, "hazelcast:\n  cluster-name: prod\n  network:\n    join:\n      multicast:\n        enabled: false\n"
            + "      tcp-ip:\n        enabled: true\n        member-list:\n          - 10.1.0.1\n          - 10.1.0.2\n");
        Config c = ClusterNode.hazelcastConfig(new ClusterOptions().setConfigFile(f.toString()));
        assertThat(c.getClusterName()).isEqualTo("prod");
        assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.1.0.1", "10.1.0.2");
        assertThat(c.getMultiMapConfigs()).containsKey("__vertx.subs");
        assertThat(c.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
    }

    @Test
    void vertxOptions_putTheBusOnTheClusterHost_andKeepTheCallersMetricsOptions() {
        io.vertx.core.metrics.MetricsOptions metrics = new io.vertx.core.metrics.MetricsOptions() {
        }.setEnabled(true);
        io.vertx.core.VertxOptions vo = ClusterNode.vertxOptions(new ClusterOptions().setHost("10.9.8.7").setBusPort(4444),
            new io.vertx.core.VertxOptions().setMetricsOptions(metrics).setEventLoopPoolSize(3));
        assertThat(vo.getEventBusOptions().getHost()).isEqualTo("10.9.8.7");
        assertThat(vo.getEventBusOptions().getPort()).isEqualTo(4444);
        assertThat(vo.getEventLoopPoolSize()).isEqualTo(3);
        assertThat(vo.getMetricsOptions()).isSameAs(metrics);
    }

    @Test
    void meters_countPerNode_inTheGivenRegistry() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry r = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ClusterMeters m = new ClusterMeters(r, "n1");
        m.sent.increment();
        m.retried.increment(2);
        assertThat(r.get("hotpool.cluster.units.sent").tag("node", "n1").counter().count()).isEqualTo(1.0);
        assertThat(r.get("hotpool.cluster.units.retried").tag("node", "n1").counter().count()).isEqualTo(2.0);
        assertThat(m.toJson().getLong("retried")).isEqualTo(2);
    }

    @Test
    void missingConfigFile_isNamed(@TempDir Path tmp) {
        Path f = tmp.resolve("absent.xml");
        assertThatThrownBy(() -> ClusterNode.hazelcastConfig(new ClusterOptions().setConfigFile(f.toString())))
            .hasMessageContaining("Hazelcast config file " + f + " does not exist");
    }

    @Test
    void stages_parseInAnyCase_andUnknownOnesAreNamed() {
        assertThat(GuardStage.parse("Transform, load,REFLEX")).containsExactly(GuardStage.TRANSFORM, GuardStage.LOAD,
            GuardStage.REFLEX);
        assertThatThrownBy(() -> GuardStage.parse("transform,ingest"))
            .hasMessage("unknown stage 'ingest': stages are transform, load, reflex, emit");
        assertThatThrownBy(() -> GuardStage.parse(" , "))
            .hasMessageContaining("no stage in");
    }
}
