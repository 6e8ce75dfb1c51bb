package io.github.hotpool.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The NUMA nodes of the machine and their CPUs, as Linux lists them under {@code
 * /sys/devices/system/node/node<N>/cpulist}; read once, and tolerant of the tree's absence (any
 * other operating system, a container without {@code /sys}): then the topology is unknown, every
 * lookup answers -1 and {@link #reason()} says why.
 *
 * <p>What this can tell: which node a CPU belongs to, and so — with {@link #cpuOfCurrentThread} —
 * the node the calling thread runs on at that moment. What it cannot: where the JVM's memory
 * actually lies (the slab's address is not visible to Java 17 code without {@code sun.misc.Unsafe}),
 * nor keep a thread on a node (the JVM has no thread-affinity API). See docs/pool.md.
 *
 * <p>Immutable and thread-safe.
 */
public final class NumaTopology {

    private final int[][] cpus;
    private final int[] nodeIds;
    private final String reason;

    private NumaTopology(int[][] cpus, int[] nodeIds, String reason) {
        this.cpus = cpus;
        this.nodeIds = nodeIds;
        this.reason = reason;
    }

    private static final class ThisMachine {
        static final NumaTopology TOPOLOGY = readTolerant(Path.of("/sys"));
    }

    /** @return the topology of this machine, read from {@code /sys} on first use and kept */
    public static NumaTopology system() {
        return ThisMachine.TOPOLOGY;
    }

    /**
     * Reads the topology under {@code sysRoot} (a real {@code /sys}, or a fake tree in tests) and
     * turns every failure into an unknown topology whose {@link #reason()} names it.
     *
     * @param sysRoot the directory that holds {@code devices/system/node}
     * @return the topology, possibly unknown
     */
    public static NumaTopology readTolerant(Path sysRoot) {
        try {
            return read(sysRoot);
        } catch (IOException | IllegalArgumentException e) {
            return new NumaTopology(new int[0][], new int[0], e.getMessage());
        }
    }

    /**
     * Reads the topology under {@code sysRoot}; a missing node directory gives an unknown topology.
     *
     * @param sysRoot the directory that holds {@code devices/system/node}
     * @return the topology
     * @throws IOException if a node's cpulist cannot be read
     * @throws IllegalArgumentException if a cpulist is malformed, naming the file and the text
     */
    public static NumaTopology read(Path sysRoot) throws IOException {
        Path dir = sysRoot.resolve("devices/system/node");
        if (!Files.isDirectory(dir)) {
            return new NumaTopology(new int[0][], new int[0], dir + " does not exist");
        }
        TreeMap<Integer, int[]> nodes = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "node[0-9]*")) {
            for (Path node : entries) {
                int id = Integer.parseInt(node.getFileName().toString().substring(4));
                Path list = node.resolve("cpulist");
                String text;
                try {
                    text = Files.readString(list, StandardCharsets.US_ASCII).trim();
                } catch (NoSuchFileException e) {
                    continue; // a node directory without CPUs listed: memory-only or being hot-plugged
                }
                try {
                    nodes.put(id, parseCpuList(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(list + ": " + e.getMessage(), e);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(dir + ": a node directory has no number: " + e.getMessage(), e);
        }
        if (nodes.isEmpty()) {
            return new NumaTopology(new int[0][], new int[0], dir + " lists no node with CPUs");
        }
        int[][] cpus = new int[nodes.size()][];
        int[] ids = new int[nodes.size()];
        int i = 0;
        for (var e : nodes.entrySet()) {
            ids[i] = e.getKey();
            cpus[i++] = e.getValue();
        }
        return new NumaTopology(cpus, ids, "read from " + dir);
    }

    /**
     * Parses a Linux CPU list such as {@code 0-3,8,10-11} (an empty list is allowed).
     *
     * @param text the list
     * @return the CPUs, ascending
     * @throws IllegalArgumentException naming the bad part
     */
    public static int[] parseCpuList(String text) {
        List<Integer> out = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String part : text.split(",")) {
                String[] range = part.split("-", -1);
                try {
                    int lo = Integer.parseInt(range[0].trim());
                    int hi = range.length == 2 ? Integer.parseInt(range[1].trim()) : lo;
                    if (range.length > 2 || lo < 0 || hi < lo) {
                        throw new IllegalArgumentException("bad CPU range '" + part + "' in cpulist '" + text + "'");
                    }
                    for (int c = lo; c <= hi; c++) {
                        out.add(c);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad CPU range '" + part + "' in cpulist '" + text + "'", e);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
    }

    /**
     * The CPU the calling thread runs on right now, from field 39 of {@code
     * <procRoot>/thread-self/stat}; the thread may move to another CPU the next moment.
     *
     * @param procRoot {@code /proc}, or a fake tree in tests
     * @return the CPU, or -1 when it cannot be read
     */
    public static int cpuOfCurrentThread(Path procRoot) {
        try {
            String stat = Files.readString(procRoot.resolve("thread-self/stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) is in parentheses and may hold spaces: count from its end
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Integer.parseInt(rest[39 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The pages per node of the mapping that holds {@code address}, from the text of {@code
     * /proc/<pid>/numa_maps}. Each line there starts with a mapping's first address in hex and
     * lists {@code N<node>=<pages>} for the pages the kernel has placed; it gives no end address,
     * so the mapping taken is the one with the greatest start at or below {@code address} (the
     * mapping holding it, when the address is mapped). Parsed tolerantly: lines that do not start
     * with a hex address and fields that are not {@code N<node>=<pages>} are skipped.
     *
     * @param numaMaps the file's text
     * @param address a native address, e.g. {@link Slab#address()}
     * @return node id to pages, ascending by node; empty when no line covers the address or its
     *     mapping has no page placed yet
     */
    public static java.util.SortedMap<Integer, Long> pagesByNode(String numaMaps, long address) {
        long best = -1;
        String bestLine = null;
        for (String line : numaMaps.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            long start;
            try {
                start = Long.parseUnsignedLong(line.substring(0, sp), 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (Long.compareUnsigned(start, address) <= 0 && (bestLine == null || Long.compareUnsigned(start, best) > 0)) {
                best = start;
                bestLine = line;
            }
        }
        java.util.SortedMap<Integer, Long> pages = new TreeMap<>();
        if (bestLine == null) {
            return pages;
        }
        for (String field : bestLine.trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (field.length() < 4 || field.charAt(0) != 'N' || eq < 2) {
                continue;
            }
            try {
                int node = Integer.parseInt(field.substring(1, eq));
                long n = Long.parseLong(field.substring(eq + 1));
                if (node >= 0 && n >= 0) {
                    pages.merge(node, n, Long::sum);
                }
            } catch (NumberFormatException e) {
                // not a node count: skip
            }
        }
        return pages;
    }

    /**
     * The node that holds most of the placed pages of the mapping at {@code address}, read from
     * {@code <procRoot>/self/numa_maps} (see {@link #pagesByNode}).
     *
     * @param procRoot {@code /proc}, or a fake tree in tests
     * @param address a native address; -1 (unknown, as {@link Slab#address()} on Java 17) answers -1
     * @return the node, or -1 when the address is unknown, the file cannot be read (no NUMA
     *     support in the kernel, another operating system) or no page is placed yet
     */
    public static int memoryNodeOf(Path procRoot, long address) {
        if (address == -1) {
            return -1;
        }
        String text;
        try {
            text = Files.readString(procRoot.resolve("self/numa_maps"), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        int node = -1;
        long most = 0;
        for (java.util.Map.Entry<Integer, Long> e : pagesByNode(text, address).entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                node = e.getKey();
            }
        }
        return node;
    }

    /** @return true when at least one node was read */
    public boolean isKnown() {
        return nodeIds.length > 0;
    }

    /** @return where the topology came from, or why it is unknown */
    public String reason() {
        return reason;
    }

    /** @return the number of nodes with CPUs, 0 when unknown */
    public int nodeCount() {
        return nodeIds.length;
    }

    /** @return the node ids, ascending (a copy) */
    public int[] nodeIds() {
        return nodeIds.clone();
    }

    /**
     * @param node a node id
     * @return its CPUs, ascending (a copy), empty for an unknown node
     */
    public int[] cpusOf(int node) {
        for (int i = 0; i < nodeIds.length; i++) {
            if (nodeIds[i] == node) {
                return cpus[i].clone();
            }
        }
        return new int[0];
    }

    /**
     * @param cpu a CPU number
     * @return the node that lists it, or -1
     */
    public int nodeOfCpu(int cpu) {
        for (int i = 0; i < nodeIds.length; i++) {
            if (Arrays.binarySearch(cpus[i], cpu) >= 0) {
                return nodeIds[i];
            }
        }
        return -1;
    }

    /**
     * An even spread of {@code count} event loops (or pools) over the nodes: index {@code i} goes
     * to node {@code nodeIds()[i % nodeCount()]}, so no two nodes differ by more than one. This is
     * a plan; see docs/pool.md for what can make threads follow it.
     *
     * @param count how many to place
     * @return the node of each, or all -1 when the topology is unknown
     */
    public int[] spread(int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = nodeIds.length == 0 ? -1 : nodeIds[i % nodeIds.length];
        }
        return out;
    }

    @Override
    public String toString() {
        if (!isKnown()) {
            return "NumaTopology{unknown: " + reason + '}';
        }
        StringBuilder b = new StringBuilder("NumaTopology{");
        for (int i = 0; i < nodeIds.length; i++) {
            b.append(i == 0 ? "" : ", ").append("node").append(nodeIds[i]).append('=').append(Arrays.toString(cpus[i]));
        }
        return b.append('}').toString();
    }
}
