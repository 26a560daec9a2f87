package kr.max.library.agreement;

import java.util.List;

/**
 * A usage policy in the shape ODRL gives data spaces: permissions, prohibitions and duties. An action is
 * allowed when some permission for it has all its constraints holding and no prohibition for it applies;
 * the duties bind every use.
 *
 * <p>JSON (see {@link #toJson()}):
 * <pre>{@code
 * {"permission":  [{"action": "query", "constraint": [
 *                     {"leftOperand": "purpose",  "operator": "isAnyOf", "rightOperand": ["quality-research"]},
 *                     {"leftOperand": "spatial",  "operator": "isAnyOf", "rightOperand": ["KR"]},
 *                     {"leftOperand": "dateTime", "operator": "gteq",    "rightOperand": "2026-01-01T00:00:00Z"},
 *                     {"leftOperand": "dateTime", "operator": "lt",      "rightOperand": "2027-01-01T00:00:00Z"},
 *                     {"leftOperand": "count",    "operator": "lteq",    "rightOperand": 100}]}],
 *  "prohibition": [{"action": "export"}],
 *  "obligation":  [{"action": "attribute"}]}
 * }</pre>
 * A time window is the pair {@code gteq} then {@code lt} on {@code dateTime}, in that order and adjacent.
 * Unknown members are errors, not ignored: a misspelt {@code "prohibitions"} must not silently drop a
 * prohibition. JSON-LD members ({@code @context}, {@code @type}, {@code uid}) are ignored.
 */
public record UsagePolicy(List<PolicyRule> permissions, List<PolicyRule> prohibitions, List<Duty> duties) {

    /** The actions a usage policy can govern, for messages. */
    static final String ACTIONS = "query, export, train";

    public UsagePolicy {
        permissions = List.copyOf(permissions);
        prohibitions = List.copyOf(prohibitions);
        duties = List.copyOf(duties);
    }

    /** Parses the ODRL-shaped JSON; malformed policies raise {@link AgreementError}s naming where. */
    public static UsagePolicy fromJson(String json) {
        return OdrlJson.read(json);
    }

    public String toJson() {
        return OdrlJson.write(this);
    }
}
