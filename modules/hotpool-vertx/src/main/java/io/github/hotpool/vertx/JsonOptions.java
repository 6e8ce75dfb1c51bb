package io.github.hotpool.vertx;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An options class whose JSON form is declared once, as a table of its fields ({@link Fields}),
 * and whose value is that JSON form: two options of the same class are equal when their
 * {@link #toJson()} are, and print as it. Every options class of the Vert.x modules extends it
 * ({@link HotpoolOptions}, {@link SpanOptions}, the pipeline's options and their parts, the
 * cluster's options).
 *
 * <p>Each class declares its table as a constant, {@code FIELDS}, naming every field once: its
 * JSON key, its type, its getter and its setter. The class's {@code JsonObject} constructor is
 * {@code FIELDS.read(json, this)} and its {@code toJson()} is {@code FIELDS.write(this)}; nothing
 * else converts. The one reader here is strict, for every class alike:
 * <ul>
 *   <li>a key the table does not declare is an error naming its path ({@code lockchain.outdir})
 *       and the keys allowed there; at the top level, a key that a nested part declares is also
 *       told where it lives ({@code (it is 'lockchain.outDir' now)});</li>
 *   <li>a value of the wrong JSON type, a fraction or an out-of-range number for an integer, an
 *       unknown enum constant (constants are read in any case) or a list item of the wrong type is
 *       an error naming the path and the value;</li>
 *   <li>an absent key, or a JSON {@code null}, keeps the field's default; a nested part given in
 *       part keeps the rest of its defaults.</li>
 * </ul>
 * The writer writes every field whose value is not null, so {@code read(write(o))} equals
 * {@code o}.
 *
 * <p>Vert.x codegen ({@code @DataObject} with {@code @JsonGen}) is not used: its converters skip a
 * value of the wrong type without a word, truncate {@code 1.5} or {@code 2^40} into an int, ignore
 * unknown keys and do not name the key of a bad enum constant, so strict reading would need a
 * second table of types beside the generated code; see docs/pipeline.md.
 */
public abstract class JsonOptions {

    /** For the subclasses. */
    protected JsonOptions() {
    }

    /** @return the options as JSON; reading it back gives equal options */
    public abstract JsonObject toJson();

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && toJson().equals(((JsonOptions) o).toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** @return the JSON form (a class with secrets in it overrides this to mask them) */
    @Override
    public String toString() {
        return toJson().encode();
    }

    /**
     * Checks a value of {@code validate()} against its range.
     *
     * @param part the part's path ({@code ""} for the top level)
     * @param field the field's JSON key
     * @throws IllegalArgumentException {@code part.field value outside [min, max]}
     */
    protected static void requireRange(String part, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(join(part, field) + " " + value + " outside [" + min + ", " + max + "]");
        }
    }

    /** @throws IllegalArgumentException naming the first key of {@code json} not in {@code keys}, and those allowed */
    private static void onlyKnown(JsonObject json, Set<String> keys, String kind, String path, Function<String, String> hint) {
        for (String key : json.fieldNames()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown " + kind + " option '" + join(path, key) + "'" + hint.apply(key)
                    + "; " + (path.isEmpty() ? "the top level" : "'" + path + "'") + " takes " + new TreeSet<>(keys));
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Starts the field table of an options class.
     *
     * @param kind the word errors begin with when the class is read on its own ({@code "hotpool"}
     *     gives {@code hotpool option 'soaBuffers' ...}); read as a part of another class, the
     *     outer class's word and the full path are used
     * @param create the class's no-arg constructor (every default)
     * @param <T> the options class
     * @return a builder: declare each field once, then {@link Builder#build()}
     */
    public static <T extends JsonOptions> Builder<T> fields(String kind, Supplier<T> create) {
        return new Builder<>(kind, create);
    }

    /**
     * The JSON fields of one options class, in declaration order (the order {@link #write} puts
     * them in), and the one reader and writer of every options class. Immutable.
     *
     * @param <T> the options class
     */
    public static final class Fields<T extends JsonOptions> {

        private final String kind;
        private final Supplier<T> create;
        private final Map<String, Field<T, ?>> fields;

        private Fields(Builder<T> b) {
            this.kind = b.kind;
            this.create = b.create;
            this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
        }

        /** @return the JSON keys, in declaration order */
        public List<String> names() {
            return List.copyOf(fields.keySet());
        }

        /** @return options with every default (the class's no-arg constructor) */
        public T create() {
            return create.get();
        }

        /**
         * Sets the fields of {@code target} that {@code json} names; the others keep their values.
         *
         * @throws IllegalArgumentException for an unknown key, or a value of the wrong type or
         *     range, naming its path and the value
         */
        public void read(JsonObject json, T target) {
            read(json, target, kind, "");
        }

        private void read(JsonObject json, T target, String rootKind, String path) {
            onlyKnown(json, fields.keySet(), rootKind, path, path.isEmpty() ? this::livesIn : key -> "");
            for (Field<T, ?> f : fields.values()) {
                Object v = json.getValue(f.name);
                if (v != null) {
                    f.read(target, v, new At(rootKind, join(path, f.name)));
                }
            }
        }

        /** Where a key unknown at the top level lives, if a part declares it: a hint for the flat shapes of old. */
        private String livesIn(String key) {
            for (Field<T, ?> f : fields.values()) {
                if (f.type instanceof Part && ((Part<?>) f.type).fields.fields.containsKey(key)) {
                    return " (it is '" + f.name + "." + key + "' now)";
                }
            }
            return "";
        }

        /** @return every field of {@code source} that is not null, under its key */
        public JsonObject write(T source) {
            JsonObject json = new JsonObject();
            for (Field<T, ?> f : fields.values()) {
                Object v = f.write(source);
                if (v != null) {
                    json.put(f.name, v);
                }
            }
            return json;
        }
    }

    /**
     * Declares the fields of one options class, each once.
     *
     * @param <T> the options class
     */
    public static final class Builder<T extends JsonOptions> {

        private final String kind;
        private final Supplier<T> create;
        private final Map<String, Field<T, ?>> fields = new LinkedHashMap<>();

        private Builder(String kind, Supplier<T> create) {
            this.kind = kind;
            this.create = create;
        }

        private <V> Builder<T> add(String name, Type<V> type, Function<T, V> get, BiConsumer<T, V> set) {
            if (fields.putIfAbsent(name, new Field<>(name, type, get, set)) != null) {
                throw new IllegalStateException("field '" + name + "' declared twice");
            }
            return this;
        }

        /** An {@code int}: a JSON integer in the int range. */
        public Builder<T> integer(String name, Function<T, Integer> get, BiConsumer<T, Integer> set) {
            return add(name, INT, get, set);
        }

        /** A {@code long}: a JSON integer. */
        public Builder<T> longInteger(String name, Function<T, Long> get, BiConsumer<T, Long> set) {
            return add(name, LONG, get, set);
        }

        /** A {@code boolean}: JSON true or false. */
        public Builder<T> bool(String name, Function<T, Boolean> get, BiConsumer<T, Boolean> set) {
            return add(name, BOOLEAN, get, set);
        }

        /** A string; null is not written. */
        public Builder<T> string(String name, Function<T, String> get, BiConsumer<T, String> set) {
            return add(name, STRING, get, set);
        }

        /** An enum, written as its constant's name and read in any case. */
        public <E extends Enum<E>> Builder<T> oneOf(String name, Class<E> type, Function<T, E> get, BiConsumer<T, E> set) {
            return add(name, new OneOf<>(type), get, set);
        }

        /** A JSON array kept as it is (copied both ways). */
        public Builder<T> array(String name, Function<T, JsonArray> get, BiConsumer<T, JsonArray> set) {
            return add(name, ARRAY, get, set);
        }

        /** A list of strings. */
        public Builder<T> strings(String name, Function<T, List<String>> get, BiConsumer<T, List<String>> set) {
            return add(name, STRINGS, get, set);
        }

        /**
         * A nested options object, read with its own table into the current value (so a part
         * given in part keeps the rest of its defaults) and written as its table writes it.
         */
        public <P extends JsonOptions> Builder<T> part(String name, Fields<P> part, Function<T, P> get, BiConsumer<T, P> set) {
            return add(name, new Part<>(part), get, set);
        }

        /**
         * A list of values that are not options classes (records, say), each a JSON object with
         * only the given keys.
         *
         * @param keys the keys an item may have
         * @param read an item from its JSON object, keys already checked
         * @param write an item's JSON object
         */
        public <E> Builder<T> objects(String name, Set<String> keys, Function<JsonObject, E> read,
                                      Function<E, JsonObject> write, Function<T, List<E>> get, BiConsumer<T, List<E>> set) {
            return add(name, new ObjectList<>(keys, read, write), get, set);
        }

        /** @return the table */
        public Fields<T> build() {
            return new Fields<>(this);
        }
    }

    private static final class Field<T, V> {
        final String name;
        final Type<V> type;
        final Function<T, V> get;
        final BiConsumer<T, V> set;

        Field(String name, Type<V> type, Function<T, V> get, BiConsumer<T, V> set) {
            this.name = name;
            this.type = type;
            this.get = get;
            this.set = set;
        }

        void read(T target, Object json, At at) {
            set.accept(target, type.read(json, get.apply(target), at));
        }

        Object write(T source) {
            V v = get.apply(source);
            return v == null ? null : type.write(v);
        }
    }

    /** The root class's word and the path of a value being read, for errors. */
    private static final class At {
        final String kind;
        final String path;

        At(String kind, String path) {
            this.kind = kind;
            this.path = path;
        }

        IllegalArgumentException bad(String what, Object value) {
            return new IllegalArgumentException(kind + " option '" + path + "' " + what + ": " + path + "=" + value);
        }
    }

    /** How one JSON type maps to a field's type. */
    private interface Type<V> {
        /** @param json not null; @param current the field's value now */
        V read(Object json, V current, At at);

        /** @param value not null */
        Object write(V value);
    }

    /** A type whose JSON value is the field's value as it is: read checks it, write passes it on. */
    private static <V> Type<V> scalar(BiFunction<Object, At, V> check) {
        return new Type<>() {
            @Override
            public V read(Object json, V current, At at) {
                return check.apply(json, at);
            }

            @Override
            public Object write(V value) {
                return value;
            }
        };
    }

    private static long integral(Object json, At at) {
        if (json instanceof Integer || json instanceof Long || json instanceof Short || json instanceof Byte) {
            return ((Number) json).longValue();
        }
        throw at.bad(json instanceof BigInteger ? "exceeds the long range" : "must be an integer", json);
    }

    private static final Type<Integer> INT = scalar((json, at) -> {
        long v = integral(json, at);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw at.bad("exceeds the int range", json);
        }
        return (int) v;
    });

    private static final Type<Long> LONG = scalar(JsonOptions::integral);

    private static final Type<Boolean> BOOLEAN = scalar((json, at) -> {
        if (!(json instanceof Boolean)) {
            throw at.bad("must be a boolean", json);
        }
        return (Boolean) json;
    });

    private static final Type<String> STRING = scalar((json, at) -> {
        if (!(json instanceof String)) {
            throw at.bad("must be a string", json);
        }
        return (String) json;
    });

    private static JsonArray array(Object json, At at) {
        if (!(json instanceof JsonArray)) {
            throw at.bad("must be an array", json);
        }
        return (JsonArray) json;
    }

    private static final Type<JsonArray> ARRAY = new Type<>() {
        @Override
        public JsonArray read(Object json, JsonArray current, At at) {
            return array(json, at).copy();
        }

        @Override
        public Object write(JsonArray value) {
            return value.copy();
        }
    };

    private static final Type<List<String>> STRINGS = new Type<>() {
        @Override
        public List<String> read(Object json, List<String> current, At at) {
            JsonArray a = array(json, at);
            List<String> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                out.add(STRING.read(a.getValue(i), null, new At(at.kind, at.path + "[" + i + "]")));
            }
            return out;
        }

        @Override
        public Object write(List<String> value) {
            return new JsonArray(new ArrayList<>(value));
        }
    };

    private static final class OneOf<E extends Enum<E>> implements Type<E> {
        private final Class<E> type;

        OneOf(Class<E> type) {
            this.type = type;
        }

        @Override
        public E read(Object json, E current, At at) {
            if (json instanceof String) {
                String s = ((String) json).trim();
                for (E e : type.getEnumConstants()) {
                    if (e.name().equalsIgnoreCase(s)) {
                        return e;
                    }
                }
            }
            throw at.bad("must be one of " + Arrays.toString(type.getEnumConstants()), json);
        }

        @Override
        public Object write(E value) {
            return value.name();
        }
    }

    private static JsonObject object(Object json, At at) {
        if (!(json instanceof JsonObject)) {
            throw at.bad("must be an object", json);
        }
        return (JsonObject) json;
    }

    private static final class Part<P extends JsonOptions> implements Type<P> {
        final Fields<P> fields;

        Part(Fields<P> fields) {
            this.fields = fields;
        }

        @Override
        public P read(Object json, P current, At at) {
            P into = current != null ? current : fields.create();
            fields.read(object(json, at), into, at.kind, at.path);
            return into;
        }

        @Override
        public Object write(P value) {
            return fields.write(value);
        }
    }

    private static final class ObjectList<E> implements Type<List<E>> {
        private final Set<String> keys;
        private final Function<JsonObject, E> read;
        private final Function<E, JsonObject> write;

        ObjectList(Set<String> keys, Function<JsonObject, E> read, Function<E, JsonObject> write) {
            this.keys = Set.copyOf(keys);
            this.read = read;
            this.write = write;
        }

        @Override
        public List<E> read(Object json, List<E> current, At at) {
            JsonArray a = array(json, at);
            List<E> out = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                At item = new At(at.kind, at.path + "[" + i + "]");
                JsonObject o = object(a.getValue(i), item);
                onlyKnown(o, keys, at.kind, item.path, key -> "");
                out.add(read.apply(o));
            }
            return out;
        }

        @Override
        public Object write(List<E> value) {
            JsonArray a = new JsonArray();
            value.forEach(e -> a.add(write.apply(e)));
            return a;
        }
    }
}
