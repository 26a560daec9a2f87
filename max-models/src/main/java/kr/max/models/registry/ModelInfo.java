package kr.max.models.registry;

import java.time.Instant;
import java.util.List;
import kr.max.core.Classification;

/**
 * A registered model: who owns it, how far it may travel, and its versions.
 *
 * @param classification the highest classification of its versions
 * @param versions       every version, oldest first
 * @param shown          the version asked for ({@code name@N}), else the latest
 */
public record ModelInfo(String name, String owner, String ownerOrganization, Classification classification,
                        boolean domesticOnly, String description, Instant createdAt, List<ModelVersionView> versions,
                        ModelVersionView shown) {
}
