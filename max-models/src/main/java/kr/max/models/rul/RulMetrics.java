package kr.max.models.rul;

import kr.max.models.Metrics;

/** The figures C-MAPSS papers report: RMSE and the asymmetric NASA score (PHM08), at each unit's last cycle. */
final class RulMetrics {

    private RulMetrics() {
    }

    /**
     * NASA scoring function of Saxena et al. (2008): with d = predicted − true, exp(−d/13) − 1 for an early
     * prediction (d &lt; 0) and exp(d/10) − 1 for a late one, summed over units. Late costs more: an engine
     * flown past its life is worse than one serviced early.
     */
    static double nasa(double[] predicted, double[] truth) {
        double s = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - truth[i];
            s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
        }
        return s;
    }

    static double rmse(double[] predicted, double[] truth) {
        double s = 0;
        for (int i = 0; i < predicted.length; i++) s += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
        return Math.sqrt(s / predicted.length);
    }

    /**
     * @param cap the training cap; {@code rmse_capped} compares with the truth capped likewise, as some papers
     *            do (the main {@code rmse} never caps the truth)
     */
    static Metrics of(String on, double[] predicted, double[] truth, int cap) {
        double mae = 0;
        var capped = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            mae += Math.abs(predicted[i] - truth[i]) / truth.length;
            capped[i] = Math.min(cap, truth[i]);
        }
        return Metrics.on(on)
                .put("rmse", rmse(predicted, truth))
                .put("nasa_score", nasa(predicted, truth))
                .put("mae", mae)
                .put("rmse_capped", rmse(predicted, capped))
                .put("units", truth.length)
                .build();
    }
}
