import Escrow

/// How a bulk re-split is described to the people who request, approve, check and execute it: counts and the policy
/// changes grouped, every vault only with `--list`.
enum BulkSummary {
    /// `20 vaults: 3 of 5 → 3 of 5: remove bob; add frank`, one line per distinct change.
    static func changes(_ changes: [(change: PolicyChange, count: Int)]) -> [String] {
        changes.map { "\(vaults($0.count)): \($0.change)" }
    }

    /// The distinct changes of vaults whose current policy is known.
    static func changes(_ pairs: [(old: VaultPolicy, new: VaultPolicy)]) -> [String] {
        var counts: [PolicyChange: Int] = [:]
        var order: [PolicyChange] = []
        for pair in pairs {
            let change = PolicyChange(from: pair.old, to: pair.new)
            if counts[change] == nil { order.append(change) }
            counts[change, default: 0] += 1
        }
        return changes(order.map { ($0, counts[$0] ?? 0) }.sorted { $0.count > $1.count })
    }

    /// `20 vaults now 3 of 5 (alice, carol, dave, erin, frank)`, one line per distinct policy.
    static func policies(_ policies: [VaultPolicy]) -> [String] {
        var counts: [VaultPolicy: Int] = [:]
        var order: [VaultPolicy] = []
        for policy in policies {
            if counts[policy] == nil { order.append(policy) }
            counts[policy, default: 0] += 1
        }
        return order.sorted { (counts[$0] ?? 0) > (counts[$1] ?? 0) }.map {
            "\(vaults(counts[$0] ?? 0)) now \(RequestSummary.policy($0))"
        }
    }

    /// `1 vault`, `20 vaults`.
    static func vaults(_ count: Int) -> String { count == 1 ? "1 vault" : "\(count) vaults" }

    /// `3 of 5 (alice, bob, carol, dave, erin) → 3 of 5 (alice, carol, dave, erin, frank)`.
    static func transition(_ old: VaultPolicy?, _ new: VaultPolicy?) -> String {
        "\(old.map(RequestSummary.policy) ?? "?") → \(new.map(RequestSummary.policy) ?? "?")"
    }

    /// `3 left out: 1 released to its customer…; 2 holds no share of bob` (grouped by reason).
    static func skipped(_ reasons: [String]) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for reason in reasons {
            if counts[reason] == nil { order.append(reason) }
            counts[reason, default: 0] += 1
        }
        return order.map { "\(counts[$0] ?? 0) \($0)" }.joined(separator: "; ")
    }

    /// Who must approve: each current custodian with the number of vaults of the plan they hold a share of.
    static func approvers(_ plan: ResharePlan) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for item in plan.items {
            for custodian in item.vault.policy.custodians {
                if counts[custodian.name] == nil { order.append(custodian.name) }
                counts[custodian.name, default: 0] += 1
            }
        }
        return order.map { "\($0) (\(counts[$0] ?? 0))" }.joined(separator: ", ")
    }
}
