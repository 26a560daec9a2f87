package kr.max.factory.assets;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and writes {@link AssetModel} YAML with a streaming parser, so every complaint names line and column.
 * Each rule the file must keep is one method named for it ({@code limitsInOrder}, {@code modbusRegistersDoNotOverlap}, …).
 */
final class AssetYaml {

    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
    static final List<String> TOP_KEYS = List.of("enterprise", "equipment_types", "sites");
    static final List<String> ENTERPRISE_KEYS = List.of("id", "name");
    static final List<String> TYPE_KEYS = List.of("id", "name", "model", "tags");
    static final List<String> TAG_KEYS = List.of("id", "name", "role", "unit", "type", "normal", "alarms",
            "max_rate_per_s", "writable", "sample_ms", "signal", "modbus");
    static final List<String> ALARM_KEYS = List.of("lo_lo", "lo", "hi", "hi_hi");
    static final List<String> MODBUS_KEYS = List.of("table", "address", "scale");
    static final List<String> NAME_KEYS = List.of("ko", "en");
    static final List<String> EQUIPMENT_KEYS = List.of("id", "name", "type", "modbus_unit", "parameters");
    /** The key holding each level's children, by level (site → areas …). */
    private static final Map<Level, String> CHILDREN = Map.of(Level.SITE, "areas", Level.AREA, "lines",
            Level.LINE, "cells", Level.CELL, "equipment");
    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]*");
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private AssetYaml() {
    }

    static AssetModel read(String yaml, String sourceName) {
        try (JsonParser p = MAPPER.createParser(yaml)) {
            return new Reader(p, sourceName).document(yaml);
        } catch (MaxException e) {
            throw e;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            long line = at == null ? 0 : Math.max(0, at.getLineNr());
            int column = at == null ? 0 : Math.max(0, at.getColumnNr());
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            // the YAML parser's last mark is the problem; its first is where the enclosing construct began
            Matcher mark = MARK.matcher(why);
            while (mark.find()) {
                line = Long.parseLong(mark.group(1));
                column = Integer.parseInt(mark.group(2));
            }
            throw new MaxException(FactoryError.MALFORMED_YAML, Location.cell(sourceName, line, column, null), e,
                    explanation(why));
        }
    }

    /** The parser's explanation without its source excerpts: the lines that do not start with blank space. */
    static String explanation(String message) {
        var parts = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList();
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------- reading

    /** An equipment as read, before its type is known to exist. */
    private record RawEquipment(Equipment equipment, Location at, Location typeAt, Location unitAt,
            Map<String, Location> parameterAt) {
    }

    /** A tag as read, with where its keys were written. */
    private record RawTag(TagSpec spec, Location at, Map<String, Location> keyAt) {
    }

    private static final class Reader {
        private final JsonParser p;
        private final String sourceName;
        private final List<EquipmentType> types = new ArrayList<>();
        private final Map<String, Location> typeAt = new HashMap<>();
        private final List<AssetNode> nodes = new ArrayList<>();
        private final Map<AssetPath, Location> nodeAt = new HashMap<>();
        private final List<RawEquipment> equipment = new ArrayList<>();

        Reader(JsonParser p, String sourceName) {
            this.p = p;
            this.sourceName = sourceName;
        }

        AssetModel document(String text) {
            JsonToken t = p.nextToken();
            if (t == null) throw new MaxException(FactoryError.MISSING_KEY, here(), "enterprise", sourceName);
            if (t != JsonToken.START_OBJECT) {
                throw new MaxException(FactoryError.WRONG_TYPE, here(), "(asset model)",
                        "enterprise: { … }\nequipment_types: [ … ]\nsites: [ … ]");
            }
            Location start = here();
            String enterpriseId = null;
            Name enterpriseName = null;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(FactoryError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "enterprise" -> {
                        expect(JsonToken.START_OBJECT, key, "enterprise: { id: hanbit, name: { ko: 한빛정밀, en: Hanbit Precision } }");
                        Location at = here();
                        var keys = new HashSet<String>();
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String k = p.currentName();
                            Location kAt = here();
                            if (!keys.add(k)) throw new MaxException(FactoryError.DUPLICATE_KEY, kAt, k);
                            p.nextToken();
                            switch (k) {
                                case "id" -> enterpriseId = id();
                                case "name" -> enterpriseName = name();
                                default -> throw unknownKey(kAt, k, ENTERPRISE_KEYS);
                            }
                        }
                        if (enterpriseId == null) throw new MaxException(FactoryError.MISSING_KEY, at, "id", "enterprise");
                        if (enterpriseName == null) throw new MaxException(FactoryError.MISSING_KEY, at, "name", "enterprise");
                    }
                    case "equipment_types" -> {
                        expect(JsonToken.START_ARRAY, key, "equipment_types:\n  - id: …\n    model: …\n    tags: [ … ]");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            expect(JsonToken.START_OBJECT, key, "- id: injection-molding-machine\n  name: { ko: …, en: … }");
                            equipmentType();
                        }
                    }
                    case "sites" -> children(Level.SITE, null);
                    default -> throw unknownKey(keyAt, key, TOP_KEYS);
                }
            }
            if (enterpriseId == null) throw new MaxException(FactoryError.MISSING_KEY, start, "enterprise", sourceName);
            var resolved = new ArrayList<Equipment>();
            for (RawEquipment e : equipment) {
                EquipmentType type = equipmentTypeExists(e);
                parametersKnown(e, type.model());
                modbusUnitInRange(e);
                resolved.add(e.equipment());
            }
            return new AssetModel(sourceName, text, enterpriseId, enterpriseName, types, nodes, resolved);
        }

        // ------------------------------------------------------------ hierarchy

        /** A list of nodes of {@code level} under {@code parent} (null for sites). */
        private void children(Level level, AssetPath parent) {
            String key = level == Level.SITE ? "sites" : CHILDREN.get(Level.values()[level.ordinal() - 1]);
            expect(JsonToken.START_ARRAY, key, key + ":\n  - id: …\n    name: { ko: …, en: … }");
            while (p.nextToken() != JsonToken.END_ARRAY) {
                expect(JsonToken.START_OBJECT, key, "- id: …\n  name: { ko: …, en: … }");
                node(level, parent);
            }
        }

        private void node(Level level, AssetPath parent) {
            Location at = here();
            String childKey = CHILDREN.get(level);
            List<String> allowed = level == Level.EQUIPMENT ? EQUIPMENT_KEYS : List.of("id", "name", childKey);
            String id = null;
            Name name = null;
            String type = null;
            Location typeKeyAt = null;
            Integer modbusUnit = null;
            Location unitAt = null;
            var parameters = new LinkedHashMap<String, Double>();
            var parameterAt = new LinkedHashMap<String, Location>();
            // a node comes before its children in the list: keep its place while the children are read
            int slot = nodes.size();
            nodes.add(null);
            AssetPath path = null;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(FactoryError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                if (key.equals("id")) {
                    id = id();
                    path = pathOf(parent, id);
                    uniquePath(path, at);
                } else if (key.equals("name")) {
                    name = name();
                } else if (key.equals(childKey) && level != Level.EQUIPMENT) {
                    if (id == null) throw new MaxException(FactoryError.MISSING_KEY, at, "id", level.word());
                    children(Level.values()[level.ordinal() + 1], path);
                } else if (level == Level.EQUIPMENT && key.equals("type")) {
                    typeKeyAt = here();
                    type = text(key, "type: injection-molding-machine");
                } else if (level == Level.EQUIPMENT && key.equals("modbus_unit")) {
                    unitAt = here();
                    modbusUnit = integer(key, 0, 255, "1 … 247");
                } else if (level == Level.EQUIPMENT && key.equals("parameters")) {
                    expect(JsonToken.START_OBJECT, key, "parameters: { heater_gain: 350, zone_1_setpoint: 205 }");
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String param = p.currentName();
                        Location paramAt = here();
                        if (parameterAt.putIfAbsent(param, paramAt) != null) {
                            throw new MaxException(FactoryError.DUPLICATE_KEY, paramAt, param);
                        }
                        p.nextToken();
                        parameters.put(param, number(param));
                    }
                } else {
                    throw unknownKey(keyAt, key, allowed);
                }
            }
            if (id == null) throw new MaxException(FactoryError.MISSING_KEY, at, "id", level.word());
            if (name == null) throw new MaxException(FactoryError.MISSING_KEY, at, "name", level.word() + " " + id);
            nodes.set(slot, new AssetNode(path, level, name));
            if (level == Level.EQUIPMENT) {
                if (type == null) throw new MaxException(FactoryError.MISSING_KEY, at, "type", "equipment " + id);
                equipment.add(new RawEquipment(new Equipment(path, name, type, modbusUnit, parameters), at,
                        typeKeyAt, unitAt, parameterAt));
            }
        }

        private AssetPath pathOf(AssetPath parent, String id) {
            var levels = new ArrayList<String>();
            if (parent != null) levels.addAll(parent.levels());
            levels.add(id);
            return new AssetPath(levels);
        }

        private void uniquePath(AssetPath path, Location at) {
            Location first = nodeAt.putIfAbsent(path, at);
            if (first != null) throw new MaxException(FactoryError.DUPLICATE_PATH, at, path.toString(), first.line());
        }

        private EquipmentType equipmentTypeExists(RawEquipment e) {
            String id = e.equipment().type();
            return types.stream().filter(t -> t.id().equals(id)).findFirst()
                    .orElseThrow(() -> new MaxException(FactoryError.UNKNOWN_EQUIPMENT_TYPE, e.typeAt(), id,
                            types.isEmpty() ? "-" : String.join(", ", types.stream().map(EquipmentType::id).toList())));
        }

        private void parametersKnown(RawEquipment e, SimulationModel model) {
            for (var entry : e.parameterAt().entrySet()) {
                if (!model.parameters().containsKey(entry.getKey())) {
                    throw new MaxException(FactoryError.UNKNOWN_PARAMETER, entry.getValue(), entry.getKey(), model.word(),
                            model.parameters().isEmpty() ? "-" : String.join(", ", model.parameters().keySet()));
                }
            }
        }

        private void modbusUnitInRange(RawEquipment e) {
            Integer unit = e.equipment().modbusUnit();
            if (unit != null && (unit < 1 || unit > 247)) {
                throw new MaxException(FactoryError.OUT_OF_RANGE, e.unitAt(), "modbus_unit", unit.toString(), "1 … 247");
            }
        }

        // ------------------------------------------------------------ equipment types

        private void equipmentType() {
            Location at = here();
            String id = null;
            Name name = null;
            SimulationModel model = SimulationModel.NONE;
            var tags = new ArrayList<RawTag>();
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(FactoryError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "id" -> id = id();
                    case "name" -> name = name();
                    case "model" -> model = word(key, SimulationModel.values(), SimulationModel::word);
                    case "tags" -> {
                        expect(JsonToken.START_ARRAY, key, "tags:\n  - id: …\n    unit: …");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            expect(JsonToken.START_OBJECT, key, "- id: barrel-zone-1-temperature\n  name: { ko: …, en: … }\n  unit: Cel");
                            tags.add(tag());
                        }
                    }
                    default -> throw unknownKey(keyAt, key, TYPE_KEYS);
                }
            }
            if (id == null) throw new MaxException(FactoryError.MISSING_KEY, at, "id", "equipment type");
            if (name == null) throw new MaxException(FactoryError.MISSING_KEY, at, "name", "equipment type " + id);
            Location first = typeAt.putIfAbsent(id, at);
            if (first != null) throw new MaxException(FactoryError.DUPLICATE_TYPE, at, id, first.line());
            tagIdsUnique(id, tags);
            for (RawTag t : tags) signalExists(id, t, model);
            modbusRegistersDoNotOverlap(id, tags);
            types.add(new EquipmentType(id, name, model, tags.stream().map(RawTag::spec).toList()));
        }

        private void tagIdsUnique(String typeId, List<RawTag> tags) {
            var first = new HashMap<String, Location>();
            for (RawTag t : tags) {
                Location prior = first.putIfAbsent(t.spec().id(), t.at());
                if (prior != null) {
                    throw new MaxException(FactoryError.DUPLICATE_PATH, t.at(), typeId + "/" + t.spec().id(), prior.line());
                }
            }
        }

        private void signalExists(String typeId, RawTag t, SimulationModel model) {
            if (model == SimulationModel.NONE) return;
            TagSpec s = t.spec();
            Location at = t.keyAt().getOrDefault("signal", t.at());
            if (!model.signals().contains(s.signal())) {
                throw new MaxException(FactoryError.UNKNOWN_SIGNAL, at, typeId + "/" + s.id(), s.signal(), model.word(),
                        String.join(", ", model.signals()));
            }
            if (s.writable() && !model.writableSignals().contains(s.signal())) {
                throw new MaxException(FactoryError.SIGNAL_NOT_WRITABLE, t.keyAt().get("writable"), typeId + "/" + s.id(),
                        s.signal(), model.word());
            }
        }

        private void modbusRegistersDoNotOverlap(String typeId, List<RawTag> tags) {
            var placed = new ArrayList<RawTag>();
            for (RawTag t : tags) {
                ModbusRegister r = t.spec().modbus();
                if (r == null) continue;
                int from = r.address();
                int to = from + width(t.spec());
                for (RawTag other : placed) {
                    ModbusRegister o = other.spec().modbus();
                    if (o.table() != r.table()) continue;
                    int oFrom = o.address();
                    int oTo = oFrom + width(other.spec());
                    if (from < oTo && oFrom < to) {
                        throw new MaxException(FactoryError.MODBUS_OVERLAP, t.keyAt().get("modbus"), typeId + "/" + t.spec().id(),
                                typeId + "/" + other.spec().id(), r.table().word(), Integer.toString(Math.max(from, oFrom)));
                    }
                }
                placed.add(t);
            }
        }

        private static int width(TagSpec s) {
            return s.modbus().table().bits() ? 1 : s.type().registers();
        }

        // ------------------------------------------------------------ tags

        private RawTag tag() {
            Location at = here();
            var keyAt = new LinkedHashMap<String, Location>();
            String id = null;
            Name name = null;
            TagRole role = TagRole.MEASUREMENT;
            String unit = null;
            DataType type = DataType.DOUBLE;
            Range normal = null;
            Double[] alarms = new Double[4];
            Map<String, Location> alarmAt = new HashMap<>();
            Double maxRate = null;
            boolean writable = false;
            int sampleMillis = TagSpec.DEFAULT_SAMPLE_MILLIS;
            String signal = null;
            ModbusRegister modbus = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location kAt = here();
                if (keyAt.putIfAbsent(key, kAt) != null) throw new MaxException(FactoryError.DUPLICATE_KEY, kAt, key);
                p.nextToken();
                switch (key) {
                    case "id" -> id = id();
                    case "name" -> name = name();
                    case "role" -> role = word(key, TagRole.values(), TagRole::word);
                    case "unit" -> {
                        keyAt.put(key, here());
                        unit = text(key, "unit: Cel");
                    }
                    case "type" -> type = word(key, DataType.values(), DataType::word);
                    case "normal" -> {
                        keyAt.put(key, here());
                        normal = range(key);
                    }
                    case "alarms" -> {
                        expect(JsonToken.START_OBJECT, key, "alarms: { lo_lo: 170, lo: 180, hi: 250, hi_hi: 265 }");
                        var seen = new HashSet<String>();
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String limit = p.currentName();
                            Location limitAt = here();
                            if (!seen.add(limit)) throw new MaxException(FactoryError.DUPLICATE_KEY, limitAt, limit);
                            int i = ALARM_KEYS.indexOf(limit);
                            if (i < 0) throw unknownKey(limitAt, limit, ALARM_KEYS);
                            p.nextToken();
                            alarmAt.put(limit, here());
                            alarms[i] = number(limit);
                        }
                    }
                    case "max_rate_per_s" -> maxRate = positive(key);
                    case "writable" -> writable = bool(key);
                    case "sample_ms" -> sampleMillis = integer(key, 1, 86_400_000, "1 … 86400000");
                    case "signal" -> signal = text(key, "signal: barrel-zone-1-temperature");
                    case "modbus" -> modbus = modbus();
                    default -> throw unknownKey(kAt, key, TAG_KEYS);
                }
            }
            if (id == null) throw new MaxException(FactoryError.MISSING_KEY, at, "id", "tag");
            if (name == null) throw new MaxException(FactoryError.MISSING_KEY, at, "name", "tag " + id);
            if (unit == null) throw new MaxException(FactoryError.MISSING_KEY, at, "unit", "tag " + id);
            var limits = new AlarmLimits(alarms[0], alarms[1], alarms[2], alarms[3]);
            var spec = new TagSpec(id, name, role, unit, type, normal, limits, maxRate, writable, sampleMillis,
                    signal == null ? id : signal, modbus);
            unitKnown(spec, keyAt.get("unit"));
            normalRangeOrdered(spec, keyAt.get("normal"));
            limitsInOrder(spec, keyAt, alarmAt);
            writableOnlyForSetpoints(spec, keyAt.get("writable"));
            writableSetpointHasRange(spec, at);
            modbusTableFitsType(spec, keyAt.get("modbus"));
            return new RawTag(spec, at, keyAt);
        }

        private void unitKnown(TagSpec s, Location at) {
            if (Units.isKnown(s.unit())) return;
            var suggestion = Units.suggestion(s.unit());
            if (suggestion.isPresent()) throw new MaxException(FactoryError.UNIT_SPELLING, at, s.unit(), suggestion.get());
            throw new MaxException(FactoryError.UNKNOWN_UNIT, at, s.unit(),
                    String.join(", ", Units.all().stream().map(Units.Unit::code).toList()) + ", {…}");
        }

        private void normalRangeOrdered(TagSpec s, Location at) {
            Range r = s.normal();
            if (r != null && !(r.low() < r.high())) {
                throw new MaxException(FactoryError.BAD_NORMAL_RANGE, at, s.id(), format(r.low()), format(r.high()));
            }
        }

        /** lo_lo < lo <= normal low < normal high <= hi < hi_hi, over the limits present. */
        private void limitsInOrder(TagSpec s, Map<String, Location> keyAt, Map<String, Location> alarmAt) {
            AlarmLimits a = s.alarms();
            Range n = s.normal();
            String[] names = {"lo_lo", "lo", "normal[0]", "normal[1]", "hi", "hi_hi"};
            Double[] values = {a.loLo(), a.lo(), n == null ? null : n.low(), n == null ? null : n.high(), a.hi(), a.hiHi()};
            int prev = -1;
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) continue;
                if (prev >= 0) {
                    boolean normalInvolved = names[prev].startsWith("normal") != names[i].startsWith("normal");
                    boolean ok = normalInvolved ? values[prev] <= values[i] : values[prev] < values[i];
                    if (!ok) {
                        String culprit = names[i].startsWith("normal") ? names[prev] : names[i];
                        Location at = alarmAt.getOrDefault(culprit, keyAt.get("alarms"));
                        throw new MaxException(FactoryError.LIMITS_OUT_OF_ORDER, at, s.id(), names[prev],
                                format(values[prev]), names[i], format(values[i]));
                    }
                }
                prev = i;
            }
        }

        private void writableOnlyForSetpoints(TagSpec s, Location at) {
            if (s.writable() && s.role() != TagRole.SETPOINT) {
                throw new MaxException(FactoryError.WRITABLE_NOT_SETPOINT, at, s.id(), s.role().word());
            }
        }

        private void writableSetpointHasRange(TagSpec s, Location at) {
            if (s.writable() && s.normal() == null) throw new MaxException(FactoryError.SETPOINT_WITHOUT_RANGE, at, s.id());
        }

        private void modbusTableFitsType(TagSpec s, Location at) {
            ModbusRegister r = s.modbus();
            if (r == null) return;
            boolean bool = s.type() == DataType.BOOL;
            if (bool != r.table().bits()) {
                throw new MaxException(FactoryError.MODBUS_TABLE_NOT_FOR_TYPE, at, s.id(), r.table().word(), s.type().word(),
                        bool ? "coil, discrete" : "holding, input");
            }
            if (s.writable() && !r.table().writable()) {
                throw new MaxException(FactoryError.MODBUS_READ_ONLY_TABLE, at, s.id(), r.table().word());
            }
            int width = r.table().bits() ? 1 : s.type().registers();
            if (r.address() + width > 65_536) {
                throw new MaxException(FactoryError.OUT_OF_RANGE, at, "modbus.address", Integer.toString(r.address()),
                        "0 … " + (65_536 - width));
            }
        }

        private ModbusRegister modbus() {
            expect(JsonToken.START_OBJECT, "modbus", "modbus: { table: holding, address: 100, scale: 0.1 }");
            Location at = here();
            RegisterTable table = null;
            Integer address = null;
            double scale = 1;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(FactoryError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "table" -> table = word(key, RegisterTable.values(), RegisterTable::word);
                    case "address" -> address = integer(key, 0, 65_535, "0 … 65535");
                    case "scale" -> scale = positive(key);
                    default -> throw unknownKey(keyAt, key, MODBUS_KEYS);
                }
            }
            if (table == null) throw new MaxException(FactoryError.MISSING_KEY, at, "table", "modbus");
            if (address == null) throw new MaxException(FactoryError.MISSING_KEY, at, "address", "modbus");
            return new ModbusRegister(table, address, scale);
        }

        // ------------------------------------------------------------ scalars

        private Name name() {
            expect(JsonToken.START_OBJECT, "name", "name: { ko: 사출성형기 1호기, en: Injection molding machine 1 }");
            Location at = here();
            String ko = null;
            String en = null;
            var seen = new HashSet<String>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                Location keyAt = here();
                if (!seen.add(key)) throw new MaxException(FactoryError.DUPLICATE_KEY, keyAt, key);
                p.nextToken();
                switch (key) {
                    case "ko" -> ko = text(key, "ko: 사출성형기 1호기");
                    case "en" -> en = text(key, "en: Injection molding machine 1");
                    default -> throw unknownKey(keyAt, key, NAME_KEYS);
                }
            }
            if (ko == null || ko.isBlank()) throw new MaxException(FactoryError.MISSING_KEY, at, "ko", "name");
            if (en == null || en.isBlank()) throw new MaxException(FactoryError.MISSING_KEY, at, "en", "name");
            return new Name(ko.strip(), en.strip());
        }

        private String id() {
            String id = text("id", "id: IMM-01").strip();
            if (!ID.matcher(id).matches()) throw new MaxException(FactoryError.INVALID_ID, here(), id);
            return id;
        }

        private Range range(String key) {
            String example = key + ": [200, 240]";
            expect(JsonToken.START_ARRAY, key, example);
            var values = new ArrayList<Double>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (!p.currentToken().isNumeric()) throw new MaxException(FactoryError.WRONG_TYPE, here(), key, example);
                values.add(number(key));
            }
            if (values.size() != 2) throw new MaxException(FactoryError.WRONG_TYPE, here(), key, example);
            return new Range(values.get(0), values.get(1));
        }

        private void expect(JsonToken token, String key, String example) {
            if (p.currentToken() != token) throw new MaxException(FactoryError.WRONG_TYPE, here(), key, example);
        }

        private MaxException unknownKey(Location at, String key, List<String> allowed) {
            return new MaxException(FactoryError.UNKNOWN_KEY, at, key, String.join(", ", allowed));
        }

        private String text(String key, String example) {
            JsonToken t = p.currentToken();
            if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw new MaxException(FactoryError.WRONG_TYPE, here(), key, example);
            }
            return p.getString();
        }

        private int integer(String key, int min, int max, String range) {
            Location at = here();
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new MaxException(FactoryError.WRONG_TYPE, at, key, key + ": " + min);
            }
            BigDecimal v = decimal(key);
            if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw new MaxException(FactoryError.OUT_OF_RANGE, at, key, v.toPlainString(), range);
            }
            return v.intValueExact();
        }

        private double number(String key) {
            if (!p.currentToken().isNumeric()) throw new MaxException(FactoryError.WRONG_TYPE, here(), key, key + ": 12.5");
            return decimal(key).doubleValue();
        }

        private double positive(String key) {
            Location at = here();
            double v = number(key);
            if (!(v > 0)) throw new MaxException(FactoryError.OUT_OF_RANGE, at, key, format(v), "> 0");
            return v;
        }

        private BigDecimal decimal(String key) {
            try {
                return new BigDecimal(p.getString().strip().replace("_", ""));
            } catch (NumberFormatException e) {
                // .inf, .nan and other spellings a YAML parser reads as numbers
                throw new MaxException(FactoryError.OUT_OF_RANGE, here(), key, p.getString(), "a finite number");
            }
        }

        private boolean bool(String key) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE) return true;
            if (t == JsonToken.VALUE_FALSE) return false;
            throw new MaxException(FactoryError.WRONG_TYPE, here(), key, key + ": true | " + key + ": false");
        }

        private <E> E word(String key, E[] values, Function<E, String> word) {
            JsonToken t = p.currentToken();
            Location at = here();
            var allowed = String.join(" | ", Arrays.stream(values).map(word).toList());
            if (t != JsonToken.VALUE_STRING) throw new MaxException(FactoryError.WRONG_TYPE, at, key, key + ": " + allowed);
            String text = p.getString().strip();
            for (E v : values) if (word.apply(v).equalsIgnoreCase(text)) return v;
            throw new MaxException(FactoryError.UNKNOWN_WORD, at, key, text, allowed);
        }

        private Location here() {
            TokenStreamLocation at = p.currentTokenLocation();
            long line = at == null ? 0 : Math.max(0, at.getLineNr());
            int column = at == null ? 0 : Math.max(0, at.getColumnNr());
            return Location.cell(sourceName, line, column, null);
        }
    }

    // ---------------------------------------------------------------- writing

    static String write(AssetModel m) {
        var y = new StringBuilder(4096);
        y.append("# M.AX 자산 모델 / asset model (ISA-95: enterprise > site > area > line > cell > equipment)\n");
        y.append("enterprise:\n");
        y.append("  id: ").append(plain(m.enterpriseId())).append('\n');
        y.append("  name: ").append(name(m.enterpriseName())).append('\n');
        y.append("equipment_types:");
        if (m.equipmentTypes().isEmpty()) y.append(" []");
        y.append('\n');
        for (EquipmentType t : m.equipmentTypes()) {
            y.append("  - id: ").append(plain(t.id())).append('\n');
            y.append("    name: ").append(name(t.name())).append('\n');
            if (t.model() != SimulationModel.NONE) y.append("    model: ").append(t.model().word()).append('\n');
            y.append("    tags:");
            if (t.tags().isEmpty()) y.append(" []");
            y.append('\n');
            for (TagSpec s : t.tags()) writeTag(y, s);
        }
        y.append("sites:");
        if (m.sites().isEmpty()) y.append(" []");
        y.append('\n');
        for (AssetNode site : m.sites()) writeNode(y, m, site, 1);
        return y.toString();
    }

    private static void writeTag(StringBuilder y, TagSpec s) {
        String in = "        ";
        y.append("      - id: ").append(plain(s.id())).append('\n');
        y.append(in).append("name: ").append(name(s.name())).append('\n');
        if (s.role() != TagRole.MEASUREMENT) y.append(in).append("role: ").append(s.role().word()).append('\n');
        y.append(in).append("unit: ").append(plain(s.unit())).append('\n');
        if (s.type() != DataType.DOUBLE) y.append(in).append("type: ").append(s.type().word()).append('\n');
        if (s.normal() != null) {
            y.append(in).append("normal: [").append(format(s.normal().low())).append(", ")
                    .append(format(s.normal().high())).append("]\n");
        }
        AlarmLimits a = s.alarms();
        if (!a.isEmpty()) {
            var parts = new ArrayList<String>();
            if (a.loLo() != null) parts.add("lo_lo: " + format(a.loLo()));
            if (a.lo() != null) parts.add("lo: " + format(a.lo()));
            if (a.hi() != null) parts.add("hi: " + format(a.hi()));
            if (a.hiHi() != null) parts.add("hi_hi: " + format(a.hiHi()));
            y.append(in).append("alarms: { ").append(String.join(", ", parts)).append(" }\n");
        }
        if (s.maxRatePerSecond() != null) y.append(in).append("max_rate_per_s: ").append(format(s.maxRatePerSecond())).append('\n');
        if (s.writable()) y.append(in).append("writable: true\n");
        if (s.sampleMillis() != TagSpec.DEFAULT_SAMPLE_MILLIS) y.append(in).append("sample_ms: ").append(s.sampleMillis()).append('\n');
        if (!s.signal().equals(s.id())) y.append(in).append("signal: ").append(plain(s.signal())).append('\n');
        ModbusRegister r = s.modbus();
        if (r != null) {
            y.append(in).append("modbus: { table: ").append(r.table().word()).append(", address: ").append(r.address());
            if (r.scale() != 1) y.append(", scale: ").append(format(r.scale()));
            y.append(" }\n");
        }
    }

    private static void writeNode(StringBuilder y, AssetModel m, AssetNode node, int depth) {
        String in = "  ".repeat(2 * depth - 2);
        y.append(in).append("- id: ").append(plain(node.id())).append('\n');
        y.append(in).append("  name: ").append(name(node.name())).append('\n');
        if (node.level() == Level.EQUIPMENT) {
            Equipment e = m.equipment(node.path()).orElseThrow();
            y.append(in).append("  type: ").append(plain(e.type())).append('\n');
            if (e.modbusUnit() != null) y.append(in).append("  modbus_unit: ").append(e.modbusUnit()).append('\n');
            if (!e.parameters().isEmpty()) {
                var parts = new ArrayList<String>();
                e.parameters().forEach((k, v) -> parts.add(k + ": " + format(v)));
                y.append(in).append("  parameters: { ").append(String.join(", ", parts)).append(" }\n");
            }
            return;
        }
        List<AssetNode> kids = m.children(node.path());
        y.append(in).append("  ").append(CHILDREN.get(node.level())).append(':');
        if (kids.isEmpty()) y.append(" []");
        y.append('\n');
        for (AssetNode kid : kids) writeNode(y, m, kid, depth + 1);
    }

    private static String name(Name n) {
        return "{ ko: " + quoted(n.ko()) + ", en: " + quoted(n.en()) + " }";
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9._/-]*");
    private static final Set<String> YAML_WORDS = Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n");

    /** Unquoted where YAML reads it back as the same text, quoted otherwise. */
    private static String plain(String s) {
        return PLAIN.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT)) ? s : quoted(s);
    }

    static String quoted(String s) {
        var q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) q.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }
}
