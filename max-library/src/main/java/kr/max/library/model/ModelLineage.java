package kr.max.library.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a model version came from: the dataset versions it learned from (written by the library from its own
 * decided reads, never taken from the caller), the parameters and random seed of its training, the version of the
 * code that trained it, and for an imported model the file it came from.
 *
 * @param data         training dataset versions, in the order they were read; empty for an imported model
 * @param parameters   the parameters actually used, defaults included
 * @param seed         the random seed, or null for an imported model
 * @param codeVersion  what trained it ({@code max-models 0.1.0 rul-gbm}), or what imported it
 * @param importedFrom for an imported model, the file name and SHA-256 of what was imported; else null
 */
public record ModelLineage(List<TrainingData> data, Map<String, Object> parameters, Long seed, String codeVersion,
                           String importedFrom) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ModelLineage {
        data = List.copyOf(data);
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    public static ModelLineage fromJson(String json) {
        return JSON.readValue(json, ModelLineage.class);
    }
}
