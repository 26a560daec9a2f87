package kr.max.factory.mqtt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kr.max.core.AssetPath;
import kr.max.factory.assets.AssetModel;
import kr.max.factory.assets.Equipment;
import kr.max.factory.assets.TagPath;

/**
 * The topic scheme {@code max/{site}/{area}/{line}/{equipment}/{tag}}. The cell is left out, as plant MQTT schemes
 * usually do (a cell is an organisational grouping, equipment ids are unique within a line), so reading a topic
 * back needs the asset model to find the cell; a model whose line holds two equipment of the same id cannot use
 * the scheme and is refused when a publisher or connector is built.
 */
final class MqttTopics {

    static final String ROOT = "max";
    /**
     * The last level of an equipment's batch topic ({@code max/site/area/line/equipment/_samples}): tag ids cannot
     * start with an underscore, so it names no tag.
     */
    static final String BATCH = "_samples";

    private final Map<String, AssetPath> equipmentByKey = new HashMap<>();

    MqttTopics(AssetModel model) {
        for (Equipment e : model.equipment()) {
            AssetPath previous = equipmentByKey.put(key(e.path()), e.path());
            if (previous != null) {
                throw new IllegalArgumentException("equipment " + e.path() + " and " + previous
                        + " share one MQTT topic: equipment ids must be unique within a line");
            }
        }
    }

    static String topic(TagPath tag) {
        return ROOT + "/" + key(tag.equipment()) + "/" + tag.tag();
    }

    static String batchTopic(AssetPath equipment) {
        return ROOT + "/" + key(equipment) + "/" + BATCH;
    }

    /** {@code site/area/line/equipment} of a five-level equipment path. */
    private static String key(AssetPath equipment) {
        List<String> l = equipment.levels();
        return l.get(0) + "/" + l.get(1) + "/" + l.get(2) + "/" + l.get(l.size() - 1);
    }

    /** The tag a topic names, or null if it is not of the scheme or names no equipment of the model. */
    TagPath tagOf(String topic) {
        String[] p = topic.split("/", -1);
        if (p.length != 6 || !p[0].equals(ROOT) || p[5].isEmpty()) return null;
        AssetPath equipment = equipmentByKey.get(p[1] + "/" + p[2] + "/" + p[3] + "/" + p[4]);
        return equipment == null ? null : new TagPath(equipment, p[5]);
    }
}
