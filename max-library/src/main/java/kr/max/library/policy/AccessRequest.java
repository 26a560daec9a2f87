package kr.max.library.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import kr.max.core.Principal;
import kr.max.library.agreement.Agreement;

/**
 * The input of one access decision: everything the decision depends on, so that the engine stays pure.
 *
 * @param principal           who acts; organization and jurisdiction must be known
 * @param action              what they want to do
 * @param dataset             the dataset, {@code null} for library-wide actions and for depositing a new dataset
 * @param purpose             the stated purpose, may be {@code null}
 * @param agreements          the agreements of the principal's organization for this dataset, in any state
 * @param at                  when the decision is taken
 * @param libraryJurisdiction the library's jurisdiction (ISO 3166-1 alpha-2, such as {@code KR})
 * @param destination         for an export, the jurisdiction the copy goes to; {@code null} inside the library's
 */
public record AccessRequest(Principal principal, Action action, DatasetFacts dataset, String purpose,
                            List<Agreement> agreements, Instant at, String libraryJurisdiction, String destination) {

    public AccessRequest {
        Objects.requireNonNull(principal, "principal");
        // An unknown organization or jurisdiction would silently match nothing or everything: refuse to decide.
        Objects.requireNonNull(principal.organization(), "principal organization");
        Objects.requireNonNull(principal.jurisdiction(), "principal jurisdiction");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(libraryJurisdiction, "libraryJurisdiction");
        if (dataset == null && action.onDataset() && action != Action.INGEST) {
            throw new IllegalArgumentException(action.word() + " needs a dataset");
        }
        agreements = agreements == null ? List.of() : List.copyOf(agreements);
    }

    /** Whether the principal acts from outside the library's jurisdiction. */
    public boolean foreign() {
        return !principal.jurisdiction().equals(libraryJurisdiction);
    }

    /** Whether the principal belongs to the organization that owns the dataset. */
    public boolean ownerOrganization() {
        return dataset != null && dataset.ownerOrganization() != null
                && dataset.ownerOrganization().equals(principal.organization());
    }
}
