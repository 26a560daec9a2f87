package kr.max.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import kr.max.core.MaxException;
import kr.max.core.dictionary.ColumnRole;
import kr.max.core.dictionary.ColumnSpec;
import kr.max.core.dictionary.ColumnType;
import kr.max.core.dictionary.DataDictionary;
import org.junit.jupiter.api.Test;

/** Rows bind to a frame by role, whatever the columns are called. */
class FrameBuilderTest {

    static final DataDictionary SHOTS = new DataDictionary(List.of(
            ColumnSpec.of("일시", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP),
            ColumnSpec.of("설비", ColumnRole.ASSET, ColumnType.STRING),
            ColumnSpec.of("작업자", ColumnRole.PERSON, ColumnType.STRING),
            ColumnSpec.of("사출압력", ColumnRole.MEASUREMENT, ColumnType.DECIMAL),
            ColumnSpec.of("배럴온도_설정", ColumnRole.SETPOINT, ColumnType.INTEGER),
            ColumnSpec.of("비고", ColumnRole.MEASUREMENT, ColumnType.STRING)), DataDictionary.DEFAULT_TIME_ZONE);

    static final DataDictionary UNLABELLED = SHOTS;

    static final DataDictionary LABELLED = new DataDictionary(List.of(
            ColumnSpec.of("일시", ColumnRole.TIMESTAMP, ColumnType.TIMESTAMP),
            ColumnSpec.of("설비", ColumnRole.ASSET, ColumnType.STRING),
            ColumnSpec.of("사출압력", ColumnRole.MEASUREMENT, ColumnType.DECIMAL),
            ColumnSpec.of("판정", ColumnRole.LABEL, ColumnType.STRING)), DataDictionary.DEFAULT_TIME_ZONE);

    /** A type that needs a label to train, as a classifier does. */
    static final ModelType NEEDS_LABEL = new ModelType() {
        public String id() { return "needs-label"; }
        public String titleKo() { return "레이블 필요"; }
        public String titleEn() { return "needs a label"; }
        public List<ColumnRole> requires() { return List.of(ColumnRole.ASSET, ColumnRole.LABEL); }
        public Params defaults() { return Params.of(java.util.Map.of()); }
        public Training train(Frame data, Params params, long seed) { throw new UnsupportedOperationException(); }
        public TrainedModel read(byte[] bytes) { throw new UnsupportedOperationException(); }
    };

    @Test
    void numericMeasurementsAndSetpointsAreTheFeaturesAndRolesFillTheRest() {
        var b = new FrameBuilder(LABELLED, "kamp/shots", NEEDS_LABEL);
        assertThat(b.columnsNeeded()).containsExactly("사출압력", "설비", "일시", "판정");
        b.columns(List.of("판정", "일시", "설비", "사출압력"), List.of("VARCHAR", "TIMESTAMPTZ", "VARCHAR", "DOUBLE"));
        b.row(new Object[] {"N", OffsetDateTime.parse("2026-03-02T06:00:00+09:00"), "사출기-1", 151.5});
        b.row(new Object[] {"Y", OffsetDateTime.parse("2026-03-02T06:00:30+09:00"), "사출기-1", null});
        Frame f = b.frame();
        assertThat(f.features()).containsExactly("사출압력");
        assertThat(f.x()[0]).containsExactly(151.5);
        assertThat(f.x()[1][0]).isNaN();
        assertThat(f.assets()).containsExactly("사출기-1", "사출기-1");
        assertThat(f.times()[1] - f.times()[0]).isEqualTo(30_000);
        assertThat(f.labels()).containsExactly("N", "Y");
    }

    @Test
    void textMeasurementsAreNotFeaturesAndSetpointsAre() {
        var b = FrameBuilder.forPrediction(SHOTS, "kamp/shots", NEEDS_LABEL);
        assertThat(b.columnsNeeded()).startsWith("사출압력", "배럴온도_설정").doesNotContain("비고", "작업자");
    }

    @Test
    void trainingNeedsTheLabelAndPredictionDoesNot() {
        assertThatThrownBy(() -> new FrameBuilder(UNLABELLED, "kamp/shots", NEEDS_LABEL))
                .isInstanceOfSatisfying(MaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ModelError.MISSING_ROLE);
                    assertThat(e.getMessage()).contains("label", "kamp/shots");
                });
        var b = FrameBuilder.forPrediction(UNLABELLED, "kamp/shots", NEEDS_LABEL);
        assertThat(b.columnsNeeded()).doesNotContain("판정");
    }
}
