import Escrow

/// What a request asks, in words, for the people who approve it, check its status or open it.
enum RequestSummary {
    /// One line: `open root-password of vault 'acme'`, `release every entry of vault 'acme' to …`, `re-split …`.
    static func action(_ request: UnlockRequest, vault: Vault?) -> String {
        action(
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
