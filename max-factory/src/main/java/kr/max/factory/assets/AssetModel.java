package kr.max.factory.assets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kr.max.core.AssetPath;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.FactoryError;

/**
 * A plant's equipment as one YAML file describes it: the ISA-95 hierarchy (enterprise, sites, areas, lines,
 * cells, equipment), the equipment types with their tags, and what the line simulator needs to run them.
 *
 * <p>Reading checks everything the file must hold together (unique paths, known units, ordered limits, writable
 * setpoints only, non-overlapping Modbus registers, known signals and parameters) and names file, line and column
 * of the first problem. The model keeps the text it was read from ({@link #text()}), which is what the library
 * stores; {@link #toYaml()} writes the same content in a canonical form that reads back to an equal model.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class AssetModel {

    /** The demo line shipped with M.AX: a small injection molding plant in Changwon. */
    public static final String DEMO_LINE_RESOURCE = "kr/max/factory/lines/demo-line.yaml";

    private final String source;
    private final String text;
    private final String enterpriseId;
    private final Name enterpriseName;
    private final List<EquipmentType> types;
    private final List<AssetNode> nodes;
    private final List<Equipment> equipment;
    private final List<Tag> tags;
    private final Map<String, EquipmentType> typesById = new LinkedHashMap<>();
    private final Map<AssetPath, AssetNode> nodesByPath = new LinkedHashMap<>();
    private final Map<AssetPath, Equipment> equipmentByPath = new LinkedHashMap<>();
    private final Map<TagPath, Tag> tagsByPath = new LinkedHashMap<>();

    AssetModel(String source, String text, String enterpriseId, Name enterpriseName, List<EquipmentType> types,
            List<AssetNode> nodes, List<Equipment> equipment) {
        this.source = source;
        this.text = text;
        this.enterpriseId = enterpriseId;
        this.enterpriseName = enterpriseName;
        this.types = List.copyOf(types);
        this.nodes = List.copyOf(nodes);
        this.equipment = List.copyOf(equipment);
        for (EquipmentType t : types) typesById.put(t.id(), t);
        for (AssetNode n : nodes) nodesByPath.put(n.path(), n);
        var allTags = new ArrayList<Tag>();
        for (Equipment e : equipment) {
            equipmentByPath.put(e.path(), e);
            for (TagSpec spec : typesById.get(e.type()).tags()) {
                var tag = new Tag(new TagPath(e.path(), spec.id()), spec);
                allTags.add(tag);
                tagsByPath.put(tag.path(), tag);
            }
        }
        this.tags = List.copyOf(allTags);
    }

    /**
     * Reads an asset model from YAML text.
     *
     * @param yaml       the file's content
     * @param sourceName the file name to show in errors
     * @throws MaxException with a {@link FactoryError} code and the file position of the first problem
     */
    public static AssetModel parse(String yaml, String sourceName) {
        return AssetYaml.read(yaml, sourceName);
    }

    /** Reads an asset model file (UTF-8). */
    public static AssetModel read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MaxException(FactoryError.UNREADABLE_FILE, Location.file(file.toString()), e, file.toString());
        }
        return parse(text, file.getFileName().toString());
    }

    /** The demo line ({@value #DEMO_LINE_RESOURCE}). */
    public static AssetModel demoLine() {
        try (InputStream in = AssetModel.class.getClassLoader().getResourceAsStream(DEMO_LINE_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DEMO_LINE_RESOURCE);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo-line.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEMO_LINE_RESOURCE, e);
        }
    }

    /** The file name given when reading. */
    public String source() {
        return source;
    }

    /** The YAML text exactly as read, comments included. */
    public String text() {
        return text;
    }

    /** The content in canonical YAML: reading it back gives a model with equal types, nodes and equipment. */
    public String toYaml() {
        return AssetYaml.write(this);
    }

    public String enterpriseId() {
        return enterpriseId;
    }

    public Name enterpriseName() {
        return enterpriseName;
    }

    // ---------------------------------------------------------------- equipment types

    public List<EquipmentType> equipmentTypes() {
        return types;
    }

    public Optional<EquipmentType> equipmentType(String id) {
        return Optional.ofNullable(typesById.get(id));
    }

    /** The type of an equipment of this model. */
    public EquipmentType typeOf(Equipment e) {
        return typesById.get(e.type());
    }

    // ---------------------------------------------------------------- hierarchy

    /** Every node, sites to equipment, in the file's order (each node before its children). */
    public List<AssetNode> nodes() {
        return nodes;
    }

    public Optional<AssetNode> node(AssetPath path) {
        return Optional.ofNullable(nodesByPath.get(path));
    }

    public List<AssetNode> sites() {
        return nodes.stream().filter(n -> n.level() == Level.SITE).toList();
    }

    /** The nodes one level below {@code parent}, in the file's order; the sites for {@code null}. */
    public List<AssetNode> children(AssetPath parent) {
        if (parent == null) return sites();
        int depth = parent.levels().size() + 1;
        return nodes.stream()
                .filter(n -> n.path().levels().size() == depth && startsWith(n.path(), parent))
                .toList();
    }

    // ---------------------------------------------------------------- equipment

    public List<Equipment> equipment() {
        return equipment;
    }

    public Optional<Equipment> equipment(AssetPath path) {
        return Optional.ofNullable(equipmentByPath.get(path));
    }

    public List<Equipment> equipmentOfType(String typeId) {
        return equipment.stream().filter(e -> e.type().equals(typeId)).toList();
    }

    /** The equipment at or below a node: a site's, an area's, a line's or a cell's equipment. */
    public List<Equipment> equipmentUnder(AssetPath node) {
        return equipment.stream().filter(e -> startsWith(e.path(), node)).toList();
    }

    // ---------------------------------------------------------------- tags

    /** Every tag of every equipment, equipment in the file's order, tags in their type's order. */
    public List<Tag> tags() {
        return tags;
    }

    /** The tags of one equipment; empty if there is no such equipment. */
    public List<Tag> tags(AssetPath equipmentPath) {
        return tags.stream().filter(t -> t.equipment().equals(equipmentPath)).toList();
    }

    public Optional<Tag> tag(TagPath path) {
        return Optional.ofNullable(tagsByPath.get(path));
    }

    /** Tags keyed by path, in {@link #tags()} order. */
    public Map<TagPath, Tag> tagsByPath() {
        return Collections.unmodifiableMap(tagsByPath);
    }

    private static boolean startsWith(AssetPath path, AssetPath prefix) {
        List<String> p = path.levels();
        List<String> q = prefix.levels();
        return p.size() >= q.size() && p.subList(0, q.size()).equals(q);
    }

    @Override
    public String toString() {
        return "AssetModel[" + source + ": " + equipment.size() + " equipment, " + tags.size() + " tags]";
    }
}
