package kr.max.models.quality;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Gradient-boosted trees (XGBoost, binary logistic) with the fails up-weighted. */
final class GbmLearner implements Learner {

    static final String KIND = "gbm";

    private final byte[] bytes;
    private final Booster booster;
    private final int features;

    private GbmLearner(byte[] bytes, Booster booster, int features) {
        this.bytes = bytes;
        this.booster = booster;
        this.features = features;
    }

    @Override
    public String kind() {
        return KIND;
    }

    static GbmLearner fit(double[][] x, boolean[] fail, QualityConfig c, long seed) {
        int n = x.length, d = x[0].length;
        long fails = 0;
        for (boolean f : fail) if (f) fails++;
        double weight = c.scalePosWeight() > 0 ? c.scalePosWeight() : (double) (n - fails) / Math.max(1, fails);
        var p = new LinkedHashMap<String, Object>();
        p.put("objective", "binary:logistic");
        p.put("max_depth", c.maxDepth());
        p.put("eta", c.learningRate());
        p.put("min_child_weight", c.minChildWeight());
        p.put("subsample", c.subsample());
        p.put("colsample_bytree", c.colsample());
        p.put("scale_pos_weight", weight);
        p.put("tree_method", "hist");
        p.put("nthread", c.threads());
        // XGBoost reads the seed as a non-negative integer
        p.put("seed", (int) (seed ^ (seed >>> 32)) & 0x7fffffff);
        p.put("verbosity", 0);
        DMatrix data = null;
        try {
            data = new DMatrix(flat(x, d), n, d, Float.NaN);
            var labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = fail[i] ? 1 : 0;
            data.setLabel(labels);
            Booster b = XGBoost.train(data, p, c.rounds(), Map.of(), null, null);
            return new GbmLearner(b.toByteArray("ubj"), b, d);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not train: " + e.getMessage(), e);
        } finally {
            if (data != null) data.dispose();
        }
    }

    private static float[] flat(double[][] x, int d) {
        var out = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) out[i * d + j] = (float) x[i][j];
        }
        return out;
    }

    @Override
    public double[] score(double[][] x) {
        var out = new double[x.length];
        if (x.length == 0) return out;
        try {
            float[][] p = booster.inplace_predict(flat(x, features), x.length, features, Float.NaN);
            for (int i = 0; i < x.length; i++) out[i] = p[i][0];
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not predict: " + e.getMessage(), e);
        }
    }

    @Override
    public double score(double[] row) {
        return score(new double[][] {row})[0];
    }

    @Override
    public void write(DataOutput out) throws IOException {
        out.writeInt(features);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static GbmLearner read(DataInput in, int threads) throws IOException {
        int d = in.readInt();
        var bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try {
            var b = XGBoost.loadModel(bytes);
            // a loaded booster would otherwise use every core
            b.setParam("nthread", threads);
            return new GbmLearner(bytes, b, d);
        } catch (XGBoostError e) {
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, QualityPrediction.GBM, e.getMessage());
        }
    }
}
