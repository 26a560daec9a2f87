package kr.max.library.deid;

import java.util.EnumSet;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.Sensitivity;

/**
 * One rule of a {@link DeidProfile}: which columns it matches, by role, sensitivity and unit from the data
 * dictionary (never by name), and what it does with them.
 *
 * @param roles           roles matched, empty for any role
 * @param sensitivities   sensitivities matched, empty for any
 * @param unit            UCUM unit matched exactly, {@code null} for any
 * @param action          what happens to a matched column
 * @param generalization  the hierarchy and lowest level, for {@link DeidAction#GENERALIZE} only
 * @param bound           the noise bound, for {@link DeidAction#PERTURB} only
 * @param quasiIdentifier whether matched columns are quasi-identifiers of k-anonymity (keep, pseudonymize and
 *                        generalize only)
 * @param location        where the rule is written, for error messages; not part of the rule's meaning
 */
public record DeidRule(Set<ColumnRole> roles, Set<Sensitivity> sensitivities, String unit, DeidAction action,
                       Generalization generalization, NoiseBound bound, boolean quasiIdentifier, Location location) {

    public DeidRule {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        sensitivities = sensitivities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sensitivities));
        location = location == null ? Location.NOWHERE : location;
        if (roles.isEmpty() && sensitivities.isEmpty() && unit == null) {
            throw new IllegalArgumentException("a rule must match by role, sensitivity or unit");
        }
        if ((action == DeidAction.GENERALIZE) != (generalization != null)) {
            throw new IllegalArgumentException("generalize needs a generalization, and only generalize has one");
        }
        if ((action == DeidAction.PERTURB) != (bound != null)) {
            throw new IllegalArgumentException("perturb needs a bound, and only perturb has one");
        }
        if (quasiIdentifier && !action.mayBeQuasiIdentifier()) {
            throw new IllegalArgumentException(action.word() + " cannot be a quasi-identifier");
        }
    }

    /** Whether this rule applies to {@code column}. */
    public boolean matches(ColumnSpec column) {
        return (roles.isEmpty() || roles.contains(column.role()))
                && (sensitivities.isEmpty() || sensitivities.contains(column.sensitivity()))
                && (unit == null || unit.equals(column.unit()));
    }
}
