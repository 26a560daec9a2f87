package kr.max.library.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kr.max.core.Messages;

/**
 * What a de-identified release risks and what it lost, made for every release (and by a dry run). Plain fields, so
 * it serializes to JSON as it is; {@link #render(Locale)} gives the Korean or English text.
 *
 * <p>Equivalence classes are the groups of rows with the same released quasi-identifier values. Shares are 0..1.
 *
 * @param profile                     the profile's name
 * @param k                           the k asked for
 * @param suppressionLimit            the largest share of rows that could be removed
 * @param rowsIn                      rows of the input
 * @param rowsOut                     rows released
 * @param rowsSuppressed              rows removed because their class was smaller than k
 * @param quasiIdentifiers            the generalization chosen per quasi-identifier, in dictionary order
 * @param kReached                    the smallest equivalence class released (0 when nothing is released); with no
 *                                    quasi-identifiers all released rows form one class
 * @param equivalenceClasses          classes released
 * @param recordsAtRiskBefore         share of input rows in classes smaller than k over the original values
 * @param recordsAtRiskAtMinimum      the same at the profile's lowest generalization, before the search and
 *                                    suppression
 * @param recordsAtRiskAfter          share of released rows in classes smaller than k (0 once k is reached)
 * @param prosecutorRiskMaxBefore     highest re-identification probability of a record, 1 / smallest class, over
 *                                    the original values
 * @param prosecutorRiskAverageBefore average over records of 1 / its class size (classes / rows), original values
 * @param prosecutorRiskMax           highest, in the release
 * @param prosecutorRiskAverage       average, in the release
 * @param generalizationHeight        sum of the quasi-identifiers' levels
 * @param maxGeneralizationHeight     the sum if every quasi-identifier were {@code *}
 * @param discernibility              discernibility metric (Bayardo and Agrawal): Σ |class|² over released classes
 *                                    plus rowsIn for every suppressed row
 * @param nonUniformEntropy           non-uniform entropy in bits (Gionis and Tassa) against the original values,
 *                                    suppressed rows counted as {@code *}: the measure the generalization was chosen by
 * @param nonUniformEntropyShare      the same as a share of its maximum (everything {@code *})
 * @param lossMeasure                 the measure that chose the generalization: {@code non_uniform_entropy}
 * @param latticeNodes                nodes of the generalization lattice
 * @param nodesEvaluated              nodes whose equivalence classes were computed
 */
public record RiskReport(String profile, int k, double suppressionLimit, long rowsIn, long rowsOut, long rowsSuppressed,
                         List<QuasiIdentifier> quasiIdentifiers, int kReached, long equivalenceClasses,
                         double recordsAtRiskBefore, double recordsAtRiskAtMinimum, double recordsAtRiskAfter,
                         double prosecutorRiskMaxBefore, double prosecutorRiskAverageBefore, double prosecutorRiskMax,
                         double prosecutorRiskAverage, int generalizationHeight, int maxGeneralizationHeight,
                         long discernibility, double nonUniformEntropy, double nonUniformEntropyShare,
                         String lossMeasure, long latticeNodes, long nodesEvaluated) {

    /** The measure that decides between acceptable generalizations. */
    public static final String NON_UNIFORM_ENTROPY = "non_uniform_entropy";

    public RiskReport {
        quasiIdentifiers = List.copyOf(quasiIdentifiers);
    }

    /**
     * The generalization of one quasi-identifier.
     *
     * @param column    the column
     * @param level     the level in words: {@code exact}, {@code pseudonym}, {@code hour}, {@code day}, {@code week},
     *                  {@code month}, {@code year}, {@code width 20}, {@code hierarchy 2}, {@code *}
     * @param height    its level in the column's hierarchy, 0 for the original values
     * @param minHeight the lowest level the profile allows
     * @param maxHeight the level of {@code *}
     */
    public record QuasiIdentifier(String column, String level, int height, int minHeight, int maxHeight) {
    }

    /** The report as lines of text in Korean or English. */
    public String render(Locale locale) {
        var lines = new ArrayList<String>();
        lines.add(t(locale, "report.title", profile));
        lines.add(t(locale, "report.rows", rowsIn, rowsOut, rowsSuppressed, percent(share(rowsSuppressed, rowsIn)),
                percent(suppressionLimit)));
        if (quasiIdentifiers.isEmpty()) {
            lines.add(t(locale, "report.noQuasiIdentifiers"));
        } else {
            lines.add(t(locale, "report.k", k, kReached, equivalenceClasses));
            lines.add(t(locale, "report.atRisk", percent(recordsAtRiskBefore), percent(recordsAtRiskAtMinimum),
                    percent(recordsAtRiskAfter)));
            lines.add(t(locale, "report.prosecutor", percent(prosecutorRiskMax), percent(prosecutorRiskAverage),
                    percent(prosecutorRiskMaxBefore), percent(prosecutorRiskAverageBefore)));
            lines.add(t(locale, "report.generalization", generalizationHeight, maxGeneralizationHeight));
            for (QuasiIdentifier qi : quasiIdentifiers) {
                lines.add(t(locale, "report.quasiIdentifier", qi.column(), levelText(locale, qi.level()), qi.height(),
                        qi.maxHeight(), qi.minHeight()));
            }
            lines.add(t(locale, "report.discernibility", discernibility));
            lines.add(t(locale, "report.entropy", String.format(Locale.ROOT, "%.1f", nonUniformEntropy),
                    percent(nonUniformEntropyShare)));
            lines.add(t(locale, "report.search", nodesEvaluated, latticeNodes));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String levelText(Locale locale, String level) {
        if (level.equals("*")) return t(locale, "level.top");
        int space = level.indexOf(' ');
        if (space > 0) return t(locale, "level." + level.substring(0, space), level.substring(space + 1));
        return t(locale, "level." + level);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    private static String t(Locale locale, String key, Object... args) {
        return Messages.text("kr.max.library.deid.messages", key, locale, args);
    }
}
