package kr.max.library.deid;

import kr.max.core.dictionary.DataDictionary;

/**
 * A de-identified release.
 *
 * @param table      the released rows: dropped columns left out, suppressed rows removed
 * @param dictionary the release's data dictionary: pseudonymized and generalized columns become {@code string}
 *                   (without a timestamp format); roles, units, sensitivity and descriptions stay
 * @param report     risks and information loss
 */
public record DeidResult(DeidTable table, DataDictionary dictionary, RiskReport report) {
}
