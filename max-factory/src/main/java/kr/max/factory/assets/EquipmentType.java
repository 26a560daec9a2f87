package kr.max.factory.assets;

import java.util.List;
import java.util.Optional;

/**
 * A kind of equipment (an injection molding machine model, say): its tags, their units, limits and Modbus map,
 * and the physics model the line simulator runs for it.
 */
public record EquipmentType(String id, Name name, SimulationModel model, List<TagSpec> tags) {

    public EquipmentType {
        tags = List.copyOf(tags);
    }

    public Optional<TagSpec> tag(String tagId) {
        return tags.stream().filter(t -> t.id().equals(tagId)).findFirst();
    }
}
