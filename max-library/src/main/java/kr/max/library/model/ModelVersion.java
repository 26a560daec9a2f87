package kr.max.library.model;

import java.time.Instant;
import kr.max.core.Classification;

/**
 * One immutable version of a model.
 *
 * @param type           the model type that reads its bytes ({@code rul-gbm}, {@code onnx}, …)
 * @param classification what its training data demand (the highest of theirs), or what an importer declared
 * @param lineageJson    {@link ModelLineage} as JSON
 * @param metricsJson    its figures on held-out data, as JSON; may be null
 * @param cardJson       its model card, as JSON; may be null
 * @param objectHash     the encrypted bytes in the object store
 * @param wrappedKey     its data key, wrapped by the model's key-encryption key
 */
public record ModelVersion(long id, long modelId, int number, String stagingId, String type, Classification classification,
                           boolean domesticOnly, Instant createdAt, String createdBy, String lineageJson, String metricsJson,
                           String cardJson, String objectHash, long bytes, byte[] wrappedKey) {
}
