package kr.max.library.agreement;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * A condition of a permission or prohibition, as ODRL constraints have it: a left operand, an operator
 * and a right operand. A rule applies only when all its constraints hold.
 */
public sealed interface Constraint permits Constraint.PurposeIn, Constraint.JurisdictionIn, Constraint.TimeWindow,
        Constraint.CountAtMost, Constraint.DeidentifiedRelease {

    /** The stated purpose is one of {@code purposes}; no stated purpose satisfies nothing. */
    record PurposeIn(Set<String> purposes) implements Constraint {

        public PurposeIn {
            purposes = Set.copyOf(purposes);
            if (purposes.isEmpty()) throw new MaxException(AgreementError.EMPTY_VALUES, Location.NOWHERE, "purpose");
        }

        public boolean holds(String purpose) {
            return purpose != null && purposes.contains(purpose);
        }
    }

    /** The principal's jurisdiction (ISO 3166-1 alpha-2) is one of {@code jurisdictions}. */
    record JurisdictionIn(Set<String> jurisdictions) implements Constraint {

        private static final Pattern ALPHA_2 = Pattern.compile("[A-Z]{2}");

        public JurisdictionIn {
            jurisdictions = Set.copyOf(jurisdictions);
            if (jurisdictions.isEmpty()) {
                throw new MaxException(AgreementError.EMPTY_VALUES, Location.NOWHERE, "spatial");
            }
            for (String j : jurisdictions) {
                if (!ALPHA_2.matcher(j).matches()) {
                    throw new MaxException(AgreementError.INVALID_JURISDICTION, Location.NOWHERE, j);
                }
            }
        }

        public boolean holds(String jurisdiction) {
            return jurisdictions.contains(jurisdiction);
        }
    }

    /** The decision time lies in {@code [notBefore, notAfter)}. */
    record TimeWindow(Instant notBefore, Instant notAfter) implements Constraint {

        public TimeWindow {
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
            if (!notAfter.isAfter(notBefore)) {
                throw new MaxException(AgreementError.WINDOW_END_BEFORE_START, Location.NOWHERE, notBefore, notAfter);
            }
        }

        public boolean holds(Instant at) {
            return !at.isBefore(notBefore) && at.isBefore(notAfter);
        }

        /** Whether this window lies inside {@code outer}. */
        public boolean inside(TimeWindow outer) {
            return !notBefore.isBefore(outer.notBefore) && !notAfter.isAfter(outer.notAfter);
        }
    }

    /** The action has been used fewer than {@code max} times under the agreement, so this use is at most the max-th. */
    record CountAtMost(long max) implements Constraint {

        public CountAtMost {
            if (max < 0) throw new MaxException(AgreementError.NEGATIVE_COUNT, Location.NOWHERE, max);
        }

        public boolean holds(long usesSoFar) {
            return usesSoFar < max;
        }
    }

    /**
     * The data used is a de-identified release (비식별 공개본) of the agreed dataset, never the dataset itself:
     * the provider shares only what a de-identification profile left of it. ODRL: left operand
     * {@code max:release}, operator {@code eq}, right operand {@code deidentified}.
     */
    record DeidentifiedRelease() implements Constraint {

        public boolean holds(boolean dataIsARelease) {
            return dataIsARelease;
        }
    }
}
