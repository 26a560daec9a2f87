package kr.max.models.registry;

import java.time.Instant;
import kr.max.core.Classification;
import kr.max.library.model.ModelLineage;
import kr.max.models.Metrics;
import kr.max.models.ModelCard;

/**
 * One version of a registered model as {@code max model show} prints it.
 *
 * @param classification what its training data demand (the highest of theirs), or what its importer declared
 * @param metrics        its figures on held-out data; null for an imported model
 * @param card           its model card; null when none was stored
 * @param lineage        the dataset versions it learned from, its parameters, seed and code version
 */
public record ModelVersionView(String model, int version, String type, Classification classification, boolean domesticOnly,
                               Instant createdAt, String createdBy, long bytes, Metrics metrics, ModelCard card,
                               ModelLineage lineage) {

    /** {@code press-rul@2}. */
    public String ref() {
        return model + "@" + version;
    }
}
