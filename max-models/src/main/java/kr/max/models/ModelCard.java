package kr.max.models;

import java.util.List;

/**
 * A model card (Mitchell et al., 2019) in Korean and English: what the model is for, how it may be used,
 * what it was trained on, how it was measured and where it falls short. The registry stores it with each
 * version; the console and {@code max model show} print it.
 *
 * @param purposeKo        what the model does
 * @param intendedUseKo    who should use it for what, and what not
 * @param data             the training data as the type saw it: rows, assets, features, label balance
 * @param split            how the held-out part was chosen (time-ordered, by unit, …)
 * @param limitationsKo    known weaknesses, stated honestly (class imbalance, conditions not seen, …)
 */
public record ModelCard(String purposeKo, String purposeEn, String intendedUseKo, String intendedUseEn,
        String data, String split, List<String> limitationsKo, List<String> limitationsEn) {

    public ModelCard {
        limitationsKo = List.copyOf(limitationsKo);
        limitationsEn = List.copyOf(limitationsEn);
    }
}
