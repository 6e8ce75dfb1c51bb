package io.github.hotpool.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topology detection against fake sysfs trees (this machine has one node), and the CPU of the calling thread. */
class NumaTopologyTest {

    @TempDir
    Path root;

    private Path node(int id, String cpulist) throws IOException {
        Path dir = Files.createDirectories(root.resolve("devices/system/node/node" + id));
        if (cpulist != null) {
            Files.writeString(dir.resolve("cpulist"), cpulist + "\n");
        }
        return dir;
    }

    @Test
    void twoNodes_mapEveryCpuToItsNode() throws IOException {
        node(0, "0-3,8-11");
        node(1, "4-7,12-15");
        Files.writeString(root.resolve("devices/system/node/online"), "0-1\n"); // not a node directory
        NumaTopology t = NumaTopology.read(root);
        assertThat(t.isKnown()).isTrue();
        assertThat(t.nodeIds()).containsExactly(0, 1);
        assertThat(t.cpusOf(1)).containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
        assertThat(t.nodeOfCpu(9)).isZero();
        assertThat(t.nodeOfCpu(13)).isEqualTo(1);
        assertThat(t.nodeOfCpu(16)).isEqualTo(-1);
        assertThat(t.spread(5)).containsExactly(0, 1, 0, 1, 0);
    }

    @Test
    void fourNodes_withAGapAndAMemoryOnlyNode_spreadEvenly() throws IOException {
        node(0, "0-1");
        node(1, "2-3");
        node(3, "6,7");
        node(4, "4-5");
        node(2, null); // memory only: no cpulist
        node(5, ""); // listed, no CPUs
        NumaTopology t = NumaTopology.read(root);
        assertThat(t.nodeIds()).containsExactly(0, 1, 3, 4, 5);
        assertThat(t.nodeOfCpu(6)).isEqualTo(3);
        assertThat(t.nodeOfCpu(4)).isEqualTo(4);
        assertThat(t.cpusOf(2)).isEmpty();
        int[] plan = t.spread(10);
        assertThat(plan).containsExactly(0, 1, 3, 4, 5, 0, 1, 3, 4, 5);
        assertThat(t.toString()).contains("node3=[6, 7]");
    }

    @Test
    void absentTree_isAnUnknownTopology_notAnError() throws IOException {
        NumaTopology t = NumaTopology.read(root);
        assertThat(t.isKnown()).isFalse();
        assertThat(t.nodeCount()).isZero();
        assertThat(t.reason()).contains("does not exist");
        assertThat(t.nodeOfCpu(0)).isEqualTo(-1);
        assertThat(t.spread(3)).containsExactly(-1, -1, -1);
        assertThat(NumaTopology.readTolerant(root.resolve("nowhere")).isKnown()).isFalse();
    }

    @Test
    void malformedCpulist_namesTheFileAndTheText_andTolerantReadTurnsItIntoUnknown() throws IOException {
        node(0, "0-3");
        node(1, "7-4");
        assertThatThrownBy(() -> NumaTopology.read(root)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("node1").hasMessageContaining("cpulist").hasMessageContaining("bad CPU range '7-4'");
        NumaTopology t = NumaTopology.readTolerant(root);
        assertThat(t.isKnown()).isFalse();
        assertThat(t.reason()).contains("bad CPU range '7-4'");
    }

    @Test
    void cpuList_parsesRangesSinglesAndEmpty_andRefusesGarbage() {
        assertThat(NumaTopology.parseCpuList("0-2,5,7-8")).containsExactly(0, 1, 2, 5, 7, 8);
        assertThat(NumaTopology.parseCpuList("")).isEmpty();
        assertThatThrownBy(() -> NumaTopology.parseCpuList("1-2-3")).hasMessageContaining("'1-2-3'");
        assertThatThrownBy(() -> NumaTopology.parseCpuList("a")).hasMessageContaining("'a'");
    }

    @Test
    void cpuOfCurrentThread_readsField39_evenWithSpacesInTheCommandName() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc/thread-self"));
        StringBuilder stat = new StringBuilder("4242 (vert.x-eventloop thread 0) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 39 ? 13 : field);
        }
        Files.writeString(proc.resolve("stat"), stat.append('\n').toString());
        assertThat(NumaTopology.cpuOfCurrentThread(root.resolve("proc"))).isEqualTo(13);
        assertThat(NumaTopology.cpuOfCurrentThread(root.resolve("no-proc"))).isEqualTo(-1);
    }

    @Test
    void thisMachine_whenLinux_knowsTheNodeOfTheCpuWeRunOn() {
        NumaTopology t = NumaTopology.system();
        assertThat(NumaTopology.system()).as("read once").isSameAs(t);
        int cpu = NumaTopology.cpuOfCurrentThread(Path.of("/proc"));
        if (t.isKnown() && cpu >= 0) {
            assertThat(t.nodeOfCpu(cpu)).as(t + ", cpu " + cpu).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(t.reason()).isNotBlank();
        }
    }
}
