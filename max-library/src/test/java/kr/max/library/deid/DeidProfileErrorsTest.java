package kr.max.library.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

/** Every bad profile gives its code and where: file, line and column. */
class DeidProfileErrorsTest {

    private static final String HEAD = "profile: p\nk: 3\nrules:\n";

    /** A profile, the error it must give, and where (the file name tells which file: profile or hierarchy). */
    record Case(String name, String yaml, DeidError code, String file, long line, int column) {
    }

    private static final HierarchySource FILES = HierarchySource.of(Map.of(
            "ragged.csv", "a,x,top\nb,y\n",
            "cycle.csv", "a,x,top1\nb,x,top2\n",
            "twice.csv", "# comment\na,x\n\nb,y\na,z\n",
            "empty.csv", "# nothing here\n\n",
            "hole.csv", "a,x\nb,\n",
            "ok.csv", "a,x,top\nb,y,top\n"));

    static List<Case> cases() {
        return List.of(
                new Case("malformed", "profile: p\nk: 3\n- bad\n", DeidError.MALFORMED_YAML, "p.yaml", 3, 1),
                new Case("unknown top key", "profile: p\nkk: 5\n", DeidError.UNKNOWN_KEY, "p.yaml", 2, 1),
                new Case("duplicate key", "profile: p\nk: 5\nk: 6\n", DeidError.DUPLICATE_KEY, "p.yaml", 3, 1),
                new Case("k not a number", "profile: p\nk: five\n", DeidError.WRONG_TYPE, "p.yaml", 2, 4),
                new Case("k zero", "profile: p\nk: 0\n", DeidError.OUT_OF_RANGE, "p.yaml", 2, 4),
                new Case("limit above one", "profile: p\nsuppression_limit: 1.5\n", DeidError.OUT_OF_RANGE, "p.yaml", 2, 20),
                new Case("limit as bad text", "profile: p\nsuppression_limit: lots\n", DeidError.WRONG_TYPE, "p.yaml", 2, 20),
                new Case("allow not boolean", "profile: p\nallow_keep_sensitive: \"yes\"\n", DeidError.WRONG_TYPE, "p.yaml", 2, 23),
                new Case("no name", "k: 3\nrules: []\n", DeidError.MISSING_KEY, "p.yaml", 1, 1),
                new Case("rules not a list", "profile: p\nrules: { match: x }\n", DeidError.WRONG_TYPE, "p.yaml", 2, 8),
                new Case("unknown action", HEAD + "  - match: { role: asset }\n    action: blur\n",
                        DeidError.UNKNOWN_WORD, "p.yaml", 5, 13),
                new Case("unknown role", HEAD + "  - match: { role: machine }\n    action: drop\n",
                        DeidError.UNKNOWN_WORD, "p.yaml", 4, 20),
                new Case("match by name", HEAD + "  - match: { name: operator }\n    action: drop\n",
                        DeidError.UNKNOWN_KEY, "p.yaml", 4, 14),
                new Case("unknown rule key", HEAD + "  - match: { role: asset }\n    action: drop\n    reason: x\n",
                        DeidError.UNKNOWN_KEY, "p.yaml", 6, 5),
                new Case("empty match", HEAD + "  - match: {}\n    action: drop\n", DeidError.EMPTY_MATCH, "p.yaml", 4, 12),
                new Case("no action", HEAD + "  - match: { role: asset }\n", DeidError.MISSING_KEY, "p.yaml", 4, 5),
                new Case("no match", HEAD + "  - action: drop\n", DeidError.MISSING_KEY, "p.yaml", 4, 5),
                new Case("generalize without parameter", HEAD + "  - match: { role: asset }\n    action: generalize\n",
                        DeidError.MISSING_PARAMETER, "p.yaml", 4, 5),
                new Case("generalize with two parameters",
                        HEAD + "  - match: { role: measurement }\n    action: generalize\n    to: hour\n    width: 5\n",
                        DeidError.CONFLICTING_PARAMETERS, "p.yaml", 7, 5),
                new Case("level without hierarchy",
                        HEAD + "  - match: { role: measurement }\n    action: generalize\n    width: 5\n    level: 2\n",
                        DeidError.CONFLICTING_PARAMETERS, "p.yaml", 7, 5),
                new Case("unknown time level", HEAD + "  - match: { role: timestamp }\n    action: generalize\n    to: minute\n",
                        DeidError.UNKNOWN_WORD, "p.yaml", 6, 9),
                new Case("negative width", HEAD + "  - match: { role: measurement }\n    action: generalize\n    width: -3\n",
                        DeidError.OUT_OF_RANGE, "p.yaml", 6, 12),
                new Case("width as text", HEAD + "  - match: { role: measurement }\n    action: generalize\n    width: ten\n",
                        DeidError.WRONG_TYPE, "p.yaml", 6, 12),
                new Case("perturb without bound", HEAD + "  - match: { role: setpoint }\n    action: perturb\n",
                        DeidError.MISSING_PARAMETER, "p.yaml", 4, 5),
                new Case("bad bound", HEAD + "  - match: { role: setpoint }\n    action: perturb\n    bound: \"a lot\"\n",
                        DeidError.WRONG_TYPE, "p.yaml", 6, 12),
                new Case("negative bound", HEAD + "  - match: { role: setpoint }\n    action: perturb\n    bound: -1\n",
                        DeidError.OUT_OF_RANGE, "p.yaml", 6, 12),
                new Case("bound on drop", HEAD + "  - match: { role: setpoint }\n    action: drop\n    bound: 1\n",
                        DeidError.PARAMETER_NOT_FOR_ACTION, "p.yaml", 6, 5),
                new Case("width on keep", HEAD + "  - match: { role: setpoint }\n    action: keep\n    width: 1\n",
                        DeidError.PARAMETER_NOT_FOR_ACTION, "p.yaml", 6, 5),
                new Case("quasi-identifier on drop",
                        HEAD + "  - match: { role: setpoint }\n    action: drop\n    quasi_identifier: true\n",
                        DeidError.QUASI_IDENTIFIER_NOT_ALLOWED, "p.yaml", 6, 5),
                new Case("quasi-identifier without k",
                        "profile: p\nrules:\n  - match: { role: asset }\n    action: keep\n    quasi_identifier: true\n",
                        DeidError.MISSING_KEY, "p.yaml", 1, 1),
                new Case("default generalize", "profile: p\ndefault: generalize\n", DeidError.UNKNOWN_WORD, "p.yaml", 2, 10),
                new Case("default unknown", "profile: p\ndefault: hide\n", DeidError.UNKNOWN_WORD, "p.yaml", 2, 10),
                new Case("hierarchy file missing",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: nowhere.csv\n",
                        DeidError.HIERARCHY_UNREADABLE, "p.yaml", 6, 5),
                new Case("hierarchy ragged", HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: ragged.csv\n",
                        DeidError.HIERARCHY_RAGGED, "ragged.csv", 2, 0),
                new Case("hierarchy not a tree",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: cycle.csv\n",
                        DeidError.HIERARCHY_NOT_A_TREE, "cycle.csv", 2, 3),
                new Case("hierarchy value twice",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: twice.csv\n",
                        DeidError.HIERARCHY_DUPLICATE_VALUE, "twice.csv", 5, 0),
                new Case("hierarchy empty", HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: empty.csv\n",
                        DeidError.HIERARCHY_EMPTY, "empty.csv", 0, 0),
                new Case("hierarchy hole", HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: hole.csv\n",
                        DeidError.HIERARCHY_EMPTY_FIELD, "hole.csv", 2, 2),
                new Case("hierarchy level too high",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: ok.csv\n    level: 4\n",
                        DeidError.OUT_OF_RANGE, "p.yaml", 7, 5),
                new Case("inline hierarchy ragged",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: { a: [x, t], b: [y] }\n",
                        DeidError.HIERARCHY_RAGGED, "p.yaml", 6, 29),
                new Case("inline hierarchy of a list",
                        HEAD + "  - match: { role: asset }\n    action: generalize\n    hierarchy: [a, b]\n",
                        DeidError.WRONG_TYPE, "p.yaml", 6, 16));
    }

    @Test
    void everyBadProfileGivesItsCodeAndLocation() {
        var problems = new ArrayList<String>();
        for (Case c : cases()) {
            try {
                DeidProfile.parse(c.yaml(), "p.yaml", FILES);
                problems.add(c.name() + ": no error");
            } catch (MaxException e) {
                String got = e.code().code() + " " + e.location().file() + ":" + e.location().line() + ":"
                        + e.location().column();
                String want = c.code().code() + " " + c.file() + ":" + c.line() + ":" + c.column();
                if (!got.equals(want)) problems.add(c.name() + ": got " + got + ", want " + want + " — " + e.getMessage());
                for (Locale locale : List.of(Locale.ENGLISH, Locale.KOREAN)) {
                    String text = e.message(locale);
                    if (text.matches("(?s).*\\{[0-9]}.*") || text.contains(e.code().code() + " " + e.code().code())) {
                        problems.add(c.name() + ": unformatted message " + text);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void messagesExplainInKoreanAndEnglish() {
        assertThatThrownBy(() -> DeidProfile.parse(HEAD + "  - match: { role: asset }\n    action: blur\n", "share.yaml",
                FILES)).isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.message(Locale.ENGLISH))
                            .isEqualTo("MAX-DEID-005 share.yaml:5:13: Unknown action \"blur\". Use one of: "
                                    + "keep | drop | pseudonymize | generalize | perturb | suppress");
                    assertThat(e.message(Locale.KOREAN)).startsWith("MAX-DEID-005 share.yaml:5:13: action 값 \"blur\"을(를)");
                });
        assertThatThrownBy(() -> DeidProfile.parse("profile: p\nk: 3\n- bad\n", "share.yaml", FILES))
                .isInstanceOfSatisfying(MaxException.class, e -> assertThat(e.message(Locale.ENGLISH))
                        .contains("share.yaml:3:1").contains("expected <block end>, but found '-'"));
        assertThatThrownBy(() -> DeidProfile.parse(HEAD + "  - match: {}\n    action: drop\n", "share.yaml", FILES))
                .isInstanceOfSatisfying(MaxException.class, e ->
                        assertThat(e.message(Locale.ENGLISH)).contains("match: { role: setpoint }"));
    }
}
