package io.github.hotpool.cluster;

/** Event-bus addresses and header names of the cluster protocol. */
final class Addresses {

    static final String PREFIX = "hotpool.cluster.";
    /** Cluster-wide map: node id to what the node hosts (JSON). */
    static final String DIRECTORY = PREFIX + "nodes";
    static final String H_SEQ = "seq";
    static final String H_ROUTE = "route";
    static final String H_RUN = "run";
    static final String H_ATTEMPT = "attempt";
    /** Headers of a durable acknowledgement: the chain position its flush made durable. */
    static final String H_RECEIPTS = "receipts";
    static final String H_CYCLES = "cycles";
    static final String H_HEAD = "head";

    private Addresses() {
    }

    /** Where {@code node} takes units for {@code stage}. */
    static String stage(String node, GuardStage stage) {
        return PREFIX + node + "." + stage.id();
    }

    /** Where {@code node}'s Transform takes units frames (several units in one request). */
    static String units(String node) {
        return PREFIX + node + ".transform.units";
    }

    /** Where {@code node} takes handles frames for Load, Reflex and Emit (several units in one request). */
    static String handles(String node) {
        return PREFIX + node + ".handles";
    }

    /** Where {@code node} takes control requests (open, flush, close, stats). */
    static String control(String node) {
        return PREFIX + node + ".control";
    }

    /** Where a run's source takes durable acknowledgements from Emit. */
    static String acks(String run) {
        return run + ".acks";
    }

    /** Where a run's source takes events (units a node could not pass on, bad lines). */
    static String events(String run) {
        return run + ".events";
    }
}
