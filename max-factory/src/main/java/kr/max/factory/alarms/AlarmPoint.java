package kr.max.factory.alarms;

import java.time.Instant;
import kr.max.core.AssetPath;
import kr.max.factory.assets.Name;

/** One alarm's mutable state, guarded by its service's lock. */
final class AlarmPoint {

    final String id;
    final String source;
    final AssetPath equipment;
    final AlarmKind kind;
    final AlarmPriority priority;
    final Name subject;
    final String unit;
    double limit;
    final String model;

    AlarmState state = AlarmState.NORMAL;
    boolean condition;
    Instant raisedAt;
    double valueAtRaise = Double.NaN;
    Instant clearedAt;
    Instant acknowledgedAt;
    String acknowledgedBy;
    String acknowledgeNote;
    Instant shelvedAt;
    String shelvedBy;
    Instant shelvedUntil;
    String shelveReason;
    long occurrences;

    AlarmPoint(String source, AssetPath equipment, AlarmKind kind, AlarmPriority priority, Name subject, String unit,
            double limit, String model) {
        this.id = source + ":" + kind.word();
        this.source = source;
        this.equipment = equipment;
        this.kind = kind;
        this.priority = priority;
        this.subject = subject;
        this.unit = unit;
        this.limit = limit;
        this.model = model;
    }

    Alarm snapshot() {
        return new Alarm(id, source, equipment, kind, priority, state, condition, subject, unit, limit, model, raisedAt,
                valueAtRaise, clearedAt, acknowledgedAt, acknowledgedBy, acknowledgeNote, shelvedAt, shelvedBy, shelvedUntil,
                shelveReason, occurrences);
    }
}
