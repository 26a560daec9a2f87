package kr.max.models.registry;

import java.util.List;

/**
 * What a batch prediction delivered.
 *
 * @param model   the model version that predicted ({@code press-rul@2})
 * @param dataset the dataset version it predicted on ({@code kamp/press@1})
 * @param rows    rows of predictions
 * @param columns their columns
 */
public record Predicted(String model, String dataset, long rows, List<String> columns) {
}
