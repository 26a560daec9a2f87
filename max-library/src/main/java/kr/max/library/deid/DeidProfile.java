package kr.max.library.deid;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import kr.max.core.dictionary.Sensitivity;

/**
 * A de-identification profile: per column an action chosen from the data dictionary's roles and sensitivity (never
 * from column names), the quasi-identifiers of k-anonymity, k and the share of rows that may be suppressed to reach
 * it. Written in YAML:
 *
 * <pre>
 * profile: injection-share          # name; part of the pseudonyms' derivation and of the risk report
 * k: 5                              # needed when a rule names quasi-identifiers; 1 or more
 * suppression_limit: 0.05           # most rows removed to reach k, a share 0..1 or "5%"; default 0
 * allow_keep_sensitive: false       # default false: see below
 * rules:                            # the first rule that matches a column decides
 *   - match: { sensitivity: personal }            # role, sensitivity and unit; each one word or a list
 *     action: pseudonymize
 *   - match: { role: product, sensitivity: trade_secret }
 *     action: pseudonymize
 *   - match: { role: setpoint }
 *     action: perturb
 *     bound: 0.5                    # absolute, in the column's unit; or "2%" of each value's magnitude
 *   - match: { role: timestamp }
 *     action: generalize
 *     to: hour                      # hour | day | week | month | year
 *     quasi_identifier: true
 *   - match: { role: asset }
 *     action: generalize
 *     hierarchy: assets.csv         # see CategoryHierarchy; or inline: { M1: [line-A, ulsan], M2: [line-A, ulsan] }
 *     level: 1                      # lowest level of the hierarchy used, default 1
 *     quasi_identifier: true
 *   - match: { role: [measurement, label], unit: Cel }
 *     action: generalize
 *     width: 10                     # ranges [20,30) aligned at zero
 *     quasi_identifier: true
 *   - match: { role: free_text }
 *     action: drop
 * default: keep                     # keep | drop | suppress | pseudonymize, for columns no rule matches
 * </pre>
 *
 * Actions: {@code keep}, {@code drop}, {@code pseudonymize}, {@code generalize} (with exactly one of {@code to},
 * {@code width}, {@code hierarchy}), {@code perturb} (with {@code bound}), {@code suppress} (the column stays, its
 * values become null). {@code quasi_identifier: true} is allowed with keep, pseudonymize and generalize; the
 * generalization given is then the lowest level and k-anonymity may go higher up the same hierarchy.
 *
 * <p>Safety: a column whose sensitivity is {@code personal} or {@code trade_secret} and that no rule matches would be
 * released as it is by {@code default: keep}; {@link #plan} refuses that ({@code MAX-DEID-030}, naming the column)
 * unless the profile says {@code allow_keep_sensitive: true}. An explicit {@code action: keep} rule is a decision and
 * is allowed.
 *
 * @param name               the profile's name
 * @param k                  the k of k-anonymity, 1 or more
 * @param suppressionLimit   the largest share of rows that may be removed, 0 to 1
 * @param allowKeepSensitive whether {@code default: keep} may release personal and trade-secret columns
 * @param rules              rules in order; the first match wins
 * @param defaultAction      for columns no rule matches: keep, drop, suppress or pseudonymize
 * @param sourceName         the file the profile came from, for error locations; may be {@code null}
 */
public record DeidProfile(String name, int k, BigDecimal suppressionLimit, boolean allowKeepSensitive,
                          List<DeidRule> rules, DeidAction defaultAction, String sourceName) {

    public DeidProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(suppressionLimit, "suppressionLimit");
        Objects.requireNonNull(defaultAction, "defaultAction");
        rules = List.copyOf(rules);
        if (k < 1) throw new IllegalArgumentException("k must be 1 or more: " + k);
        if (suppressionLimit.signum() < 0 || suppressionLimit.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("suppression limit outside 0..1: " + suppressionLimit);
        }
        if (defaultAction == DeidAction.GENERALIZE || defaultAction == DeidAction.PERTURB) {
            throw new IllegalArgumentException("the default action cannot be " + defaultAction.word());
        }
    }

    /**
     * Reads a profile.
     *
     * @param yamlText    the profile
     * @param sourceName  its file name, for error locations
     * @param hierarchies where {@code hierarchy: file} references are read from
     * @throws MaxException {@code MAX-DEID-001…025} with the file, line and column of the problem
     */
    public static DeidProfile parse(String yamlText, String sourceName, HierarchySource hierarchies) {
        return ProfileYaml.read(yamlText, sourceName, hierarchies);
    }

    /** Reads a profile file; hierarchy files are read relative to its directory. */
    public static DeidProfile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MaxException(DeidError.PROFILE_UNREADABLE, Location.file(file.toString()), e, file.toString());
        }
        Path dir = file.toAbsolutePath().getParent();
        Path shown = file.getParent();
        HierarchySource files = reference -> {
            var t = HierarchySource.directory(dir).read(reference);
            return new HierarchySource.Text(t.content(), shown == null ? reference : shown.resolve(reference).toString());
        };
        return parse(text, file.toString(), files);
    }

    /**
     * The profile as YAML that {@link #parse} reads back to the same profile; hierarchies read from files are
     * written as their references, inline ones inline.
     */
    public String toYaml() {
        return ProfileYaml.write(this);
    }

    /**
     * The profile as YAML that needs no other file: category hierarchies are written inline. This is the
     * form the library stores, so a stored version means the same thing forever.
     */
    public String toSelfContainedYaml() {
        return ProfileYaml.write(this, true);
    }

    /** Whether any rule makes its columns quasi-identifiers. */
    public boolean hasQuasiIdentifiers() {
        return rules.stream().anyMatch(DeidRule::quasiIdentifier);
    }

    /**
     * Resolves the profile against a data dictionary: per column the action, the rule that chose it and whether it
     * is a quasi-identifier.
     *
     * @throws MaxException {@code MAX-DEID-030} for a personal or trade-secret column left to {@code default: keep};
     *                      {@code MAX-DEID-031} for an action the column's type cannot take (a time hierarchy on a
     *                      number, a width on text, noise on text)
     */
    public DeidPlan plan(DataDictionary dictionary) {
        var columns = new ArrayList<DeidPlan.ColumnPlan>();
        for (ColumnSpec c : dictionary.columns()) {
            int index = -1;
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).matches(c)) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                if (defaultAction == DeidAction.KEEP && c.sensitivity() != Sensitivity.NONE && !allowKeepSensitive) {
                    throw new MaxException(DeidError.SENSITIVE_KEPT_BY_DEFAULT,
                            new Location(sourceName, 0, 0, c.name(), null, null), c.name(), c.sensitivity().word());
                }
                columns.add(new DeidPlan.ColumnPlan(c, defaultAction, null, -1, false));
                continue;
            }
            DeidRule rule = rules.get(index);
            checkType(rule, c);
            columns.add(new DeidPlan.ColumnPlan(c, rule.action(), rule, index, rule.quasiIdentifier()));
        }
        return new DeidPlan(this, dictionary, columns);
    }

    private void checkType(DeidRule rule, ColumnSpec c) {
        ColumnType t = c.type();
        boolean numeric = t == ColumnType.INTEGER || t == ColumnType.DECIMAL;
        String asked;
        String needs;
        boolean ok;
        if (rule.action() == DeidAction.PERTURB) {
            asked = "perturb";
            needs = "integer | decimal";
            ok = numeric;
        } else if (rule.generalization() instanceof Generalization.Time time) {
            asked = "generalize to: " + time.to().word();
            needs = "timestamp";
            ok = t == ColumnType.TIMESTAMP;
        } else if (rule.generalization() instanceof Generalization.Width) {
            asked = "generalize width";
            needs = "integer | decimal";
            ok = numeric;
        } else if (rule.generalization() instanceof Generalization.Categories) {
            asked = "generalize hierarchy";
            needs = "string | boolean | integer";
            ok = t == ColumnType.STRING || t == ColumnType.BOOLEAN || t == ColumnType.INTEGER;
        } else {
            return;
        }
        if (!ok) {
            Location at = rule.location();
            throw new MaxException(DeidError.ACTION_NOT_FOR_TYPE,
                    new Location(at.file(), at.line(), at.column(), c.name(), null, null), asked, c.name(), t.word(), needs);
        }
    }
}
