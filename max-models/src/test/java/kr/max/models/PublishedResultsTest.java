package kr.max.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kr.max.core.MaxException;
import org.junit.jupiter.api.Test;

class PublishedResultsTest {

    @Test
    void theShippedTableHoldsEveryBenchmarkTheIssueNames() {
        assertThat(PublishedResults.references()).contains("cmapss-fd001", "cmapss-fd002", "cmapss-fd003", "cmapss-fd004",
                "tep-fault01", "tep-fault02", "tep-fault06", "cwru-0hp", "kamp-molding");
        var fd001 = PublishedResults.of("cmapss-fd001");
        assertThat(fd001).extracting(PublishedResults.Entry::metric).containsExactly("rmse", "nasa_score");
        assertThat(fd001.get(0).value()).isEqualTo(12.61);
        assertThat(fd001.get(0).source()).contains("Li, Ding & Sun");
        assertThat(PublishedResults.of("cmapss-fd004").get(0).value()).isEqualTo(23.31);
    }

    @Test
    void aLowerIsBetterFigureIsMetOnlyBelowThePublishedOne() {
        var better = PublishedResults.compare("cmapss-fd001", Metrics.on("test").put("rmse", 11.19).put("nasa_score", 195).build());
        assertThat(better).allMatch(PublishedResults.Comparison::met);
        var worse = PublishedResults.compare("cmapss-fd001", Metrics.on("test").put("rmse", 12.70).put("nasa_score", 195).build());
        assertThat(worse.get(0).met()).isFalse();
        assertThat(worse.get(1).met()).isTrue();
    }

    @Test
    void aReproductionIsMetWithinItsToleranceOnEitherSide() {
        var close = PublishedResults.compare("tep-fault01",
                Metrics.on("d01_te").put("detection_rate_t2", 0.985).put("detection_rate_q", 1.0).build());
        assertThat(close).allMatch(PublishedResults.Comparison::met);
        var far = PublishedResults.compare("tep-fault01",
                Metrics.on("d01_te").put("detection_rate_t2", 0.97).put("detection_rate_q", 1.0).build());
        assertThat(far.get(0).met()).isFalse();
    }

    @Test
    void aMetricTheEvaluationDidNotProduceIsShownAsMissingAndNotMet() {
        var c = PublishedResults.compare("cwru-0hp", Metrics.on("test").put("rmse", 1).build());
        assertThat(c).singleElement().satisfies(x -> {
            assertThat(x.ours()).isNaN();
            assertThat(x.met()).isFalse();
        });
    }

    @Test
    void anUnknownReferenceNamesTheKnownOnes() {
        assertThatThrownBy(() -> PublishedResults.of("cmapss-fd009"))
                .isInstanceOf(MaxException.class)
                .hasMessageContaining("cmapss-fd009")
                .hasMessageContaining("cmapss-fd001")
                .satisfies(e -> assertThat(((MaxException) e).code()).isEqualTo(ModelError.UNKNOWN_REFERENCE));
    }
}
