package kr.max.library.policy;

/**
 * The one decision point for every access to library data, from every path (CLI, HTTP, models,
 * agent). Implementations must be pure: same request, same decision. {@link GovernancePolicy} is the
 * library's.
 */
public interface PolicyEngine {

    Decision decide(AccessRequest request);
}
