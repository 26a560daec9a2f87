package kr.max.models.vibration;

import java.io.IOException;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The few XGBoost calls the vibration model makes, with native handles released promptly. */
final class Boosting {

    private Boosting() {
    }

    static Booster train(float[] x, int rows, int cols, float[] labels, Map<String, Object> params, int rounds) {
        DMatrix data = null;
        try {
            data = new DMatrix(x, rows, cols, Float.NaN);
            data.setLabel(labels);
            return XGBoost.train(data, params, rounds, Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not train: " + e.getMessage(), e);
        } finally {
            if (data != null) data.dispose();
        }
    }

    /** Row-major features in, one row of class probabilities per window out. */
    static float[][] predict(Booster booster, float[] x, int rows, int cols) {
        try {
            return booster.inplace_predict(x, rows, cols, Float.NaN);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not predict: " + e.getMessage(), e);
        }
    }

    static byte[] bytes(Booster booster) {
        try {
            return booster.toByteArray("ubj");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost could not write the model: " + e.getMessage(), e);
        }
    }

    static Booster load(byte[] bytes, int threads, String type) {
        try {
            var booster = XGBoost.loadModel(bytes);
            // a loaded booster would otherwise use every core, which a shared plant server must not assume
            booster.setParam("nthread", threads);
            return booster;
        } catch (XGBoostError | IOException e) {
            throw new MaxException(ModelError.UNREADABLE_MODEL, Location.NOWHERE, e, type, e.getMessage());
        }
    }
}
