package kr.max.library;

import java.util.HashMap;
import java.util.Map;
import kr.max.core.Principal;
import kr.max.library.policy.Decision;
import kr.max.library.policy.Obligation;

/**
 * The detail of an audit record of a use of rows ({@code query}, {@code export}, {@code train}), permitted or
 * denied: the deciding rule, then {@code key=value} words for the provider's usage view. Every value is one
 * word (organization and principal names, checked purposes, agreement ids, country codes), so the detail
 * reads back without quoting.
 *
 * <pre>restricted-agreement organization=bavaria-ai purpose=quality-research agreement=agr-… destination=KR</pre>
 */
record UseDetail(String rule, String organization, String purpose, String agreement, String destination) {

    static UseDetail of(Decision d, Principal who, String purpose, String destination) {
        String agreement = null;
        if (d instanceof Decision.Permit p) {
            for (Obligation o : p.obligations()) {
                if (o instanceof Obligation.CountUse c) agreement = c.agreementId();
            }
        }
        return new UseDetail(d.rule(), who.organization(), purpose, agreement, destination);
    }

    String text() {
        var sb = new StringBuilder(rule);
        word(sb, "organization", organization);
        word(sb, "purpose", purpose);
        word(sb, "agreement", agreement);
        word(sb, "destination", destination);
        return sb.toString();
    }

    private static void word(StringBuilder sb, String key, String value) {
        if (value != null) sb.append(' ').append(key).append('=').append(value);
    }

    /** Reads a detail back; a record written before uses carried these words gives only its rule. */
    static UseDetail parse(String detail) {
        if (detail == null || detail.isBlank()) return new UseDetail(null, null, null, null, null);
        String[] words = detail.strip().split(" ");
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq > 0) values.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        return new UseDetail(words[0], values.get("organization"), values.get("purpose"), values.get("agreement"),
                values.get("destination"));
    }
}
