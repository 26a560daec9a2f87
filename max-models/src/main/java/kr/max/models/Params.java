package kr.max.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parameters of a model type: a type's {@link ModelType#defaults()} overridden by a user's file
 * ({@code max train TYPE --params FILE}, one {@code name: value} per line). Names the type does not know
 * are refused, so a typo never trains a model with a silent default. The registry stores the parameters
 * actually used with each version.
 */
public final class Params {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Defaults of a type, in the order they should be shown. Values are numbers, booleans or text. */
    public static Params of(Map<String, ?> values) {
        return new Params(new LinkedHashMap<>(values));
    }

    /** Reads a flat YAML map of parameter names to values. */
    public static Map<String, Object> read(Path file) {
        try {
            var node = YAML.readTree(Files.readString(file));
            var out = new LinkedHashMap<String, Object>();
            if (node == null || node.isNull() || node.isMissingNode()) return out;
            if (!node.isObject()) {
                throw new MaxException(ModelError.MALFORMED_PARAMETERS, Location.file(file.toString()), file, "not a map");
            }
            for (var e : node.properties()) {
                var v = e.getValue();
                if (!v.isValueNode()) {
                    throw new MaxException(ModelError.MALFORMED_PARAMETERS, Location.file(file.toString()), file,
                            "the value of " + e.getKey() + " is not a single value");
                }
                out.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asString());
            }
            return out;
        } catch (IOException | JacksonException e) {
            throw new MaxException(ModelError.MALFORMED_PARAMETERS, Location.file(file.toString()), e, file, e.getMessage());
        }
    }

    /** These parameters with some replaced; a name not among them is refused with the type named. */
    public Params with(Map<String, ?> overrides, String typeId) {
        var merged = new LinkedHashMap<>(values);
        for (var e : overrides.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new MaxException(ModelError.UNKNOWN_PARAMETER, Location.NOWHERE, e.getKey(), typeId,
                        String.join(", ", values.keySet()));
            }
            merged.put(e.getKey(), e.getValue());
        }
        return new Params(merged);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public int integer(String name) {
        var v = value(name);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, v, "a whole number");
        }
    }

    public double number(String name) {
        var v = value(name);
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, v, "a number");
        }
    }

    public boolean flag(String name) {
        var v = value(name);
        if (v instanceof Boolean b) return b;
        return switch (String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, v, "true or false");
        };
    }

    public String text(String name) {
        return String.valueOf(value(name));
    }

    private Object value(String name) {
        if (!values.containsKey(name)) throw new IllegalArgumentException("parameter " + name + " has no default");
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
