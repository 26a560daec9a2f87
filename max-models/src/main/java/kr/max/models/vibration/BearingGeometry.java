package kr.max.models.vibration;

/**
 * A rolling-element bearing and its shaft speed, giving the characteristic defect frequencies a damaged
 * race, ball or cage repeats at (the standard kinematic formulas, no slip). The defaults are the
 * SKF 6205-2RS JEM drive-end bearing of the CWRU test rig (9 balls, ball 0.3126 in, pitch 1.537 in) at
 * 1797 rpm, which give BPFI 5.4152, BPFO 3.5848, FTF 0.3983 and BSF 2.3567 times the shaft frequency.
 *
 * @param shaftRpm        shaft speed in revolutions per minute
 * @param balls           number of rolling elements
 * @param ballDiameter    rolling element diameter (any length unit, the same as the pitch diameter)
 * @param pitchDiameter   pitch diameter
 * @param contactAngleDeg contact angle in degrees
 */
record BearingGeometry(double shaftRpm, int balls, double ballDiameter, double pitchDiameter, double contactAngleDeg) {

    double shaftHz() {
        return shaftRpm / 60.0;
    }

    private double ratio() {
        return ballDiameter / pitchDiameter * Math.cos(Math.toRadians(contactAngleDeg));
    }

    /** Ball pass frequency, inner race. */
    double bpfi() {
        return balls / 2.0 * shaftHz() * (1 + ratio());
    }

    /** Ball pass frequency, outer race. */
    double bpfo() {
        return balls / 2.0 * shaftHz() * (1 - ratio());
    }

    /** Fundamental train (cage) frequency. */
    double ftf() {
        return shaftHz() / 2.0 * (1 - ratio());
    }

    /** Ball spin frequency; a ball defect strikes the races at twice this, which the harmonics cover. */
    double bsf() {
        double r = ratio();
        return pitchDiameter / (2.0 * ballDiameter) * shaftHz() * (1 - r * r);
    }
}
