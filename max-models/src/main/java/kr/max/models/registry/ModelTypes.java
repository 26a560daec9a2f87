package kr.max.models.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ServiceLoader;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import kr.max.models.ModelType;
import kr.max.models.StandardModels;
import kr.max.models.onnx.OnnxModelType;

/**
 * The model types a registry knows: the standard ones, the ONNX import type, and any declared on the class path in
 * {@code META-INF/services/kr.max.models.ModelType} (a plant's own type, a test's fixture). The first of an id wins,
 * so a standard type is never replaced from the class path.
 */
final class ModelTypes {

    private final List<ModelType> all;

    ModelTypes(List<ModelType> extra) {
        var byId = new LinkedHashMap<String, ModelType>();
        for (ModelType t : StandardModels.all()) byId.putIfAbsent(t.id(), t);
        byId.putIfAbsent(OnnxModelType.ID, new OnnxModelType());
        for (ModelType t : extra) byId.putIfAbsent(t.id(), t);
        this.all = List.copyOf(byId.values());
    }

    static ModelTypes discovered() {
        var found = new ArrayList<ModelType>();
        ServiceLoader.load(ModelType.class, ModelTypes.class.getClassLoader()).forEach(found::add);
        return new ModelTypes(found);
    }

    List<ModelType> all() {
        return all;
    }

    /** The type, or {@code MAX-MODEL-001} naming the known ones. */
    ModelType byId(String id) {
        return find(id).orElseThrow(() -> new MaxException(ModelError.UNKNOWN_TYPE, Location.NOWHERE, id,
                String.join(", ", all.stream().map(ModelType::id).toList())));
    }

    java.util.Optional<ModelType> find(String id) {
        return all.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
