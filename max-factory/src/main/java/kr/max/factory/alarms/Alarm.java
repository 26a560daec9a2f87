package kr.max.factory.alarms;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import kr.max.core.AssetPath;
import kr.max.core.Messages;
import kr.max.factory.assets.Name;

/**
 * An alarm as it stands: a snapshot, safe to hand to another thread or serialize. The same alarm (the same
 * {@link #id()}) is raised and cleared many times; the fields describe its latest occurrence.
 *
 * @param id                 stable id: the source and the kind, {@code …/CNC-01/vibration-velocity-rms:hi} or
 *                           {@code …/CNC-01/spindle-vibration:model}
 * @param source             the tag path, or for a model alarm the equipment path and the watch's name
 * @param equipment          the equipment it belongs to
 * @param kind               which limit or model raised it
 * @param priority           how urgently to respond
 * @param state              where it stands in its lifecycle
 * @param condition          whether the condition is present now (also while shelved or suppressed)
 * @param subject            what it is about, in Korean and English: the tag's name, or the equipment's and watch's
 * @param unit               the unit's symbol for limit alarms ({@code mm/s}); empty for model alarms (a score)
 * @param limit              the limit it compares against: the tag's limit, the largest rate per second, or the
 *                           model's score limit
 * @param model              the model behind a model alarm ({@code name@version} from the registry, or the type and
 *                           how it was trained); {@code null} for limit alarms
 * @param raisedAt           when the condition last appeared; {@code null} if never
 * @param valueAtRaise       the value (or score) that raised it; NaN if never raised
 * @param clearedAt          when the condition last cleared; {@code null} while present or never raised
 * @param acknowledgedAt     when the latest occurrence was acknowledged; {@code null} if not
 * @param acknowledgedBy     who acknowledged it
 * @param acknowledgeNote    the operator's note
 * @param shelvedAt          when it was shelved or suppressed; {@code null} if neither
 * @param shelvedBy          who shelved or suppressed it
 * @param shelvedUntil       when the shelving runs out; {@code null} for suppression (released by command only)
 * @param shelveReason       why it was shelved or suppressed
 * @param occurrences        how often the condition has appeared since the service started
 */
public record Alarm(String id, String source, AssetPath equipment, AlarmKind kind, AlarmPriority priority, AlarmState state,
        boolean condition, Name subject, String unit, double limit, String model, Instant raisedAt, double valueAtRaise,
        Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy, String acknowledgeNote, Instant shelvedAt,
        String shelvedBy, Instant shelvedUntil, String shelveReason, long occurrences) {

    static final String BUNDLE = "kr.max.factory.alarms.messages";

    /**
     * What the alarm says, in Korean or English: {@code 진동 속도 RMS 높음: 4.61 mm/s (한계 4.5 mm/s)}. For a model
     * alarm it names the model and the score.
     */
    public String message(Locale locale) {
        String name = subject.in(locale);
        // the unit goes with the number, so a dimensionless tag (kurtosis) reads "7.62" and not "7.62 "
        String suffix = unit == null || unit.isEmpty() ? "" : " " + unit;
        return switch (kind) {
            case MODEL -> Messages.text(BUNDLE, "alarm.model", locale, name, plain(valueAtRaise), plain(limit), model);
            default -> Messages.text(BUNDLE, "alarm." + kind.word(), locale, name, plain(valueAtRaise) + suffix,
                    plain(limit) + suffix);
        };
    }

    /** Digits as they are, never grouped or localized: a limit reads the same in both languages. */
    static String plain(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        var d = BigDecimal.valueOf(v);
        // three significant decimals are what a display shows; a score of 3.4567891 reads as 3.457
        if (Math.abs(v) >= 1e-3 && d.scale() > 3) d = d.setScale(3, java.math.RoundingMode.HALF_UP);
        return d.stripTrailingZeros().toPlainString();
    }
}
