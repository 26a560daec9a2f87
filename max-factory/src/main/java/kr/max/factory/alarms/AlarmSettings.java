package kr.max.factory.alarms;

import java.time.Duration;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * How limit alarms avoid chattering and how long operators may shelve.
 *
 * <p><b>Deadband and on-delay.</b> A reading noisy around a limit would raise and clear an alarm every few seconds
 * (chattering, the commonest nuisance in alarm floods). Two remedies, both as ANSI/ISA-18.2 and its technical
 * report TR18.2.3 describe them: an <em>on-delay</em> — the limit must be exceeded by {@code onDelaySamples}
 * consecutive good samples before the alarm sounds, so a single spike does not — and a <em>deadband</em> — once
 * raised, the alarm clears only when the reading is back beyond the limit by the deadband. The deadband depends on
 * what is measured, after TR18.2.3's starting values, as a share of the tag's normal range (of the limit's size
 * when there is none): temperatures 1 %, pressures 2 %, levels, other percentages and vibration 5 %, anything else
 * 2 %. The deadband handles small noise; a signal that swings widely around its limit (a vibration envelope from
 * one second to the next) would still clear on one low reading and raise again three later, so clearing also
 * waits for {@code offDelaySamples} consecutive readings inside the deadband (an <em>off-delay</em>).
 *
 * <p><b>Rates of change</b> are measured over {@code rateWindow} (a difference over one sample period would be
 * mostly noise) and clear when the rate is below the largest plausible rate by {@code rateDeadband} of it.
 *
 * @param onDelaySamples consecutive samples beyond a limit before it raises (1 = at once)
 * @param offDelaySamples consecutive samples back inside the deadband before it clears (1 = at once)
 * @param rateWindow     the span a rate of change is measured over
 * @param rateDeadband   share of the largest rate the rate must fall below it to clear
 * @param maxShelve      the longest an operator may shelve an alarm (a shift)
 * @param historyLimit   events kept in {@link AlarmService#history()} (the oldest are dropped first)
 */
public record AlarmSettings(int onDelaySamples, int offDelaySamples, Duration rateWindow, double rateDeadband, Duration maxShelve, int historyLimit) {

    public AlarmSettings {
        if (onDelaySamples < 1 || onDelaySamples > 3600) bad("onDelaySamples", Integer.toString(onDelaySamples), "1 … 3600");
        if (offDelaySamples < 1 || offDelaySamples > 3600) bad("offDelaySamples", Integer.toString(offDelaySamples), "1 … 3600");
        if (rateWindow.isNegative() || rateWindow.isZero()) bad("rateWindow", rateWindow.toString(), "> 0");
        if (!(rateDeadband >= 0 && rateDeadband < 1)) bad("rateDeadband", Double.toString(rateDeadband), "a share in [0, 1)");
        if (maxShelve.isNegative() || maxShelve.isZero()) bad("maxShelve", maxShelve.toString(), "> 0");
        if (historyLimit < 1) bad("historyLimit", Integer.toString(historyLimit), ">= 1");
    }

    /**
     * On-delay 3 samples, off-delay 5, rates over 5 s with a 10 % deadband, shelving up to 8 hours, 10,000 events of
     * history.
     */
    public static AlarmSettings defaults() {
        return new AlarmSettings(3, 5, Duration.ofSeconds(5), 0.1, Duration.ofHours(8), 10_000);
    }

    /** These settings with other on- and off-delays. */
    public AlarmSettings withDelays(int onDelay, int offDelay) {
        return new AlarmSettings(onDelay, offDelay, rateWindow, rateDeadband, maxShelve, historyLimit);
    }

    public AlarmSettings withMaxShelve(Duration d) {
        return new AlarmSettings(onDelaySamples, offDelaySamples, rateWindow, rateDeadband, d, historyLimit);
    }

    /** The deadband of a tag in its unit (UCUM code), as a share of its normal range: see the class comment. */
    public static double deadbandShare(String unit) {
        return switch (unit) {
            case "Cel", "K" -> 0.01;
            case "bar", "Pa", "kPa", "MPa" -> 0.02;
            case "%", "m/s2", "mm/s", "um" -> 0.05;
            default -> 0.02;
        };
    }

    private static void bad(String setting, String value, String expected) {
        throw new MaxException(AlarmError.BAD_SETTING, Location.NOWHERE, setting, value, expected);
    }
}
