package kr.max.factory.twin;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.TagPath;

/**
 * A fault as people write it — on the command line ({@code max twin fault bearing-defect CNC-01 --severity 0.6}) or
 * in an HTTP request — turned into a {@link Fault} of an asset model. Targets may be a full ISA-95 path or, where it
 * is unique in the model, just the equipment's id ({@code CNC-01}, {@code CNC-01/vibration-acceleration-rms}):
 * operators name machines by their plate, not their path.
 *
 * <p>Options per kind, with their defaults: {@code heater-degradation} zone (1), fraction (0.5);
 * {@code bearing-defect} severity (0.5), race ({@code outer}|{@code inner}); {@code sensor-drift} per-hour (required);
 * {@code stuck-sensor} none; {@code communication-loss} duration (ISO-8601 like {@code PT30S} or {@code 30s}, 30 s),
 * mode ({@code silent}|{@code bad-quality}).
 */
public final class FaultSpec {

    /** The fault kinds, as {@link Fault#kind()} names them. */
    public static final List<String> KINDS = List.of("heater-degradation", "bearing-defect", "sensor-drift", "stuck-sensor",
            "communication-loss");

    private FaultSpec() {
    }

    /**
     * Reads one fault.
     *
     * @param kind    one of {@link #KINDS}
     * @param target  equipment (or, for sensor faults, tag) path or unique id
     * @param options the kind's options by name; unknown names are refused
     * @throws MaxException {@code MAX-FACTORY-047} unknown kind, option or unreadable value; {@code 041} / {@code 040}
     *                      no such equipment / tag
     */
    public static Fault parse(String kind, String target, Map<String, String> options, AssetModel model) {
        String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        Map<String, String> o = options == null ? Map.of() : options;
        return switch (k) {
            case "heater-degradation" -> {
                allow(k, o, Set.of("zone", "fraction"));
                yield new Fault.HeaterDegradation(equipment(target, model), integer(k, o, "zone", 1), number(k, o, "fraction", 0.5));
            }
            case "bearing-defect" -> {
                allow(k, o, Set.of("severity", "race"));
                String race = o.getOrDefault("race", "outer").trim().toUpperCase(Locale.ROOT);
                if (!race.equals("OUTER") && !race.equals("INNER")) throw bad(k, "race", o.get("race"), "outer | inner");
                yield new Fault.BearingDefect(equipment(target, model), number(k, o, "severity", 0.5),
                        Fault.BearingDefect.Race.valueOf(race));
            }
            case "sensor-drift" -> {
                allow(k, o, Set.of("per-hour"));
                if (!o.containsKey("per-hour")) throw bad(k, "per-hour", "", "the drift per simulated hour in the tag's unit");
                yield new Fault.SensorDrift(tag(target, model), number(k, o, "per-hour", 0));
            }
            case "stuck-sensor" -> {
                allow(k, o, Set.of());
                yield new Fault.StuckSensor(tag(target, model));
            }
            case "communication-loss" -> {
                allow(k, o, Set.of("duration", "mode"));
                String mode = o.getOrDefault("mode", "silent").trim().toUpperCase(Locale.ROOT).replace('-', '_');
                if (!mode.equals("SILENT") && !mode.equals("BAD_QUALITY")) throw bad(k, "mode", o.get("mode"), "silent | bad-quality");
                yield new Fault.CommunicationLoss(equipment(target, model), duration(k, o.getOrDefault("duration", "PT30S")),
                        Fault.CommunicationLoss.Mode.valueOf(mode));
            }
            default -> throw new MaxException(FactoryError.BAD_FAULT_ARGUMENT, Location.NOWHERE, "?", "kind", kind,
                    String.join(" | ", KINDS));
        };
    }

    /** The equipment a full path or a unique equipment id names. */
    public static AssetPath equipment(String target, AssetModel model) {
        String t = target == null ? "" : target.trim();
        if (t.contains("/")) {
            try {
                AssetPath path = AssetPath.parse(t);
                if (model.equipment(path).isPresent()) return path;
            } catch (RuntimeException e) {
                // not a path: fall through to the error naming what was written
            }
            throw new MaxException(FactoryError.UNKNOWN_EQUIPMENT, Location.NOWHERE, t);
        }
        var found = new ArrayList<AssetPath>();
        for (Equipment e : model.equipment()) {
            List<String> levels = e.path().levels();
            if (levels.getLast().equalsIgnoreCase(t)) found.add(e.path());
        }
        if (found.size() != 1) throw new MaxException(FactoryError.UNKNOWN_EQUIPMENT, Location.NOWHERE, t);
        return found.getFirst();
    }

    /** The tag a full path or {@code EQUIPMENT-ID/tag} names. */
    public static TagPath tag(String target, AssetModel model) {
        String t = target == null ? "" : target.trim();
        int slash = t.lastIndexOf('/');
        if (slash <= 0) throw new MaxException(FactoryError.UNKNOWN_TAG, Location.NOWHERE, t);
        AssetPath equipment;
        try {
            equipment = equipment(t.substring(0, slash), model);
        } catch (MaxException e) {
            throw new MaxException(FactoryError.UNKNOWN_TAG, Location.NOWHERE, t);
        }
        var path = new TagPath(equipment, t.substring(slash + 1));
        if (model.tag(path).isEmpty()) throw new MaxException(FactoryError.UNKNOWN_TAG, Location.NOWHERE, t);
        return path;
    }

    private static void allow(String kind, Map<String, String> options, Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw bad(kind, name, options.get(name), known.isEmpty() ? "no options" : "one of " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private static double number(String kind, Map<String, String> o, String name, double fallback) {
        String v = o.get(name);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw bad(kind, name, v, "a number");
        }
    }

    private static int integer(String kind, Map<String, String> o, String name, int fallback) {
        String v = o.get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(kind, name, v, "a whole number");
        }
    }

    private static Duration duration(String kind, String text) {
        String t = text.trim();
        try {
            if (t.matches("\\d+(\\.\\d+)?[smh]")) {
                double amount = Double.parseDouble(t.substring(0, t.length() - 1));
                long unit = switch (t.charAt(t.length() - 1)) {
                    case 's' -> 1_000;
                    case 'm' -> 60_000;
                    default -> 3_600_000;
                };
                return Duration.ofMillis(Math.round(amount * unit));
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw bad(kind, "duration", text, "a duration such as 30s, 5m or PT30S");
        }
    }

    private static MaxException bad(String kind, String name, String value, String expected) {
        return new MaxException(FactoryError.BAD_FAULT_ARGUMENT, Location.NOWHERE, kind, name, value == null ? "" : value, expected);
    }
}
