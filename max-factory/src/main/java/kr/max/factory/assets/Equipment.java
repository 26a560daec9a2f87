package kr.max.factory.assets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kr.max.core.AssetPath;

/**
 * One piece of equipment in the hierarchy.
 *
 * @param path       site/area/line/cell/equipment
 * @param name       Korean and English name
 * @param type       the id of its {@link EquipmentType}
 * @param modbusUnit its Modbus unit (slave) id, 1–247; {@code null} if it is not reached over Modbus
 * @param parameters values for its simulation model's parameters, overriding the defaults
 *                   ({@link SimulationModel#parameters()})
 */
public record Equipment(AssetPath path, Name name, String type, Integer modbusUnit, Map<String, Double> parameters) {

    public Equipment {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String id() {
        return path.levels().getLast();
    }
}
