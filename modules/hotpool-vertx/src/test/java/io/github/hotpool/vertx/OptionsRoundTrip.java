package io.github.hotpool.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The round trip every options class owes, driven by its field table ({@link JsonOptions.Fields}):
 * shared with the pipeline's and the cluster's tests through this module's test-jar.
 */
public final class OptionsRoundTrip {

    private OptionsRoundTrip() {
    }

    /**
     * Checks that
     * <ul>
     *   <li>every public {@code setX} of {@code type} is a field of the table (a property added
     *       without JSON support fails here);</li>
     *   <li>{@code everySet} sets every field of the table away from its default (a field added
     *       to the table but not to the test fails here);</li>
     *   <li>{@code toJson()}, encoded and read back, gives equal options and the same JSON; each
     *       field alone is read from its own key; the JSON constructor of {@code {}} gives the
     *       defaults; the copy constructor copies.</li>
     * </ul>
     *
     * @param type the options class
     * @param fields its table
     * @param everySet options with every field set away from its default
     * @param fromJson its JSON constructor
     * @param copy its copy constructor
     */
    public static <T extends JsonOptions> void check(Class<T> type, JsonOptions.Fields<T> fields, T everySet,
                                                     Function<JsonObject, T> fromJson, Function<T, T> copy) {
        Set<String> setters = Arrays.stream(type.getMethods())
            .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1)
            .map(Method::getName)
            .filter(n -> n.startsWith("set") && n.length() > 3)
            .map(n -> n.substring(3, 4).toLowerCase(Locale.ROOT) + n.substring(4))
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(fields.names()).as("the JSON fields of %s are its properties (setters)", type.getSimpleName())
            .containsExactlyInAnyOrderElementsOf(setters);

        JsonObject defaults = fields.create().toJson();
        JsonObject all = everySet.toJson();
        for (String name : fields.names()) {
            assertThat(all.getValue(name)).as("%s.%s is set away from its default in the test", type.getSimpleName(), name)
                .isNotNull().isNotEqualTo(defaults.getValue(name));
        }

        T back = fromJson.apply(new JsonObject(all.encode()));
        assertThat(back).isEqualTo(everySet).hasSameHashCodeAs(everySet);
        assertThat(back.toJson()).isEqualTo(all);
        for (String name : fields.names()) {
            JsonObject one = fromJson.apply(new JsonObject().put(name, all.getValue(name))).toJson();
            assertThat(Objects.equals(one.getValue(name), all.getValue(name)))
                .as("%s.%s alone is read from its own key: %s", type.getSimpleName(), name, one).isTrue();
        }
        assertThat(fromJson.apply(new JsonObject())).isEqualTo(fields.create());
        T c = copy.apply(everySet);
        assertThat(c).isEqualTo(everySet).isNotSameAs(everySet);
    }
}
