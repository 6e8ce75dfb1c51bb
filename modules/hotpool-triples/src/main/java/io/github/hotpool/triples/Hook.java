package io.github.hotpool.triples;

/**
 * One configured hook: an op over predicate runs, with the ids it compares against and the
 * texts they came from (for naming). Immutable, thread-safe.
 *
 * <p>Ids are unsigned 64-bit values; 0 means "not used by this op".
 */
public final class Hook {

    private final int id;
    private final String name;
    private final HookOp op;
    private final long predicate;
    private final long subject;
    private final long object;
    private final long k;
    private final String predicateTerm;
    private final String subjectTerm;
    private final String objectTerm;

    // what the kernels derive from the hook once, not per run (see HookKernels)
    /** Which lanes the op compares, one of HookKernels' FAMILY_ constants. */
    final int family;
    /** Bit c set when c selected lanes make the result 1, for c = 0..8. */
    final int table;
    /** 0xFF when the op wants the complement of its object comparison (COMPARE_O_GE, COMPARE_O_LE). */
    final int invert;
    /** The hook's share of every receipt's aHash: s ^ p ^ o ^ k. */
    final long hash;

    private Hook(int id, String name, HookOp op, long p, long s, long o, long k,
                 String pTerm, String sTerm, String oTerm) {
        if (op == null || name == null) {
            throw new IllegalArgumentException("hook name and op must not be null");
        }
        this.id = id;
        this.name = name;
        this.op = op;
        this.predicate = p;
        this.subject = s;
        this.object = o;
        this.k = k;
        this.predicateTerm = pTerm;
        this.subjectTerm = sTerm;
        this.objectTerm = oTerm;
        this.family = HookKernels.family(op);
        this.table = HookKernels.decisionTable(op, k);
        this.invert = op == HookOp.COMPARE_O_GE || op == HookOp.COMPARE_O_LE ? 0xFF : 0;
        this.hash = s ^ p ^ o ^ k;
    }

    /** A hook over raw ids (no term texts), e.g. for tests and benchmarks. */
    public static Hook of(int id, String name, HookOp op, long predicate, long subject, long object, long k) {
        return new Hook(id, name, op, predicate, subject, object, k, null, null, null);
    }

    /**
     * A hook over N-Triples terms; {@code subject} / {@code object} may be null when the op does
     * not use them. Ids are computed with {@link TermIds#of}.
     */
    public static Hook ofTerms(int id, String name, HookOp op, String predicate, String subject,
                               String object, long k) {
        return new Hook(id, name, op, TermIds.of(predicate),
                subject == null ? 0 : TermIds.of(subject), object == null ? 0 : TermIds.of(object), k,
                predicate, subject, object);
    }

    /** Package-private factory for configuration, which has computed the ids already. */
    static Hook configured(int id, String name, HookOp op, long p, long s, long o, long k,
                           String pTerm, String sTerm, String oTerm) {
        return new Hook(id, name, op, p, s, o, k, pTerm, sTerm, oTerm);
    }

    /** Hook id written into receipts. */
    public int id() {
        return id;
    }

    /** Hook name from the configuration. */
    public String name() {
        return name;
    }

    /** The op. */
    public HookOp op() {
        return op;
    }

    /** Predicate id every run is checked against. */
    public long predicate() {
        return predicate;
    }

    /** Subject id (0 when unused). */
    public long subject() {
        return subject;
    }

    /** Object id (0 when unused); for CONSTRUCT8 the object of constructed triples. */
    public long object() {
        return object;
    }

    /** Threshold of the COUNT ops, unsigned (0 when unused). */
    public long k() {
        return k;
    }

    /** N-Triples text of the predicate, or null for a hook built from raw ids. */
    public String predicateTerm() {
        return predicateTerm;
    }

    /** N-Triples text of the subject, or null. */
    public String subjectTerm() {
        return subjectTerm;
    }

    /** N-Triples text of the object, or null. */
    public String objectTerm() {
        return objectTerm;
    }

    @Override
    public String toString() {
        return "hook " + id + " '" + name + "' " + op;
    }
}
