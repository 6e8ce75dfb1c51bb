package io.github.hotpool.triples;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds hook definitions from an already-decoded JSON tree (lists and maps of strings and
 * numbers; this module has no JSON parser: hotpool-pipeline's {@code GuardHooks} decodes the text
 * with Vert.x's Jackson codec) and validates them with errors naming the hook and the field.
 * Stateless, thread-safe, cold path. Format: docs/hooks.md.
 */
public final class HookConfig {

    private static final Set<String> FIELDS = Set.of("name", "op", "predicate", "subject", "object", "k");
    private static final BigInteger MAX_K = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private HookConfig() {
    }

    /**
     * Builds hooks from decoded maps (values: String; {@code k} an integral Long, Integer,
     * BigInteger or BigDecimal); ids 1, 2, 3... in order.
     */
    public static List<Hook> fromList(List<?> hooks) {
        List<Hook> out = new ArrayList<>(hooks.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < hooks.size(); i++) {
            Object h = hooks.get(i);
            if (!(h instanceof Map)) {
                throw new HookConfigException("hook #" + (i + 1) + ": expected an object");
            }
            Hook hook = fromMap(i + 1, (Map<?, ?>) h);
            if (!names.add(hook.name())) {
                throw new HookConfigException("hook #" + (i + 1) + " '" + hook.name() + "': name used twice");
            }
            out.add(hook);
        }
        return Collections.unmodifiableList(out);
    }

    private static Hook fromMap(int id, Map<?, ?> m) {
        String where = "hook #" + id;
        for (Object key : m.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new HookConfigException(where + ": unknown field '" + key + "' (allowed: " + FIELDS + ")");
            }
        }
        String name = string(m, "name", where);
        if (name == null || name.isBlank()) {
            throw new HookConfigException(where + ": field 'name' is required");
        }
        where = where + " '" + name + "'";
        String opText = string(m, "op", where);
        if (opText == null) {
            throw new HookConfigException(where + ": field 'op' is required");
        }
        HookOp op;
        try {
            op = HookOp.valueOf(opText);
        } catch (IllegalArgumentException e) {
            throw new HookConfigException(where + ": field 'op' is '" + opText + "', not one of "
                    + java.util.Arrays.toString(HookOp.values()));
        }
        String predicate = string(m, "predicate", where);
        if (predicate == null) {
            throw new HookConfigException(where + ": field 'predicate' is required");
        }
        long p = term(predicate, where, "predicate", "<");
        String subject = string(m, "subject", where);
        String object = string(m, "object", where);
        requireIff(op.usesSubject(), subject != null, where, "subject", op);
        requireIff(op.usesObject(), object != null, where, "object", op);
        requireIff(op.usesK(), m.containsKey("k"), where, "k", op);
        long s = subject == null ? 0 : term(subject, where, "subject", "<_");
        long o = object == null ? 0 : term(object, where, "object", "<_\"");
        long k = m.containsKey("k") ? k(m.get("k"), where) : 0;
        return Hook.configured(id, name, op, p, s, o, k, predicate, subject, object);
    }

    private static void requireIff(boolean used, boolean present, String where, String field, HookOp op) {
        if (used && !present) {
            throw new HookConfigException(where + ": field '" + field + "' is required by " + op);
        }
        if (!used && present) {
            throw new HookConfigException(where + ": field '" + field + "' is not used by " + op);
        }
    }

    private static String string(Map<?, ?> m, String field, String where) {
        Object v = m.get(field);
        if (v == null) {
            if (m.containsKey(field)) {
                throw new HookConfigException(where + ": field '" + field + "' must not be null");
            }
            return null;
        }
        if (!(v instanceof String)) {
            throw new HookConfigException(where + ": field '" + field + "' must be a string, got " + v);
        }
        return (String) v;
    }

    private static long term(String text, String where, String field, String allowedStarts) {
        if (text.isEmpty() || allowedStarts.indexOf(text.charAt(0)) < 0) {
            throw new HookConfigException(where + ": field '" + field + "' is " + quote(text) + ", expected "
                    + (allowedStarts.length() == 1 ? "an IRI like <http://example/p>"
                    : allowedStarts.length() == 2 ? "an IRI or blank node" : "an N-Triples term"));
        }
        try {
            return TermIds.of(text);
        } catch (NTriplesException e) {
            throw new HookConfigException(where + ": field '" + field + "' is " + quote(text)
                    + ", not an N-Triples term: column " + e.column() + ": " + e.reason());
        }
    }

    private static long k(Object v, String where) {
        BigInteger k;
        try {
            if (v instanceof BigDecimal) {
                BigDecimal d = (BigDecimal) v;
                // 2^64-1 has 20 digits: refuse larger magnitudes before expanding, or "1e30000000"
                // would cost a minute of CPU and a 30-million-digit message
                if (d.signum() != 0 && d.precision() - d.scale() > 20) {
                    throw new HookConfigException(where + ": field 'k' is " + d + ", outside [0, 2^64-1]");
                }
                k = d.toBigIntegerExact();
            } else if (v instanceof BigInteger) {
                k = (BigInteger) v;
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                k = BigInteger.valueOf(((Number) v).longValue());
            } else {
                throw new ArithmeticException();
            }
        } catch (ArithmeticException e) {
            throw new HookConfigException(where + ": field 'k' is " + v + ", expected an integer in [0, 2^64-1]");
        }
        if (k.signum() < 0 || k.compareTo(MAX_K) > 0) {
            throw new HookConfigException(where + ": field 'k' is " + k + ", outside [0, 2^64-1]");
        }
        return k.longValue();
    }

    private static String quote(String s) {
        return '\'' + s + '\'';
    }
}
