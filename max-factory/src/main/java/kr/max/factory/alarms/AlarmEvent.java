package kr.max.factory.alarms;

import java.time.Instant;

/**
 * One change of one alarm, for listeners and the history.
 *
 * @param sequence running number within the service, from 1: a gap means events were lost on the way
 * @param time     when it happened: the sample's time for changes of the condition, the service's clock for
 *                 operator commands and shelf expiry
 * @param change   what happened
 * @param from     the state before
 * @param alarm    the alarm after the change
 * @param who      the operator, for commands; {@code null} for changes of the condition and expiry
 * @param note     the operator's note or reason; {@code null} if none
 */
public record AlarmEvent(long sequence, Instant time, Change change, AlarmState from, Alarm alarm, String who, String note) {

    /** What changed an alarm. */
    public enum Change {
        /** The condition appeared (after its on-delay). */
        RAISED("raised"),
        /** The condition cleared (beyond its deadband). */
        RETURNED_TO_NORMAL("returned-to-normal"),
        ACKNOWLEDGED("acknowledged"),
        SHELVED("shelved"),
        UNSHELVED("unshelved"),
        /** The shelving time ran out. */
        SHELF_EXPIRED("shelf-expired"),
        SUPPRESSED("suppressed"),
        UNSUPPRESSED("unsuppressed");

        private final String word;

        Change(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }
}
