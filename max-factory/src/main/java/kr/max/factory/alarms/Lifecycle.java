package kr.max.factory.alarms;

import static kr.max.factory.alarms.AlarmState.ACKNOWLEDGED;
import static kr.max.factory.alarms.AlarmState.NORMAL;
import static kr.max.factory.alarms.AlarmState.RETURNED_UNACKNOWLEDGED;
import static kr.max.factory.alarms.AlarmState.SHELVED;
import static kr.max.factory.alarms.AlarmState.SUPPRESSED;
import static kr.max.factory.alarms.AlarmState.UNACKNOWLEDGED;

import kr.max.core.Location;
import kr.max.core.MaxException;
import kr.max.factory.alarms.AlarmEvent.Change;

/**
 * The ISA-18.2 state machine, every allowed move in this one table. A change of the condition while shelved or
 * suppressed moves nothing (the condition is still tracked, so releasing the alarm lands in the right state); an
 * operator command the state does not allow is an error with a code that names the state.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * The state after {@code change}, or {@code null} when the change is recorded silently (a condition change while
     * shelved or suppressed).
     *
     * @param condition whether the condition is present after the change
     * @throws MaxException {@code MAX-ALARM-002 … 011} for a command the state does not allow
     */
    static AlarmState next(AlarmPoint p, Change change, boolean condition) {
        AlarmState s = p.state;
        return switch (change) {
            case RAISED -> switch (s) {
                case NORMAL, RETURNED_UNACKNOWLEDGED -> UNACKNOWLEDGED;
                case SHELVED, SUPPRESSED -> null;
                case UNACKNOWLEDGED, ACKNOWLEDGED -> throw new IllegalStateException(p.id + " raised while " + s);
            };
            case RETURNED_TO_NORMAL -> switch (s) {
                case UNACKNOWLEDGED -> RETURNED_UNACKNOWLEDGED;
                case ACKNOWLEDGED -> NORMAL;
                case SHELVED, SUPPRESSED -> null;
                case NORMAL, RETURNED_UNACKNOWLEDGED -> throw new IllegalStateException(p.id + " cleared while " + s);
            };
            case ACKNOWLEDGED -> switch (s) {
                case UNACKNOWLEDGED -> ACKNOWLEDGED;
                case RETURNED_UNACKNOWLEDGED -> NORMAL;
                case NORMAL -> throw refused(AlarmError.NOTHING_TO_ACKNOWLEDGE, p.id, s.word());
                case ACKNOWLEDGED -> throw refused(AlarmError.ALREADY_ACKNOWLEDGED, p.id, p.acknowledgedBy,
                        String.valueOf(p.acknowledgedAt));
                case SHELVED, SUPPRESSED -> throw refused(AlarmError.NOT_ANNUNCIATED, p.id, "acknowledge", s.word());
            };
            case SHELVED -> switch (s) {
                case NORMAL, UNACKNOWLEDGED, ACKNOWLEDGED, RETURNED_UNACKNOWLEDGED -> SHELVED;
                case SHELVED -> throw refused(AlarmError.ALREADY_SHELVED, p.id, p.shelvedBy, String.valueOf(p.shelvedUntil));
                case SUPPRESSED -> throw refused(AlarmError.NOT_ANNUNCIATED, p.id, "shelve", s.word());
            };
            case UNSHELVED, SHELF_EXPIRED -> switch (s) {
                // back on the list as a fresh, unacknowledged alarm if the condition is still there
                case SHELVED -> condition ? UNACKNOWLEDGED : NORMAL;
                default -> throw refused(AlarmError.NOT_SHELVED, p.id, s.word());
            };
            case SUPPRESSED -> switch (s) {
                case SUPPRESSED -> throw refused(AlarmError.ALREADY_SUPPRESSED, p.id, p.shelvedBy);
                default -> SUPPRESSED;
            };
            case UNSUPPRESSED -> switch (s) {
                case SUPPRESSED -> condition ? UNACKNOWLEDGED : NORMAL;
                default -> throw refused(AlarmError.NOT_SUPPRESSED, p.id, s.word());
            };
        };
    }

    private static MaxException refused(AlarmError code, Object... args) {
        return new MaxException(code, Location.NOWHERE, args);
    }
}
