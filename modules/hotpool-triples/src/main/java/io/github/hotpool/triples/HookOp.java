package io.github.hotpool.triples;

/**
 * The hook kernel operations (exact semantics in docs/hooks.md). Immutable, thread-safe.
 *
 * <p>Each op says which hook fields it uses; configuration rejects a hook that lacks a needed
 * field or sets one the op ignores.
 */
public enum HookOp {
    ASK_SP(true, false, false),
    ASK_SPO(true, true, false),
    ASK_OP(false, true, false),
    COUNT_SP_GE(true, false, true),
    COUNT_SP_LE(true, false, true),
    COUNT_SP_EQ(true, false, true),
    COUNT_OP_GE(false, true, true),
    COUNT_OP_LE(false, true, true),
    COUNT_OP_EQ(false, true, true),
    UNIQUE_SP(true, false, false),
    COMPARE_O_EQ(false, true, false),
    COMPARE_O_GT(false, true, false),
    COMPARE_O_LT(false, true, false),
    COMPARE_O_GE(false, true, false),
    COMPARE_O_LE(false, true, false),
    VALIDATE_DATATYPE_SP(true, true, false),
    VALIDATE_DATATYPE_SPO(true, true, false),
    CONSTRUCT8(false, true, false);

    private final boolean usesSubject;
    private final boolean usesObject;
    private final boolean usesK;

    HookOp(boolean usesSubject, boolean usesObject, boolean usesK) {
        this.usesSubject = usesSubject;
        this.usesObject = usesObject;
        this.usesK = usesK;
    }

    /** Whether the op reads the hook's subject. */
    public boolean usesSubject() {
        return usesSubject;
    }

    /** Whether the op reads the hook's object. */
    public boolean usesObject() {
        return usesObject;
    }

    /** Whether the op reads the hook's k. */
    public boolean usesK() {
        return usesK;
    }
}
