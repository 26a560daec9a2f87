package kr.max.models;

import java.util.List;
import java.util.stream.Collectors;
import kr.max.core.Location;
import kr.max.core.MaxException;

/** The standard model types this platform ships, by {@link ModelType#id()}. */
public final class StandardModels {

    private StandardModels() {
    }

    /** Every type, in the order listings show them. Each model package adds its type here. */
    public static List<ModelType> all() {
        return List.of(
                new kr.max.models.rul.RulGbm(),
                kr.max.models.monitoring.ProcessMonitoring.pca(),
                kr.max.models.monitoring.ProcessMonitoring.dynamicPca(),
                kr.max.models.anomaly.AnomalyDetection.isolationForest(),
                kr.max.models.anomaly.AnomalyDetection.pcaDetector(),
                new kr.max.models.vibration.VibrationDiagnosis(),
                kr.max.models.quality.QualityPrediction.gbm(),
                kr.max.models.quality.QualityPrediction.logistic());
    }

    public static ModelType byId(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(() -> new MaxException(
                ModelError.UNKNOWN_TYPE, Location.NOWHERE, id, all().stream().map(ModelType::id).collect(Collectors.joining(", "))));
    }
}
