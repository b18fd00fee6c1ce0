import Escrow

/// What a request asks, in words, for the people who approve it, check its status or open it.
enum RequestSummary {
    /// One line: `open root-password of vault 'acme'`, `release every entry of vault 'acme' to …`, `re-split …`.
    static func action(_ request: UnlockRequest, vault: Vault?) -> String {
        if request.targets.count > 1 { return "re-split \(BulkSummary.vaults(request.targets.count))" }
        return action(
            request.action,
            target: request.targets.first,
            customer: request.customer.map { "\($0.name) (\($0.fingerprint))" },
            vault: vault
        )
    }

    static func action(_ action: UnlockAction, target: UnlockTarget?, customer: String?, vault: Vault?) -> String {
        let name = target?.vaultName ?? vault?.name ?? "?"
        switch action {
        case .open:
            return "open \((target?.entries ?? []).joined(separator: ", ")) of vault '\(name)'"
        case .release:
            return
                "release every entry of vault '\(name)' to the customer \(customer ?? "?") and mark the vault released"
        case .reshare:
            let from = vault.map { " from \(policy($0.policy))" } ?? ""
            return "re-split vault '\(name)'\(from) to \(target?.newPolicy.map(policy) ?? "?")"
        }
    }

    /// The block shown before a bulk approval: the request, the policy changes of the vaults the custodian holds, the
    /// vaults left out, and with `list` every vault.
    static func bulkLines(_ request: UnlockRequest, review: ApprovalReview, list: Bool) -> [String] {
        var lines = [
            "Request \(request.code) from \(request.requester.name) (\(request.requester.fingerprint))",
            "  action:     re-split \(BulkSummary.vaults(request.targets.count))",
        ]
        let changes = BulkSummary.changes(
            review.held.compactMap { held in held.target.newPolicy.map { (held.vault.policy, $0) } }
        )
        for (index, change) in changes.enumerated() {
            lines.append((index == 0 ? "  changes:    " : "              ") + change)
        }
        lines.append("  reason:     \(request.reason)")
        lines.append("  created:    \(request.createdAt)")
        lines.append("  expires:    \(request.expiresAt)")
        if let forceReason = request.forceReason {
            lines.append("  FORCED:     closed vaults included; force reason: \(forceReason)")
        }
        lines.append(
            "  you:        \(review.approver.name) (\(review.approver.fingerprint)), holding a share of \(review.held.count) of the \(request.targets.count) vaults"
                + (review.notHeld > 0 ? " (you hold no share of the other \(review.notHeld))" : "")
        )
        if !review.skipped.isEmpty {
            lines.append(
                "  left out:   \(BulkSummary.vaults(review.skipped.count)) you hold cannot be approved now (first: \(review.skipped[0].error.cliMessage))"
            )
        }
        if list {
            for held in review.held {
                lines.append(
                    "    \(held.vault.name.padded(24)) x=\(held.custodian.x)  \(BulkSummary.transition(held.vault.policy, held.target.newPolicy))"
                )
            }
            for skipped in review.skipped {
                lines.append("    \(skipped.vaultName.padded(24)) left out: \(skipped.error.cliMessage)")
            }
        } else if review.held.count > 1 {
            lines.append("  (--list shows every vault)")
        }
        return lines.map(NameRules.terminalSafe)
    }

    /// `3 of 5 (alice, bob, carol, dave, erin)`.
    static func policy(_ policy: VaultPolicy) -> String {
        "\(policy.summary) (\(policy.custodians.map(\.name).joined(separator: ", ")))"
    }

    /// The block shown before an approval and by `unlock status`.
    static func lines(_ request: UnlockRequest, vault: Vault) -> [String] {
        var lines = [
            "Request \(request.code) from \(request.requester.name) (\(request.requester.fingerprint))",
            "  action:     \(action(request, vault: vault))",
            "  vault:      \(vault.name) (id \(vault.id), generation \(vault.generation), \(vault.policy.summary) custodians must approve)",
        ]
        if !vault.metadata.isEmpty {
            let account = vault.metadata.keys.sorted().map { "\($0)=\(vault.metadata[$0] ?? "")" }
            lines.append("  account:    " + account.joined(separator: " "))
        }
        lines.append("  reason:     \(request.reason)")
        lines.append("  created:    \(request.createdAt)")
        lines.append("  expires:    \(request.expiresAt)")
        if let forceReason = request.forceReason {
            lines.append("  FORCED:     vault '\(vault.name)' is \(vault.state.rawValue); force reason: \(forceReason)")
        }
        return lines.map(NameRules.terminalSafe)
    }
}
