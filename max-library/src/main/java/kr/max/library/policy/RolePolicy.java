package kr.max.library.policy;

import kr.max.core.Classification;
import kr.max.core.Role;

/**
 * The single-library policy until organizations and agreements exist: each action needs its role,
 * and internal or stricter data stays with its owner unless a steward acts.
 */
public final class RolePolicy implements PolicyEngine {

    @Override
    public Decision decide(AccessRequest r) {
        Role needed = switch (r.action()) {
            case INGEST, DESCRIBE, DELETE -> Role.PROVIDER;
            case READ_METADATA, QUERY, EXPORT, TRAIN -> Role.CONSUMER;
            case AUDIT -> Role.AUDITOR;
            case MANAGE_IDENTITIES -> Role.ADMIN;
        };
        if (!r.principal().has(needed)) return new Decision.Deny("role-" + needed.word() + "-required");
        if (r.action() == Action.AUDIT || r.action() == Action.MANAGE_IDENTITIES || r.classification() == null) return new Decision.Permit("role-" + needed.word());
        boolean owner = r.principal().name().equals(r.owner());
        if ((r.action() == Action.DELETE || r.action() == Action.DESCRIBE) && !owner && !r.principal().has(Role.STEWARD)) {
            return new Decision.Deny(r.action().word() + "-owner-or-steward-only");
        }
        if (r.classification() != Classification.PUBLIC && !owner && !r.principal().has(Role.STEWARD)) {
            return new Decision.Deny("owner-only-until-agreements");
        }
        return new Decision.Permit("role-" + needed.word());
    }
}
