package kr.max.models.quality;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.models.ModelError;
import kr.max.models.Params;

/** The parameters of a quality model, read once and checked. Fields of the other learner keep their defaults. */
record QualityConfig(double trainFraction, String positiveLabel, double precisionTarget, int thresholdFolds,
        int rounds, int maxDepth, double learningRate, double minChildWeight, double subsample, double colsample,
        double scalePosWeight, int threads, double l2, boolean balanced, int maxIterations) {

    /** Defaults shared by both learners, then each learner's own. */
    static Map<String, Object> defaults(boolean gbm) {
        var d = new LinkedHashMap<String, Object>();
        d.put("train_fraction", 0.7);
        d.put("positive_label", "");
        d.put("precision_target", 0.9);
        d.put("threshold_folds", 5);
        if (gbm) {
            d.put("rounds", 300);
            d.put("max_depth", 3);
            d.put("learning_rate", 0.05);
            d.put("min_child_weight", 1.0);
            d.put("subsample", 0.8);
            d.put("colsample_bytree", 0.8);
            d.put("scale_pos_weight", 0.0);
            d.put("threads", 1);
        } else {
            d.put("l2", 1.0);
            d.put("balanced", true);
            d.put("max_iterations", 100);
        }
        return d;
    }

    static QualityConfig of(Params p, boolean gbm) {
        double fraction = p.number("train_fraction");
        double target = p.number("precision_target");
        int folds = p.integer("threshold_folds");
        require(fraction > 0 && fraction < 1, "train_fraction", fraction, "a fraction between 0 and 1");
        require(target > 0 && target <= 1, "precision_target", target, "a precision between 0 and 1");
        require(folds >= 2 && folds <= 20, "threshold_folds", folds, "between 2 and 20");
        String positive = p.text("positive_label").trim();
        if (gbm) {
            var c = new QualityConfig(fraction, positive, target, folds, p.integer("rounds"), p.integer("max_depth"),
                    p.number("learning_rate"), p.number("min_child_weight"), p.number("subsample"), p.number("colsample_bytree"),
                    p.number("scale_pos_weight"), p.integer("threads"), 1.0, true, 100);
            require(c.rounds() >= 1, "rounds", c.rounds(), "at least 1");
            require(c.maxDepth() >= 1 && c.maxDepth() <= 16, "max_depth", c.maxDepth(), "between 1 and 16");
            require(c.learningRate() > 0 && c.learningRate() <= 1, "learning_rate", c.learningRate(), "between 0 and 1");
            require(c.minChildWeight() >= 0, "min_child_weight", c.minChildWeight(), "0 or more");
            require(c.subsample() > 0 && c.subsample() <= 1, "subsample", c.subsample(), "between 0 and 1");
            require(c.colsample() > 0 && c.colsample() <= 1, "colsample_bytree", c.colsample(), "between 0 and 1");
            require(c.scalePosWeight() >= 0, "scale_pos_weight", c.scalePosWeight(), "0 (passes ÷ fails of the training part) or a positive weight");
            require(c.threads() >= 1, "threads", c.threads(), "at least 1");
            return c;
        }
        var c = new QualityConfig(fraction, positive, target, folds, 300, 3, 0.05, 1.0, 0.8, 0.8, 0.0, 1,
                p.number("l2"), p.flag("balanced"), p.integer("max_iterations"));
        require(c.l2() >= 0, "l2", c.l2(), "0 or more");
        require(c.maxIterations() >= 1, "max_iterations", c.maxIterations(), "at least 1");
        return c;
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) throw new MaxException(ModelError.BAD_PARAMETER, Location.NOWHERE, name, value, expected);
    }

    void write(DataOutput out) throws IOException {
        out.writeDouble(trainFraction);
        out.writeUTF(positiveLabel);
        out.writeDouble(precisionTarget);
        out.writeInt(thresholdFolds);
        out.writeInt(rounds);
        out.writeInt(maxDepth);
        out.writeDouble(learningRate);
        out.writeDouble(minChildWeight);
        out.writeDouble(subsample);
        out.writeDouble(colsample);
        out.writeDouble(scalePosWeight);
        out.writeInt(threads);
        out.writeDouble(l2);
        out.writeBoolean(balanced);
        out.writeInt(maxIterations);
    }

    static QualityConfig read(DataInput in) throws IOException {
        return new QualityConfig(in.readDouble(), in.readUTF(), in.readDouble(), in.readInt(), in.readInt(), in.readInt(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(),
                in.readDouble(), in.readBoolean(), in.readInt());
    }
}
