package kr.max.library.agreement;

import java.util.Locale;
import kr.max.core.Location;
import kr.max.core.MaxException;

/**
 * Where an access request is in its life. One state machine from filing to the end of the agreement it
 * becomes; every allowed move is a {@link Transition}, and no other move exists.
 *
 * <pre>
 * REQUESTED ─approve/narrow→ ACTIVE ─revoke→ REVOKED
 *     │                         └────expire→ EXPIRED
 *     ├─refuse──→ REFUSED
 *     └─withdraw→ WITHDRAWN
 * </pre>
 * Only {@link #ACTIVE} grants anything; that is how a revocation takes effect on the next call.
 */
public enum AccessState {
    /** Filed by the consumer, awaiting the provider. */
    REQUESTED,
    /** Approved, as requested or narrowed: an agreement in force. */
    ACTIVE,
    /** The provider said no. */
    REFUSED,
    /** The consumer took the request back before a decision. */
    WITHDRAWN,
    /** The provider ended the agreement before its time. */
    REVOKED,
    /** The agreement's period ended. */
    EXPIRED;

    /** The named moves between states: the whole state machine. */
    public enum Transition {
        APPROVE(REQUESTED, ACTIVE),
        NARROW(REQUESTED, ACTIVE),
        REFUSE(REQUESTED, REFUSED),
        WITHDRAW(REQUESTED, WITHDRAWN),
        REVOKE(ACTIVE, REVOKED),
        EXPIRE(ACTIVE, EXPIRED);

        private final AccessState from;
        private final AccessState to;

        Transition(AccessState from, AccessState to) {
            this.from = from;
            this.to = to;
        }

        public AccessState from() {
            return from;
        }

        public AccessState to() {
            return to;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean canMoveTo(AccessState next) {
        for (var t : Transition.values()) {
            if (t.from == this && t.to == next) return true;
        }
        return false;
    }

    public boolean isTerminal() {
        for (var t : Transition.values()) {
            if (t.from == this) return false;
        }
        return true;
    }

    /** The state after {@code transition}; an {@link AgreementError#ILLEGAL_TRANSITION} naming both states if not allowed here. */
    public AccessState apply(Transition transition) {
        if (transition.from != this) {
            throw new MaxException(AgreementError.ILLEGAL_TRANSITION, Location.NOWHERE, transition.word(), word(),
                    transition.to.word());
        }
        return transition.to;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
