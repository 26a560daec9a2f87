package kr.max.library.policy;

import kr.max.core.Classification;
import kr.max.core.Principal;

/**
 * The input of one access decision.
 *
 * @param dataset        dataset name, or {@code null} for library-wide actions (audit)
 * @param owner          the dataset's owner principal, or {@code null} for a new dataset
 * @param classification the dataset's classification, or {@code null} for a new dataset
 * @param purpose        the stated purpose, may be {@code null}
 */
public record AccessRequest(Principal principal, Action action, String dataset, String owner,
                            Classification classification, String purpose) {
}
