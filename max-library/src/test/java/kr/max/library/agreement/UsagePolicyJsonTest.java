package kr.max.library.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.library.policy.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UsagePolicyJsonTest {

    private static final Constraint.TimeWindow H1 = new Constraint.TimeWindow(Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-07-01T00:00:00Z"));
    private static final Constraint.TimeWindow H2 = new Constraint.TimeWindow(Instant.parse("2026-07-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"));

    private static final UsagePolicy FULL = new UsagePolicy(
            List.of(new PolicyRule(Action.QUERY, new Constraint.PurposeIn(Set.of("quality-research", "energy-saving")),
                            new Constraint.JurisdictionIn(Set.of("KR")), H1, new Constraint.CountAtMost(100)),
                    new PolicyRule(Action.TRAIN, new Constraint.CountAtMost(0), H2, H1),
                    new PolicyRule(Action.EXPORT, new Constraint.DeidentifiedRelease())),
            List.of(new PolicyRule(Action.EXPORT, new Constraint.JurisdictionIn(Set.of("US", "JP")))),
            List.of(Duty.ATTRIBUTE, Duty.REVIEW_OUTPUT, Duty.DELETE_AT_END));

    private static MaxException error(String json) {
        try {
            UsagePolicy.fromJson(json);
        } catch (MaxException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void everyConstraintKindDutyAndRuleKindRoundTrips() {
        assertThat(UsagePolicy.fromJson(FULL.toJson())).isEqualTo(FULL);
        assertThat(UsagePolicy.fromJson(FULL.toJson()).toJson()).isEqualTo(FULL.toJson());
    }

    @Test
    void aDeidentifiedReleaseConstraintIsTheLibrarysOwnLeftOperand() {
        var p = new UsagePolicy(List.of(new PolicyRule(Action.EXPORT, new Constraint.DeidentifiedRelease())), List.of(), List.of());
        assertThat(p.toJson()).contains("{\"leftOperand\":\"max:release\",\"operator\":\"eq\",\"rightOperand\":\"deidentified\"}");
        assertThat(error("{\"permission\":[{\"action\":\"export\",\"constraint\":[{\"leftOperand\":\"max:release\","
                + "\"operator\":\"eq\",\"rightOperand\":\"raw\"}]}]}").code()).isEqualTo(AgreementError.UNKNOWN_OPERATOR);
    }

    @Test
    void anEmptyPolicyRoundTrips() {
        var empty = new UsagePolicy(List.of(), List.of(), List.of());
        assertThat(UsagePolicy.fromJson(empty.toJson())).isEqualTo(empty);
        assertThat(UsagePolicy.fromJson("{}")).isEqualTo(empty);
    }

    @Test
    void writesTheOdrlShape() {
        var p = new UsagePolicy(List.of(new PolicyRule(Action.QUERY, new Constraint.PurposeIn(Set.of("quality-research")))),
                List.of(), List.of(Duty.ATTRIBUTE));
        assertThat(p.toJson()).isEqualTo("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"purpose\","
                + "\"operator\":\"isAnyOf\",\"rightOperand\":[\"quality-research\"]}]}],\"prohibition\":[],"
                + "\"obligation\":[{\"action\":\"attribute\"}]}");
    }

    @Test
    void readsAHandWrittenOdrlPolicyWithJsonLdMembers() {
        String json = """
                {"@context": "http://www.w3.org/ns/odrl.jsonld", "@type": "Agreement", "uid": "urn:max:agr-1",
                 "permission": [{"action": "train", "constraint": [
                     {"leftOperand": "purpose", "operator": "isAnyOf", "rightOperand": "predictive-maintenance"},
                     {"leftOperand": "dateTime", "operator": "gteq", "rightOperand": "2026-01-01T00:00:00Z"},
                     {"leftOperand": "dateTime", "operator": "lt", "rightOperand": "2026-07-01T00:00:00Z"}]}],
                 "obligation": [{"action": "review-output"}]}""";
        assertThat(UsagePolicy.fromJson(json)).isEqualTo(new UsagePolicy(
                List.of(new PolicyRule(Action.TRAIN, new Constraint.PurposeIn(Set.of("predictive-maintenance")), H1)),
                List.of(), List.of(Duty.REVIEW_OUTPUT)));
    }

    @Test
    void refusesAnUnknownAction() {
        var e = error("{\"permission\":[{\"action\":\"sell\"}]}");
        assertThat(e.code()).isEqualTo(AgreementError.UNKNOWN_ACTION);
        assertThat(e.getMessage()).contains("sell", "permission[0].action", "query, export, train");
        // an action the library knows but no policy may grant
        assertThat(error("{\"permission\":[{\"action\":\"delete\"}]}").code()).isEqualTo(AgreementError.UNKNOWN_ACTION);
    }

    @Test
    void refusesAnUnknownLeftOperand() {
        var e = error("{\"prohibition\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"industry\","
                + "\"operator\":\"isAnyOf\",\"rightOperand\":[\"x\"]}]}]}");
        assertThat(e.code()).isEqualTo(AgreementError.UNKNOWN_LEFT_OPERAND);
        assertThat(e.getMessage()).contains("industry", "prohibition[0].constraint[0]");
    }

    @Test
    void refusesAnOperatorThatDoesNotFitTheOperand() {
        var e = error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"count\","
                + "\"operator\":\"gt\",\"rightOperand\":3}]}]}");
        assertThat(e.code()).isEqualTo(AgreementError.UNKNOWN_OPERATOR);
        assertThat(e.getMessage()).contains("gt", "count", "lteq");
    }

    @Test
    void refusesAWindowEndingBeforeItStarts() {
        var e = error(window("2026-07-01T00:00:00Z", "2026-01-01T00:00:00Z"));
        assertThat(e.code()).isEqualTo(AgreementError.WINDOW_END_BEFORE_START);
        assertThat(e.getMessage()).contains("2026-07-01T00:00:00Z", "2026-01-01T00:00:00Z");
        assertThat(error(window("2026-07-01T00:00:00Z", "2026-07-01T00:00:00Z")).code())
                .isEqualTo(AgreementError.WINDOW_END_BEFORE_START);
    }

    @Test
    void refusesAWindowWithOneEnd() {
        var e = error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"dateTime\","
                + "\"operator\":\"gteq\",\"rightOperand\":\"2026-01-01T00:00:00Z\"}]}]}");
        assertThat(e.code()).isEqualTo(AgreementError.INCOMPLETE_WINDOW);
        // the end first reads as a start written with the wrong operator
        assertThat(error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"dateTime\","
                + "\"operator\":\"lt\",\"rightOperand\":\"2026-01-01T00:00:00Z\"}]}]}").code()).isEqualTo(AgreementError.UNKNOWN_OPERATOR);
    }

    @Test
    void refusesANegativeCount() {
        var e = error("{\"permission\":[{\"action\":\"export\",\"constraint\":[{\"leftOperand\":\"count\","
                + "\"operator\":\"lteq\",\"rightOperand\":-1}]}]}");
        assertThat(e.code()).isEqualTo(AgreementError.NEGATIVE_COUNT);
        assertThat(e.getMessage()).contains("-1");
    }

    @Test
    void refusesAMisspeltMemberInsteadOfDroppingIt() {
        var e = error("{\"permission\":[],\"prohibitions\":[{\"action\":\"export\"}]}");
        assertThat(e.code()).isEqualTo(AgreementError.UNKNOWN_MEMBER);
        assertThat(e.getMessage()).contains("prohibitions", "obligation, permission, prohibition");
    }

    @Test
    void refusesAnUnknownDutyAndABadJurisdiction() {
        assertThat(error("{\"obligation\":[{\"action\":\"compensate\"}]}").code()).isEqualTo(AgreementError.UNKNOWN_DUTY);
        assertThat(error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"spatial\","
                + "\"operator\":\"isAnyOf\",\"rightOperand\":[\"Korea\"]}]}]}").code()).isEqualTo(AgreementError.INVALID_JURISDICTION);
        assertThat(error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"purpose\","
                + "\"operator\":\"isAnyOf\",\"rightOperand\":[]}]}]}").code()).isEqualTo(AgreementError.EMPTY_VALUES);
    }

    @Test
    void refusesMalformedJsonAndWrongTypesNamingWhere() {
        assertThat(error("{\"permission\": [").code()).isEqualTo(AgreementError.MALFORMED_POLICY);
        assertThat(error("[]").getMessage()).contains("JSON object");
        var e = error("{\"permission\":{\"action\":\"query\"}}");
        assertThat(e.getMessage()).contains("permission", "array");
        assertThat(e.message(Locale.KOREAN)).contains("permission", "배열");
        assertThat(error(window("yesterday", "2026-01-01T00:00:00Z")).getMessage())
                .contains("permission[0].constraint[0].rightOperand", "ISO-8601");
        assertThat(error("{\"permission\":[{\"action\":\"query\",\"constraint\":[{\"leftOperand\":\"count\","
                + "\"operator\":\"lteq\",\"rightOperand\":\"3\"}]}]}").getMessage()).contains("an integer");
    }

    private static String window(String from, String until) {
        return "{\"permission\":[{\"action\":\"query\",\"constraint\":["
                + "{\"leftOperand\":\"dateTime\",\"operator\":\"gteq\",\"rightOperand\":\"" + from + "\"},"
                + "{\"leftOperand\":\"dateTime\",\"operator\":\"lt\",\"rightOperand\":\"" + until + "\"}]}]}";
    }

    @ParameterizedTest
    @EnumSource(AgreementError.class)
    void everyErrorHasAnEnglishAndAKoreanMessage(AgreementError error) {
        Object[] args = error == AgreementError.MALFORMED_POLICY ? new Object[] {"permission[0]", 2}
                : error == AgreementError.REASON_TOO_LONG ? new Object[] {1001, 1000}
                : new Object[] {"v", "permission[0]", "w", "x"};
        var e = new MaxException(error, Location.NOWHERE, args);
        String en = e.message(Locale.ENGLISH);
        String ko = e.message(Locale.KOREAN);
        assertThat(en).startsWith(error.code() + ": ").doesNotContain("{").isNotEqualTo(ko);
        assertThat(ko).startsWith(error.code() + ": ").doesNotContain("{");
        assertThat(ko.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3)).as("Korean text").isTrue();
        assertThat(en.length()).isGreaterThan(error.code().length() + 25);
    }
}
