package kr.max.factory.twin;

import java.time.Instant;

/**
 * A fault in force: what, since when (simulated time), and the number the simulator gave it.
 *
 * @param id    running number of the injection, unique within one simulator
 * @param fault the fault
 * @param since simulated time of the injection
 */
public record ActiveFault(long id, Fault fault, Instant since) {
}
