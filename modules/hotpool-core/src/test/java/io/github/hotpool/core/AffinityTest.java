package io.github.hotpool.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spreading threads over NUMA nodes: the assignment against fake sysfs trees (two and four nodes;
 * this machine has one), the real pin on this machine where the running build can make it
 * (Java 22+ on Linux, from the multi-release jar), the read-back of a thread's CPUs, and the
 * memory node of an address from {@code numa_maps} text.
 */
class AffinityTest {

    @TempDir
    Path root;

    private void node(int id, String cpulist) throws IOException {
        Path dir = Files.createDirectories(root.resolve("devices/system/node/node" + id));
        if (cpulist != null) {
            Files.writeString(dir.resolve("cpulist"), cpulist + "\n");
        }
    }

    /** Places {@code n} new threads, each asking once from its own thread, in order. */
    private static List<NodeSpreader.Placement> placeThreads(NodeSpreader s, int n) throws InterruptedException {
        List<NodeSpreader.Placement> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AtomicReference<NodeSpreader.Placement> p = new AtomicReference<>();
            Thread t = new Thread(() -> p.set(s.placementOf(Thread.currentThread())), "loop-" + i);
            t.start();
            t.join();
            out.add(p.get());
        }
        return out;
    }

    @Test
    void twoNodes_threadsTakeTurns_andKeepTheirSlot() throws Exception {
        node(0, "0-3,8-11");
        node(1, "4-7,12-15");
        NodeSpreader s = new NodeSpreader(NumaTopology.read(root));
        List<NodeSpreader.Placement> p = placeThreads(s, 5);
        assertThat(p).extracting(NodeSpreader.Placement::slot).containsExactly(0, 1, 2, 3, 4);
        assertThat(p).extracting(NodeSpreader.Placement::node).containsExactly(0, 1, 0, 1, 0);
        assertThat(p.get(1).cpus()).containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
        assertThat(p.get(2).cpus()).containsExactly(0, 1, 2, 3, 8, 9, 10, 11);
        NodeSpreader.Placement mine = s.placementOf(Thread.currentThread());
        NodeSpreader.Placement again = s.placementOf(Thread.currentThread());
        assertThat(again.slot()).as("a thread keeps its slot").isEqualTo(mine.slot());
        assertThat(again.node()).isEqualTo(mine.node());
        assertThat(mine.slot()).isEqualTo(5);
        assertThat(mine.node()).isEqualTo(1);
        assertThat(s.placed()).isEqualTo(6);
    }

    @Test
    void fourNodes_withAGapAndNodesWithoutCpus_spreadOverTheNodesThatCanRunThreads() throws Exception {
        node(0, "0-1");
        node(1, "2-3");
        node(3, "6,7");
        node(4, "4-5");
        node(2, null); // memory only
        node(5, ""); // listed, no CPUs
        NodeSpreader s = new NodeSpreader(NumaTopology.read(root));
        assertThat(s.nodes()).containsExactly(0, 1, 3, 4);
        List<NodeSpreader.Placement> p = placeThreads(s, 9);
        assertThat(p).extracting(NodeSpreader.Placement::node).containsExactly(0, 1, 3, 4, 0, 1, 3, 4, 0);
        assertThat(p.get(2).cpus()).containsExactly(6, 7);
        // evenly: no two nodes differ by more than one thread
        long[] perNode = new long[6];
        p.forEach(x -> perNode[x.node()]++);
        assertThat(perNode).containsExactly(3, 2, 0, 2, 2, 0);
    }

    @Test
    void unknownTopology_pinsNothing_andSaysWhy() {
        NodeSpreader s = new NodeSpreader(NumaTopology.readTolerant(root.resolve("absent")));
        Affinity.Outcome o = s.pinCurrentThread();
        assertThat(o.pinned()).isFalse();
        assertThat(o.detail()).contains("NUMA topology is unknown").contains("goes on unpinned");
        assertThat(s.placementOf(Thread.currentThread()).node()).isEqualTo(-1);
    }

    @Test
    void badCpuSets_areRefused_beforeAnyCall() {
        assertThatThrownBy(() -> Affinity.pinCurrentThread(new int[0])).hasMessage("a thread is pinned to at least one CPU");
        assertThatThrownBy(() -> Affinity.pinCurrentThread(new int[] {3, -1})).hasMessage("CPU -1 outside [0, 65535]");
    }

    @Test
    void allowedCpus_readsCpusAllowedList_andAnswersEmptyWhenItCannot() throws IOException {
        Path proc = Files.createDirectories(root.resolve("proc/thread-self")).getParent();
        Files.writeString(proc.resolve("thread-self/status"),
            "Name:\tvert.x-eventloop\nCpus_allowed:\tf0f\nCpus_allowed_list:\t0-3,8-11\nMems_allowed_list:\t0-1\n");
        assertThat(Affinity.allowedCpus(proc)).containsExactly(0, 1, 2, 3, 8, 9, 10, 11);
        Files.writeString(proc.resolve("thread-self/status"), "Name:\tx\n");
        assertThat(Affinity.allowedCpus(proc)).isEmpty();
        assertThat(Affinity.allowedCpus(root.resolve("nowhere"))).isEmpty();
    }

    /** Runs a pin on a fresh thread (the test runner's threads stay unpinned) and reads back its CPUs. */
    private static Object[] pinOnFreshThread(int[] cpus) throws InterruptedException {
        Object[] out = new Object[2];
        Thread t = new Thread(() -> {
            out[0] = Affinity.pinCurrentThread(cpus);
            out[1] = Affinity.allowedCpus(Path.of("/proc"));
        }, "pin-test");
        t.start();
        t.join();
        return out;
    }

    @Test
    @Timeout(30)
    void realPin_onThisMachine_toCpu0_readsBackAsCpu0() throws Exception {
        if (!Affinity.canPin()) {
            Affinity.Outcome o = (Affinity.Outcome) pinOnFreshThread(new int[] {0})[0];
            assertThat(o.pinned()).isFalse();
            assertThat(o.detail()).contains("goes on unpinned");
            Assumptions.abort("this build of Affinity cannot pin (" + Affinity.path() + ", Java "
                + Runtime.version().feature() + ", " + System.getProperty("os.name") + "): " + o.detail()
                + "; the Java 22+ build runs this from the multi-release jar");
        }
        Object[] r = pinOnFreshThread(new int[] {0});
        Affinity.Outcome o = (Affinity.Outcome) r[0];
        assertThat(o.pinned()).as("%s", o).isTrue();
        assertThat((int[]) r[1]).as("Cpus_allowed_list of the pinned thread").containsExactly(0);
        // a CPU this machine does not have: the kernel refuses, the answer says so, nothing throws
        Object[] bad = pinOnFreshThread(new int[] {4095});
        Affinity.Outcome refused = (Affinity.Outcome) bad[0];
        assertThat(refused.pinned()).isFalse();
        assertThat(refused.detail()).contains("errno 22").contains("goes on unpinned");
        assertThat((int[]) bad[1]).as("a refused pin leaves the thread's CPUs as they were")
            .isEqualTo(Affinity.allowedCpus(Path.of("/proc")));
    }

    private static final String NUMA_MAPS = String.join("\n",
        "55dc7e6b4000 default file=/usr/bin/java mapped=2 N0=2 kernelpagesize_kB=4",
        "not a mapping line",
        "7f3a10000000 default anon=300 dirty=300 active=0 N0=100 N1=200 kernelpagesize_kB=4",
        "7f3a20000000 interleave:0-1 anon=5 dirty=5 N0=3 N1=2 Nx=9 N2=bad kernelpagesize_kB=4",
        "7f3a30000000 default file=/lib/libc.so.6",
        "");

    @Test
    void numaMaps_findTheMappingOfAnAddress_andCountItsPagesPerNode_tolerantly() throws IOException {
        assertThat(NumaTopology.pagesByNode(NUMA_MAPS, 0x7f3a10001040L)).isEqualTo(Map.of(0, 100L, 1, 200L));
        assertThat(NumaTopology.pagesByNode(NUMA_MAPS, 0x7f3a20000000L)).isEqualTo(Map.of(0, 3L, 1, 2L));
        assertThat(NumaTopology.pagesByNode(NUMA_MAPS, 0x7f3a30000100L)).as("no page placed yet").isEmpty();
        assertThat(NumaTopology.pagesByNode(NUMA_MAPS, 0x1000L)).as("below every mapping").isEmpty();
        assertThat(NumaTopology.pagesByNode("", 0x1000L)).isEmpty();
        Path proc = Files.createDirectories(root.resolve("proc/self")).getParent();
        Files.writeString(proc.resolve("self/numa_maps"), NUMA_MAPS);
        assertThat(NumaTopology.memoryNodeOf(proc, 0x7f3a10001040L)).isEqualTo(1);
        assertThat(NumaTopology.memoryNodeOf(proc, 0x7f3a20000000L)).isZero();
        assertThat(NumaTopology.memoryNodeOf(proc, 0x7f3a30000100L)).isEqualTo(-1);
        assertThat(NumaTopology.memoryNodeOf(proc, -1)).as("an unknown address").isEqualTo(-1);
        assertThat(NumaTopology.memoryNodeOf(root.resolve("no-proc"), 0x7f3a10001040L)).isEqualTo(-1);
    }

    @Test
    void aPoolsMemoryNode_onThisMachine_isNode0_whereTheSlabAddressCanBeRead() {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(64));
        long address = pool.soaMemory().address();
        int node = NumaTopology.memoryNodeOf(Path.of("/proc"), address);
        if (address == -1) {
            assertThat(Slab.accessPath()).isEqualTo("ByteBuffer");
            assertThat(node).isEqualTo(-1);
            Assumptions.abort("the " + Slab.accessPath() + " build of Slab cannot read the slab's address (Java 17-21, or "
                + "target/classes on a newer JDK): the memory node is reported from the multi-release jar on Java 22+");
        }
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/numa_maps")), "this kernel has no /proc/self/numa_maps");
        NumaTopology here = NumaTopology.system();
        Assumptions.assumeTrue(here.nodeCount() == 1, "the expectation below is this one-node machine's: " + here);
        assertThat(node).as("the zeroed slab's pages are on the only node").isEqualTo(here.nodeIds()[0]);
    }
}
