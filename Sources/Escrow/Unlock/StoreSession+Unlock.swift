import Shamir
import Sodium

/// The checks and the execution shared by the asynchronous quorum (request → approvals → open) and the in-room
/// ceremony. Everything here runs under the store lock.
extension StoreSession {
    /// The audit actions that execute a request; a request id found in one of them never executes again.
    static let executingActions: Set<AuditAction> = [.unlockOpen, .vaultRelease, .vaultReshare]

    /// Turns an intent into the vault and the exact target, checking it against the store: the reason, the vault's
    /// state (released refuses, closed needs a force reason, active refuses one), the entries, the customer, the new
    /// policy's custodians.
    ///
    /// - Parameters:
    ///   - intent: What is asked.
    ///   - roster: The current roster.
    /// - Returns: The vault and the target.
    /// - Throws: ``EscrowError/Code/invalidInput``, ``EscrowError/Code/notFound`` or ``EscrowError/Code/conflict``.
    func resolve(_ intent: UnlockIntent, roster: Roster) throws(EscrowError) -> (vault: Vault, target: UnlockTarget) {
        try NameRules.validateReason(intent.reason)
        try NameRules.validateReason(intent.forceReason)
        let vault = try vault(named: intent.vaultName, roster: roster)
        try Self.checkState(of: vault, forceReason: intent.forceReason)
        if intent.forceReason != nil, vault.state == .active {
            throw EscrowError(
                .invalidInput,
                "vault '\(vault.name)' is active",
                hint: .forceOnlyForClosedVaults
            )
        }
        switch intent.action {
        case .open:
            guard !intent.entries.isEmpty else { throw EscrowError(.invalidInput, "name at least one entry to open") }
            for entry in intent.entries { try NameRules.validateEntryName(entry) }
            try vault.requireEntries(intent.entries)
            let entries = Array(Set(intent.entries)).sorted()
            return (vault, UnlockTarget(vault: vault, entries: entries))
        case .release:
            guard intent.customer != nil else { throw EscrowError(.invalidInput, "a release needs the customer") }
            return (vault, UnlockTarget(vault: vault))
        case .reshare:
            var seen = Set<String>()
            for name in intent.newCustodians where !seen.insert(name).inserted {
                throw EscrowError(.invalidInput, "custodian '\(name)' is named twice")
            }
            try VaultPolicy.validate(threshold: intent.newThreshold, custodianCount: intent.newCustodians.count)
            var custodians: [VaultPolicy.Custodian] = []
            for (index, name) in intent.newCustodians.enumerated() {
                let member = try roster.requireMember(named: name, joining: true)
                custodians.append(VaultPolicy.Custodian(identity: member.identity, x: UInt8(index + 1)))
            }
            let policy = VaultPolicy(threshold: intent.newThreshold, custodians: custodians)
            return (vault, UnlockTarget(vault: vault, newPolicy: policy))
        }
    }

    /// Refuses a released vault always, and a closed one unless forced with a reason.
    static func checkState(of vault: Vault, forceReason: String?) throws(EscrowError) {
        switch vault.state {
        case .active:
            break
        case .released:
            throw EscrowError(
                .conflict,
                "vault '\(vault.name)' was released to its customer: it can no longer be unlocked"
            )
        case .closed:
            guard forceReason != nil else {
                throw EscrowError(
                    .conflict,
                    "vault '\(vault.name)' is closed",
                    hint: .forceClosedVault
                )
            }
        }
    }

    /// The audit record that executed request `id`, if any.
    ///
    /// - Parameter id: A request id.
    /// - Returns: The record, or `nil`.
    /// - Throws: An I/O or parse error naming the line.
    /// - Complexity: One pass over the log; only lines containing the id's hex are parsed.
    func executingRecord(ofRequest id: HexBytes) throws(EscrowError) -> AuditRecord? {
        let text = id.description
        let needle = Array(text.utf8)
        for (index, line) in try auditLog.lines().lines.enumerated() where Self.contains(needle, in: line) {
            let record = try AuditRecord.parse(line, lineNumber: index + 1)
            if Self.executingActions.contains(record.action), record.details["request_id"] == text { return record }
        }
        return nil
    }

    /// Whether `needle` occurs in `haystack` (a cheap filter before parsing a log line).
    private static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first {
                        var offset = 1
                        while offset < pin.count, hay[index + offset] == pin[offset] { offset += 1 }
                        if offset == pin.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }

    /// The vault a target names, as the store has it now.
    ///
    /// - Throws: ``EscrowError/Code/notFound`` if the vault does not exist or is another vault of the same name.
    func targetVault(_ target: UnlockTarget, of request: UnlockRequest, roster: Roster) throws(EscrowError) -> Vault {
        let vault = try vault(named: target.vaultName, roster: roster)
        guard vault.id == target.vaultID else {
            throw EscrowError(
                .notFound,
                "vault '\(vault.name)' of this store is not the vault of request \(request.code) (another id): the request belongs to another store"
            )
        }
        return vault
    }

    /// Whether the requester is an active roster member.
    func requesterProblem(_ request: UnlockRequest, roster: Roster) -> EscrowError? {
        if let member = roster.member(fingerprint: request.requester.fingerprint),
            member.identity.signingKey == request.requester.signingKey.bytes
        {
            return nil
        }
        return EscrowError(
            .notAuthorized,
            "the requester \(request.requester.name) (\(request.requester.fingerprint)) is not in the roster of this store"
        )
    }

    /// Expiry and replay: the request-wide problems that come from time and the audit log.
    func lifetimeProblems(_ request: UnlockRequest) throws(EscrowError) -> [EscrowError] {
        var problems: [EscrowError] = []
        if store.clock.now > request.expiresAt {
            problems.append(
                EscrowError(.expired, "request \(request.code) expired at \(request.expiresAt): make a new request")
            )
        }
        if let record = try executingRecord(ofRequest: request.id) {
            problems.append(
                EscrowError(
                    .alreadyUsed,
                    "request \(request.code) was already executed (audit record \(record.seq), \(record.time)): a request executes once; make a new one"
                )
            )
        }
        return problems
    }

    /// The vault's state and generation against the target.
    func vaultProblems(_ request: UnlockRequest, target: UnlockTarget, vault: Vault) -> [EscrowError] {
        var problems: [EscrowError] = []
        do {
            try Self.checkState(of: vault, forceReason: request.forceReason)
        } catch {
            problems.append(error)
        }
        if target.generation != vault.generation {
            problems.append(
                EscrowError(
                    .conflict,
                    "request \(request.code) was made for generation \(target.generation) of vault '\(vault.name)', which was re-split since (now generation \(vault.generation)): make a new request"
                )
            )
        }
        return problems
    }

    /// What the action needs in the vault and the roster: the entries (open), the new custodians (reshare).
    func actionProblems(_ request: UnlockRequest, target: UnlockTarget, vault: Vault, roster: Roster) -> [EscrowError] {
        var problems: [EscrowError] = []
        switch request.action {
        case .open:
            do {
                try vault.requireEntries(target.entries ?? [])
            } catch {
                problems.append(error)
            }
        case .reshare:
            for custodian in target.newPolicy?.custodians ?? [] {
                guard let member = roster.member(fingerprint: custodian.fingerprint),
                    member.identity.signingKey == custodian.signingKey.bytes
                else {
                    problems.append(
                        EscrowError(
                            .notFound,
                            "custodian '\(custodian.name)' (\(custodian.fingerprint)) of the new policy is no longer in the roster"
                        )
                    )
                    continue
                }
            }
        case .release:
            break
        }
        return problems
    }

    /// Evaluates a single-vault request and its approvals against the store: see ``QuorumReport``.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approvals: The approvals given, in order.
    /// - Returns: The report.
    /// - Throws: ``EscrowError/Code/notFound`` if the vault does not exist (or is another vault of the same name),
    ///   ``EscrowError/Code/invalidInput`` for a request naming several vaults, and read errors.
    func evaluate(_ request: UnlockRequest, approvals: [ApprovalFile]) throws(EscrowError) -> QuorumReport {
        let roster = try roster()
        let target = try request.singleTarget()
        let vault = try targetVault(target, of: request, roster: roster)
        var problems: [EscrowError] = []
        if let problem = requesterProblem(request, roster: roster) { problems.append(problem) }
        problems += vaultProblems(request, target: target, vault: vault)
        problems += try lifetimeProblems(request)
        problems += actionProblems(request, target: target, vault: vault, roster: roster)

        var counted: [QuorumReport.Counted] = []
        var notCounted: [QuorumReport.NotCounted] = []
        var seen: [Fingerprint: String] = [:]
        for file in approvals {
            do throws(EscrowError) {
                try checkApproval(file.approval, for: request)
                let (custodian, share) = try checkShare(of: file.approval, target: target, vault: vault)
                try checkApprovalTime(file.approval, for: request)
                if let earlier = seen[custodian.fingerprint] {
                    throw EscrowError(
                        .conflict,
                        "\(custodian.name) (\(custodian.fingerprint)) already approved in \(earlier): each custodian counts once"
                    )
                }
                seen[custodian.fingerprint] = file.source
                counted.append(
                    QuorumReport.Counted(
                        source: file.source,
                        custodian: custodian,
                        approval: file.approval,
                        share: share
                    )
                )
            } catch {
                notCounted.append(QuorumReport.NotCounted(source: file.source, error: error))
            }
        }
        return QuorumReport(
            request: request,
            vault: vault,
            target: target,
            counted: counted,
            notCounted: notCounted,
            problems: problems
        )
    }

    /// The approval names this exact request.
    func checkApproval(_ approval: UnlockApproval, for request: UnlockRequest) throws(EscrowError) {
        guard approval.requestHash.bytes == request.hash else {
            let who = "\(approval.approver.name) (\(approval.approver.fingerprint))"
            let other = UnlockRequest.code(ofHash: approval.requestHash.bytes)
            throw EscrowError(
                .conflict,
                approval.requestID == request.id
                    ? "\(who) approved a different version of request \(request.code) (\(other)): the request file was changed"
                    : "\(who) approved request \(other), not this request \(request.code)"
            )
        }
    }

    /// The approval was given before the request expired.
    func checkApprovalTime(_ approval: UnlockApproval, for request: UnlockRequest) throws(EscrowError) {
        guard approval.approvedAt <= request.expiresAt else {
            let who = "\(approval.approver.name) (\(approval.approver.fingerprint))"
            throw EscrowError(.expired, "\(who) approved at \(approval.approvedAt), after the request expired")
        }
    }

    /// Checks an approval's share for one vault; returns the approving custodian and the share.
    func checkShare(of approval: UnlockApproval, target: UnlockTarget, vault: Vault) throws(EscrowError)
        -> (VaultPolicy.Custodian, ApprovalShare)
    {
        let share = approval.shares.first { $0.vaultID == target.vaultID }
        return try checkShare(share, of: approval, target: target, vault: vault)
    }

    /// Checks an approval's share (already looked up) for one vault.
    func checkShare(_ share: ApprovalShare?, of approval: UnlockApproval, target: UnlockTarget, vault: Vault)
        throws(EscrowError) -> (VaultPolicy.Custodian, ApprovalShare)
    {
        let who = "\(approval.approver.name) (\(approval.approver.fingerprint))"
        guard let custodian = vault.policy.custodian(fingerprint: approval.approver.fingerprint),
            custodian.signingKey == approval.approver.signingKey
        else {
            throw EscrowError(
                .notAuthorized,
                "\(who) is not a custodian of vault '\(vault.name)' (generation \(vault.generation))"
            )
        }
        guard let share else {
            throw EscrowError(.malformedFile, "\(who) sent no share for vault '\(vault.name)'")
        }
        guard share.generation == target.generation else {
            throw EscrowError(
                .conflict,
                "\(who) sent a share of generation \(share.generation) of vault '\(vault.name)', but the request is for generation \(target.generation)"
            )
        }
        guard share.x == custodian.x else {
            throw EscrowError(
                .conflict,
                "\(who) sent a share with x = \(share.x), but their share of vault '\(vault.name)' has x = \(custodian.x)"
            )
        }
        return (custodian, share)
    }

    /// Who acts and how, for the audit records of an execution.
    struct ExecutionContext {
        /// `quorum` (request and approvals) or `ceremony` (in the room).
        var mode: String
        /// The executed request, for `quorum`.
        var request: UnlockRequest?
        /// Who runs it; signs the records (and the vault file, and the bundle).
        var actor: CustodianIdentity
        /// The request's (or ceremony's) reason.
        var reason: String
        /// Set when a closed vault is unlocked.
        var forceReason: String?
    }

    /// A share collected for combination, or the reason it is bad.
    struct CollectedShare {
        var custodian: VaultPolicy.Custodian
        var share: SecureBytes?
        var problem: String?
    }

    /// The details every execution record carries: mode, action, request, generation, who approved, forcing, and
    /// the custodians whose share was bad.
    static func executionDetails(
        action: UnlockAction,
        vault: Vault,
        context: ExecutionContext,
        approvers: [VaultPolicy.Custodian],
        badShares: [VaultPolicy.Custodian]
    ) -> [String: String] {
        var details: [String: String] = ["mode": context.mode, "action": action.rawValue]
        if let request = context.request {
            details["request_id"] = request.id.description
            details["request_hash"] = Hex.encode(request.hash)
        }
        details["generation"] = String(vault.generation)
        details["approvers"] = approvers.map(\.name).joined(separator: ",")
        details["approver_fingerprints"] = approvers.map(\.fingerprint.description).joined(separator: ",")
        if let forceReason = context.forceReason {
            details["forced"] = "true"
            details["force_reason"] = forceReason
        }
        if !badShares.isEmpty {
            details["bad_shares"] = badShares.map { "\($0.name):\($0.fingerprint)" }.joined(separator: ",")
        }
        return details
    }

    /// The details a re-split adds: the new generation and the new policy.
    static func addReshareDetails(policy: VaultPolicy, generation: Int64, to details: inout [String: String]) {
        details["new_generation"] = String(generation)
        details["threshold"] = String(policy.threshold)
        details["custodians"] = policy.custodians.map { "\($0.name):\($0.fingerprint):\($0.x)" }.joined(separator: ",")
    }

    /// Combines the good shares and performs the action; or, when too few shares are good (or the key does not
    /// match), appends a failed-attempt record naming the bad custodians and throws.
    func complete(
        action: UnlockAction,
        vault: Vault,
        target: UnlockTarget,
        customer: PublicIdentity?,
        shares: [CollectedShare],
        context: ExecutionContext,
        using rng: inout some RandomSource,
        deliver: (ReleaseBundle) throws(EscrowError) -> Void
    ) throws(EscrowError) -> UnlockOutcome {
        let good = shares.filter { $0.share != nil }
        let bad = shares.filter { $0.share == nil }
        var details = Self.executionDetails(
            action: action,
            vault: vault,
            context: context,
            approvers: good.map(\.custodian),
            badShares: bad.map(\.custodian)
        )
        let badNames = bad.map { "\($0.custodian.name) (\($0.custodian.fingerprint)): \($0.problem ?? "bad share")" }

        func refuse(_ error: EscrowError) throws(EscrowError) -> Never {
            var failed = details
            failed["refused"] = error.message
            try commit(
                [],
                action: .unlockFailed,
                vault: vault.reference,
                reason: context.reason,
                details: failed,
                actor: context.actor
            )
            throw error
        }

        guard good.count >= vault.policy.threshold else {
            let first = bad.first.map {
                "the share of \($0.custodian.name) (\($0.custodian.fingerprint)) is bad: \($0.problem ?? "")"
            }
            let more = bad.count > 1 ? " (and \(bad.count - 1) more bad shares)" : ""
            try refuse(
                EscrowError(
                    .badShare,
                    "\(first ?? "too few shares")\(more); \(good.count) good shares of the \(vault.policy.threshold) vault '\(vault.name)' needs: nothing was opened"
                )
            )
        }
        let masterKey: BoxKeyPair
        do {
            masterKey = try MasterKey.combine(
                good.compactMap { collected in
                    collected.share.map { MasterKey.Share(x: collected.custodian.x, value: $0) }
                },
                publicKey: vault.publicKey.bytes
            )
        } catch {
            try refuse(
                EscrowError(
                    error.code,
                    "vault '\(vault.name)': \(error.message); nothing was opened",
                    hints: error.hints
                )
            )
        }

        let now = store.clock.now
        let approvers = good.map(\.custodian)
        switch action {
        case .open:
            let entries = try vault.openEntries(target.entries ?? [], masterKey: masterKey)
            details["entries"] = entries.map(\.name).joined(separator: ",")
            let record = try commit(
                [],
                action: context.mode == "ceremony" ? .unlockCeremony : .unlockOpen,
                vault: vault.reference,
                reason: context.reason,
                details: details,
                actor: context.actor
            )
            return UnlockOutcome(
                result: .opened(entries),
                vault: vault,
                approvers: approvers,
                badShares: badNames,
                record: record
            )
        case .release:
            guard let customer else { throw EscrowError(.invalidInput, "a release needs the customer") }
            let entries = try vault.openEntries(vault.entries.keys.sorted(), masterKey: masterKey)
            let bundle = try ReleaseBundle.make(
                entries: entries,
                vault: vault,
                customer: customer,
                releaser: context.actor,
                approvers: try approvers.map { (custodian) throws(EscrowError) in try custodian.publicIdentity() },
                request: context.request,
                reason: context.reason,
                at: now
            )
            var released = vault
            try released.markReleased()
            try released.sign(by: context.actor, at: now)
            let contents = try released.encoded()
            try deliver(bundle)
            details["customer"] = customer.name
            details["customer_fingerprint"] = customer.fingerprint.description
            details["bundle_id"] = bundle.id.description
            details["entries"] = entries.map(\.name).joined(separator: ",")
            let record = try commit(
                [FileChange(path: Vault.relativePath(name: vault.name), contents: contents)],
                action: .vaultRelease,
                vault: vault.reference,
                reason: context.reason,
                details: details,
                actor: context.actor
            )
            return UnlockOutcome(
                result: .released(bundle),
                vault: released,
                approvers: approvers,
                badShares: badNames,
                record: record
            )
        case .reshare:
            guard let policy = target.newPolicy else {
                throw EscrowError(.invalidInput, "a reshare needs the new policy")
            }
            var reshared = vault
            try reshared.reshare(to: policy, masterKey: masterKey, at: now, using: &rng)
            try reshared.sign(by: context.actor, at: now)
            Self.addReshareDetails(policy: policy, generation: reshared.generation, to: &details)
            let record = try commit(
                [FileChange(path: Vault.relativePath(name: vault.name), contents: try reshared.encoded())],
                action: .vaultReshare,
                vault: vault.reference,
                reason: context.reason,
                details: details,
                actor: context.actor
            )
            return UnlockOutcome(
                result: .reshared,
                vault: reshared,
                approvers: approvers,
                badShares: badNames,
                record: record
            )
        }
    }
}
