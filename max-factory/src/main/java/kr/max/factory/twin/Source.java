package kr.max.factory.twin;

import kr.max.core.AssetPath;

/** One equipment as a source of samples: its running sequence number and the state of its link. */
final class Source {

    final AssetPath equipment;
    long sequence;
    private long lossUntilNanos = Long.MIN_VALUE;
    private Fault.CommunicationLoss.Mode mode = Fault.CommunicationLoss.Mode.SILENT;
    ActiveFault loss;

    Source(AssetPath equipment) {
        this.equipment = equipment;
    }

    void lose(ActiveFault fault, long untilNanos, Fault.CommunicationLoss.Mode mode) {
        this.loss = fault;
        this.lossUntilNanos = untilNanos;
        this.mode = mode;
    }

    void restore() {
        loss = null;
        lossUntilNanos = Long.MIN_VALUE;
    }

    /** Whether a sample taken at {@code elapsedNanos} is lost: from the injection up to, not including, its end. */
    boolean lost(long elapsedNanos) {
        return elapsedNanos < lossUntilNanos;
    }

    long lossUntilNanos() {
        return lossUntilNanos;
    }

    boolean silent() {
        return mode == Fault.CommunicationLoss.Mode.SILENT;
    }
}
