package kr.max.factory.alarms;

/**
 * Receives every change of every alarm, in the order they happened (by {@link AlarmEvent#sequence()}): the live
 * view pushes them to consoles, the audit trail records them. Called on the thread that caused the change (the
 * stream's thread for raises and clears, the operator's for commands) after the service has released its lock, so
 * a listener may query the service; keep it short.
 */
@FunctionalInterface
public interface AlarmListener {

    void onAlarmEvent(AlarmEvent event);
}
