package kr.max.library.policy;

import java.util.Objects;
import java.util.Set;
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
 * @param releaseOf         for a de-identified release, the dataset it was made from (whose agreements reach it);
 *                          {@code null} for a dataset deposited as it is
 * @param deidRequiredFor   the provider's control: uses that consumers of other organizations may make only of a
 *                          de-identified release, never of this dataset itself
 * @param model             whether the asset is a model trained on data (decision 0012) rather than the data's rows:
 *                          exporting it takes out a result of analysis, not raw data
 */
public record DatasetFacts(String name, String owner, String ownerOrganization, Classification classification,
                           boolean domesticOnly, String releaseOf, Set<Action> deidRequiredFor, boolean model) {

    public DatasetFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(classification, "classification");
        deidRequiredFor = deidRequiredFor == null || deidRequiredFor.isEmpty() ? Set.of() : Set.copyOf(deidRequiredFor);
    }

    /** A dataset's rows, deposited or released. */
    public DatasetFacts(String name, String owner, String ownerOrganization, Classification classification,
                        boolean domesticOnly, String releaseOf, Set<Action> deidRequiredFor) {
        this(name, owner, ownerOrganization, classification, domesticOnly, releaseOf, deidRequiredFor, false);
    }

    /** A dataset deposited as it is, with no de-identification required of its consumers. */
    public DatasetFacts(String name, String owner, String ownerOrganization, Classification classification,
                        boolean domesticOnly) {
        this(name, owner, ownerOrganization, classification, domesticOnly, null, Set.of());
    }

    /** A model (its classification and domestic-only mark inherited from its training data). */
    public static DatasetFacts model(String name, String owner, String ownerOrganization, Classification classification,
                                     boolean domesticOnly) {
        return new DatasetFacts(name, owner, ownerOrganization, classification, domesticOnly, null, Set.of(), true);
    }

    public boolean isRelease() {
        return releaseOf != null;
    }
}
