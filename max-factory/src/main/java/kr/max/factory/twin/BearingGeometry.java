package kr.max.factory.twin;

/**
 * A rolling-element bearing, giving the frequencies at which a damaged race is struck (the kinematic formulas,
 * no slip), per Hz of shaft speed:
 *
 * <pre>
 *   BPFO = n/2 · (1 − (d/D)·cos φ)        ball pass frequency, outer race
 *   BPFI = n/2 · (1 + (d/D)·cos φ)        ball pass frequency, inner race
 * </pre>
 *
 * n balls of diameter d on pitch diameter D, contact angle φ.
 */
record BearingGeometry(int balls, double ballDiameter, double pitchDiameter, double contactAngleDeg) {

    private double ratio() {
        return ballDiameter / pitchDiameter * Math.cos(Math.toRadians(contactAngleDeg));
    }

    double bpfo(double shaftHz) {
        return balls / 2.0 * shaftHz * (1 - ratio());
    }

    double bpfi(double shaftHz) {
        return balls / 2.0 * shaftHz * (1 + ratio());
    }
}
