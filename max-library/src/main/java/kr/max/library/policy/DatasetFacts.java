package kr.max.library.policy;

import java.util.Objects;
import kr.max.core.Classification;

/**
 * What the policy needs to know of a dataset.
 *
 * @param name              dataset name
 * @param owner             the owner principal's name
 * @param ownerOrganization the owner's organization, or {@code null} where it is not recorded: then no
 *                          organization counts as the owner's, and every owner privilege is withheld
 * @param classification    how far the dataset may travel
 * @param domesticOnly      whether copies may be held only inside the library's jurisdiction
 */
public record DatasetFacts(String name, String owner, String ownerOrganization, Classification classification,
                           boolean domesticOnly) {

    public DatasetFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(classification, "classification");
    }
}
