package kr.max.library.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import kr.max.core.Classification;
import kr.max.core.MaxException;
import kr.max.library.stream.EdgeRules.TagRule;
import org.junit.jupiter.api.Test;

/** The edge rules as a value: what they keep in the plant, how they round, their JSON and what they refuse. */
class EdgeRulesTest {

    static final EdgeRules RULES = EdgeRules.of(Map.of(
            "operator-id", TagRule.dropped(),
            "spindle-speed", TagRule.rounded(10),
            "melt-temperature", TagRule.rounded(0.1),
            "mold-recipe", TagRule.classified(Classification.DESIGNATED),
            "cycle-time", new TagRule(false, 0.5, Classification.RESTRICTED)), null);

    static String field(Throwable t) {
        var e = (MaxException) t;
        assertThat(e.code()).isEqualTo(StreamError.BAD_EDGE_RULES);
        return e.message(Locale.ENGLISH);
    }

    @Test
    void droppedAndDesignatedTagsStayInThePlantByDefaultAndOthersLeave() {
        assertThat(RULES.maxClass()).isEqualTo(Classification.RESTRICTED);
        assertThat(RULES.keepsInPlant("operator-id")).isTrue();
        assertThat(RULES.keepsInPlant("mold-recipe")).isTrue();
        assertThat(RULES.keepsInPlant("cycle-time")).isFalse();
        assertThat(RULES.keepsInPlant("spindle-speed")).isFalse();
        assertThat(RULES.keepsInPlant("an-unnamed-tag")).isFalse();
        assertThat(RULES.keptInPlant()).containsExactly("mold-recipe", "operator-id");
    }

    @Test
    void aLowerClassLimitHoldsBackTagsAboveItAndDesignatedLetsEverythingClassifiedOut() {
        var internal = EdgeRules.of(RULES.tags(), Classification.INTERNAL);
        assertThat(internal.keptInPlant()).containsExactly("cycle-time", "mold-recipe", "operator-id");
        var designated = EdgeRules.of(RULES.tags(), Classification.DESIGNATED);
        assertThat(designated.keptInPlant()).containsExactly("operator-id");
    }

    @Test
    void roundingGivesTheDecimalMultipleOfTheStepAndLeavesOtherTagsAndNonNumbersAlone() {
        assertThat(RULES.generalize("spindle-speed", 1234.0)).isEqualTo(1230.0);
        assertThat(RULES.generalize("spindle-speed", 1235.0)).isEqualTo(1240.0);
        assertThat(RULES.generalize("spindle-speed", -14.0)).isEqualTo(-10.0);
        assertThat(RULES.generalize("melt-temperature", 231.26)).isEqualTo(231.3);
        assertThat(RULES.generalize("melt-temperature", 0.29)).isEqualTo(0.3);
        assertThat(RULES.generalize("cycle-time", 12.74)).isEqualTo(12.5);
        assertThat(RULES.generalize("operator-id", 7.3)).isEqualTo(7.3);
        assertThat(RULES.generalize("other", 7.3)).isEqualTo(7.3);
        assertThat(RULES.generalize("spindle-speed", Double.NaN)).isNaN();
    }

    @Test
    void theHubNamesWhyASampleMustNotArriveAndTakesWhatTheEdgeMade() {
        assertThat(RULES.violation("operator-id", 1)).contains("kept in the plant");
        assertThat(RULES.violation("mold-recipe", 1)).contains("designated").contains("restricted");
        assertThat(RULES.violation("spindle-speed", 1234)).contains("multiple of 10");
        assertThat(RULES.violation("melt-temperature", 231.26)).contains("multiple of 0.1");
        for (double v : new double[] {1234.0, 0.29, 231.26, -3.3, 1e9 + 0.07}) {
            assertThat(RULES.violation("spindle-speed", RULES.generalize("spindle-speed", v))).isNull();
            assertThat(RULES.violation("melt-temperature", RULES.generalize("melt-temperature", v))).isNull();
        }
        assertThat(RULES.violation("spindle-speed", Double.NaN)).isNull();
        assertThat(RULES.violation("other", 1.234)).isNull();
    }

    @Test
    void theJsonRoundTripsAndTheCanonicalFormHoldsOnlyTheRules() {
        var stored = RULES.asVersion(3, Instant.parse("2026-12-01T00:00:00Z"), "jihoon");
        String json = stored.toJson("hanbit/line-1");
        assertThat(json).startsWith("{\"dataset\":\"hanbit/line-1\",\"version\":3,\"changed_at\":\"2026-12-01T00:00:00Z\","
                + "\"changed_by\":\"jihoon\",\"max_class\":\"restricted\",\"tags\":{\"cycle-time\":{\"round\":0.5,\"class\":\"restricted\"}");
        assertThat(EdgeRules.fromJson(json)).isEqualTo(stored);
        assertThat(stored.canonicalJson()).doesNotContain("version").doesNotContain("jihoon");
        assertThat(EdgeRules.fromJson(stored.canonicalJson())).isEqualTo(RULES);
        assertThat(EdgeRules.fromJson("{}")).isEqualTo(EdgeRules.defaults());
        assertThat(EdgeRules.fromJson("{\"max_class\":\"Designated\",\"tags\":{\"a\":{\"round\":5}}}").tags().get("a").round()).isEqualTo(5.0);
    }

    @Test
    void unusableRulesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{\"round\":0}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a.round").contains("above 0"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{\"round\":\"ten\"}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a.round"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{\"drop\":true,\"round\":2}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a").contains("not also rounded"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a").contains("drop, round or class"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{\"class\":\"secret\"}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a.class").contains("designated"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\"a\":{\"hash\":true}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tags.a.hash").contains("unknown field"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"max_class\":\"top\"}"))
                .satisfies(e -> assertThat(field(e)).contains("max_class"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"pseudonymize\":[\"operator-id\"]}"))
                .satisfies(e -> assertThat(field(e)).contains("pseudonymize").contains("unknown field"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"tags\":{\" a\":{\"drop\":true}}}"))
                .satisfies(e -> assertThat(field(e)).contains("tag id"));
        assertThatThrownBy(() -> EdgeRules.fromJson("[1]")).satisfies(e -> assertThat(field(e)).contains("body"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{tags")).satisfies(e -> assertThat(field(e)).contains("not JSON"));
        assertThatThrownBy(() -> EdgeRules.fromJson("{\"version\":-1}")).satisfies(e -> assertThat(field(e)).contains("version"));
    }

    @Test
    void theAuditSummaryNamesEveryRule() {
        assertThat(RULES.summary()).isEqualTo("version=0 max-class=restricted drop=operator-id round=cycle-time=0.5,"
                + "melt-temperature=0.1,spindle-speed=10 class=cycle-time=restricted,mold-recipe=designated");
    }
}
