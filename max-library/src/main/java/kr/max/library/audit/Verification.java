package kr.max.library.audit;

/**
 * The result of {@link AuditChain#verify()}.
 *
 * @param intact         whether every record and checkpoint checked out
 * @param records        number of records examined
 * @param checkpoints    number of signed checkpoints verified
 * @param firstBrokenSeq sequence number of the first record that does not fit, or -1
 * @param reason         why it does not fit: {@code changed}, {@code missing}, {@code reordered},
 *                       {@code truncated}, {@code bad-signature}; {@code null} when intact
 */
public record Verification(boolean intact, long records, long checkpoints, long firstBrokenSeq, String reason) {
}
