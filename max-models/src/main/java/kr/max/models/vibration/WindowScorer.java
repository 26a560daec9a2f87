package kr.max.models.vibration;

import kr.max.models.Scorer;

/**
 * Online diagnosis of one stream: keeps the last {@code window} samples of each channel in a ring and
 * classifies the window each time one completes (after {@code window} samples, then every {@code step}),
 * exactly the windows batch prediction takes from the start of a record.
 */
final class WindowScorer implements Scorer {

    private static final Score WAITING = new Score(Double.NaN, Double.NaN, false, null, false);

    private final VibrationModel model;
    private final VibrationConfig c;
    private final WindowFeatures extractor;
    private final double[][] ring;
    private final double[] signal;
    private final double[] row;
    private final float[] input;
    private final int normal;
    private long seen;

    WindowScorer(VibrationModel model) {
        this.model = model;
        this.c = model.config();
        this.extractor = new WindowFeatures(c);
        int channels = model.features().size();
        this.ring = new double[channels][c.window()];
        this.signal = new double[c.window()];
        this.row = new double[channels * WindowFeatures.perChannel(c)];
        this.input = new float[row.length];
        this.normal = model.classes().indexOf(c.normalLabel());
    }

    /**
     * Adds one sample (one value per channel). Returns a ready score, valued at the predicted class's
     * probability, only on a sample that completes a window; every other sample returns a score that is
     * not ready. The alarm is raised when the class is not the normal class ({@code normal_label}).
     */
    @Override
    public Score score(double[] sample) {
        if (sample.length != ring.length) {
            throw new IllegalArgumentException("a sample of " + sample.length + " values for " + ring.length + " channels");
        }
        int at = (int) (seen % c.window());
        for (int ch = 0; ch < ring.length; ch++) ring[ch][at] = sample[ch];
        seen++;
        if (seen < c.window() || (seen - c.window()) % c.step() != 0) return WAITING;
        int oldest = (int) (seen % c.window());
        int k = 0;
        for (int ch = 0; ch < ring.length; ch++) {
            System.arraycopy(ring[ch], oldest, signal, 0, c.window() - oldest);
            System.arraycopy(ring[ch], 0, signal, c.window() - oldest, oldest);
            k = extractor.compute(signal, row, k);
        }
        for (int j = 0; j < row.length; j++) input[j] = (float) row[j];
        float[] p = model.probabilities(input, 1)[0];
        int best = VibrationModel.best(p);
        return new Score(p[best], Double.NaN, normal >= 0 && best != normal, model.classes().get(best), true);
    }
}
