import Escrow
import Sodium

/// A request of the store as the unlock commands show it: found by a unique prefix of its event id, with what
/// approvers see (the approve screen), its progress per target, and who may still approve it.
struct UnlockRequest {
    /// The folded request.
    let state: RequestState
    /// The request event (for its parents).
    let event: Event
    /// The store's folded state.
    let store: LedgerState

    /// One line of progress: a version (open, release) or a vault (re-split, close, reopen).
    struct Progress {
        /// What is counted, for people (`root-password of acme (version 3f2a91c40b7d)`, `vault acme`).
        let subject: String
        /// Valid approvals that count for it.
        let approvals: Int
        /// Approvals needed.
        let needed: Int
        /// Custodians a re-split adds who have not acknowledged custody yet.
        let missingAcknowledgements: [String]

        /// Whether this part is ready.
        var isReady: Bool { approvals >= needed && missingAcknowledgements.isEmpty }

        /// `approved (3 of 3 needed)`, `waiting: 1 approval of 3 needed (2 more)`, plus missing acknowledgements.
        var wording: String {
            var text: String
            if approvals >= needed {
                text =
                    approvals == needed
                    ? "approved (\(approvals) of \(needed) needed)"
                    : "approved (\(Console.counted(approvals, "approval")); \(needed) needed)"
            } else {
                text =
                    "waiting: \(Console.counted(approvals, "approval")) of \(needed) needed (\(needed - approvals) more)"
            }
            if !missingAcknowledgements.isEmpty {
                text += "; custody not yet acknowledged by " + missingAcknowledgements.joined(separator: ", ")
            }
            return text
        }
    }

    /// `subject: wording` per row; past five rows (unless `listAll`), rows of the same wording are counted on one
    /// line (`9,998 vaults: waiting: 1 approval of 3 needed (2 more)`), in the order their wording first appears,
    /// so that a bulk request's progress is a few lines.
    ///
    /// - Parameters:
    ///   - rows: Progress rows.
    ///   - listAll: One line per row however many there are.
    /// - Returns: The lines (without indentation).
    static func lines(of rows: [Progress], listAll: Bool = false) -> [String] {
        guard rows.count > 5, !listAll else { return rows.map { "\($0.subject): \($0.wording)" } }
        return OrderedGroups.of(rows, by: \.wording).map { wording, group in
            guard group.count > 1, let first = group.first else { return "\(group.first?.subject ?? ""): \(wording)" }
            let noun = first.subject.hasPrefix("vault ") ? "vault" : "version"
            return "\(Console.counted(group.count, noun)): \(wording)"
        }
    }

    /// Refuses to carry out a request that is done: already executed, or expired (the refusals of `unlock execute`
    /// and the ceremony that are not about approvals).
    ///
    /// - Parameter now: The current time.
    /// - Throws: ``CLIError`` naming the reason (not ready, for an expired request).
    func checkNotDone(at now: UTCTime) throws {
        if let execution = state.execution {
            throw CLIError("request \(id.short) was already executed (event \(execution.short)): nothing to do")
        }
        if isLapsed(at: now) {
            throw CLIError(
                "request \(id.short) expired at \(state.body.expiresAt): make a new request",
                status: .notReady
            )
        }
    }

    /// Finds a request by a unique prefix of its event id.
    ///
    /// - Parameters:
    ///   - prefix: At least 4 hex digits of the request event id.
    ///   - ledger: The open store.
    /// - Returns: The request.
    /// - Throws: ``CLIError`` for a malformed, unknown or ambiguous id.
    static func find(_ prefix: String, in ledger: Ledger) throws -> UnlockRequest {
        let text = prefix.lowercased()
        guard text.count >= 4, text.count <= 64, text.allSatisfy({ $0.isHexDigit }) else {
            throw CLIError(
                "'\(NameRules.printable(prefix))' is not a request id: give at least 4 hex digits of the id that "
                    + "'escrow unlock request' or 'escrow unlock pending' printed"
            )
        }
        let matches = ledger.state.requests.keys.filter { $0.description.hasPrefix(text) }.sorted()
        guard let id = matches.first else {
            throw CLIError(
                "no request \(text) in your copy of the store: run 'escrow sync' — your copy may be behind"
            )
        }
        guard matches.count == 1 else {
            throw CLIError(
                "request id \(text) is ambiguous (\(matches.map(\.short).joined(separator: ", "))): give more digits"
            )
        }
        guard let state = ledger.state.requests[id], let event = ledger.graph.event(id) else {
            throw CLIError("no request \(text) in your copy of the store: run 'escrow sync' — your copy may be behind")
        }
        return UnlockRequest(state: state, event: event, store: ledger.state)
    }

    /// The request event id.
    var id: EventID { state.event }

    /// The action.
    var action: RequestAction { state.body.action }

    /// The requester's public identity, if still a member.
    var requester: PublicIdentity? { store.members[state.requesterKey]?.identity }

    /// `alice (3F2A-91C4-0B7D-55E2-A1C9)`.
    var requesterLine: String {
        requester.map { "\($0.name) (\($0.fingerprint))" } ?? "\(state.requester) (no longer a member)"
    }

    /// A short fingerprint of any bytes, in the style of event fingerprints (`3F2A-91C4-0B7D-55E2-A1C9`).
    ///
    /// - Parameter bytes: Public bytes (a key, a list of heads).
    /// - Returns: The fingerprint.
    static func fingerprint(of bytes: [UInt8]) -> String {
        let digest = GenericHash.hash(bytes, count: EventID.byteCount)
        return (try? EventID(bytes: digest).fingerprint) ?? "?"
    }

    /// A short fingerprint of the heads the requester signed on top of (the request's parents), to compare with the
    /// requester out of band: a request made on a withheld fork shows another fingerprint.
    var headsFingerprint: String {
        Self.fingerprint(of: event.parents.sorted().flatMap(\.bytes))
    }

    /// Whether the request is past its deadline for approvals without being executed.
    ///
    /// - Parameter now: The current time.
    /// - Returns: `true` once past its deadline.
    func isExpired(at now: UTCTime) -> Bool { state.execution == nil && now > state.body.expiresAt }

    /// Whether the request expired short of its quorum: no approval can be added any more, so it can never be carried
    /// out. (A request that reached its quorum before its deadline can still be opened or executed afterwards.)
    ///
    /// - Parameter now: The current time.
    /// - Returns: `true` once past its deadline without the approvals it needs.
    func isLapsed(at now: UTCTime) -> Bool { isExpired(at: now) && !isReady }

    /// Whether `key` approved already.
    ///
    /// - Parameter key: An Ed25519 public key.
    /// - Returns: `true` if its approval is recorded.
    func isApproved(by key: [UInt8]) -> Bool { state.approvals[key] != nil }

    /// The vaults of the request as bound in its events, with the store's current state of each.
    var vaults: [(target: RequestTarget, vault: VaultState?)] {
        state.body.targets.map { ($0, store.vault($0.vault)) }
    }

    /// Whether the holder of `key` can approve: it holds a share of a requested version (open, release), of any
    /// version of a target vault (re-split), or is a custodian of a target's policy (close, reopen).
    ///
    /// - Parameter key: An Ed25519 public key.
    /// - Returns: `true` if an approval by it would count.
    func canApprove(_ key: [UInt8]) -> Bool { state.canBeApproved(by: key, in: store) }

    /// Progress per version (open, release) or per vault (other actions).
    var progress: [Progress] {
        var rows: [Progress] = []
        for (target, vault) in vaults {
            guard let vault else {
                rows.append(
                    Progress(
                        subject: "vault \(target.vault.name)",
                        approvals: 0,
                        needed: 1,
                        missingAcknowledgements: []
                    )
                )
                continue
            }
            for tally in state.tally(of: target, in: vault) {
                let subject =
                    switch tally.subject {
                    case .version(let version):
                        "\(version.entry) of \(vault.reference.name) (version \(Hex.encode(version.id).prefix(12)))"
                    case .vault: "vault \(vault.reference.name)"
                    }
                rows.append(
                    Progress(
                        subject: subject,
                        approvals: tally.approvals,
                        needed: tally.needed,
                        missingAcknowledgements: tally.missingAcknowledgements
                    )
                )
            }
        }
        return rows
    }

    /// Whether every part has its approvals and acknowledgements.
    var isReady: Bool { progress.allSatisfy(\.isReady) }

    /// `3 of alice, bob, carol, dave, erin`.
    static func describe(_ policy: PolicyRecord) -> String {
        "\(policy.threshold) of " + policy.custodians.map(\.name).joined(separator: ", ")
    }

    /// Who learns what when the request is carried out, one line per version or vault.
    ///
    /// - Parameters:
    ///   - listAll: List every vault of a bulk re-split rather than a count and a summary.
    ///   - done: Word it as done (after an execution) rather than to come.
    /// - Returns: The lines.
    func consequences(listAll: Bool = false, done: Bool = false) -> [String] {
        let who = state.body.recipient?.name ?? state.requester
        switch action {
        case .open, .release:
            let learner = action == .open ? state.requester : who
            var parts: [String] = []
            for (target, vault) in vaults {
                for id in target.versions {
                    guard let version = vault?.version(id.bytes) else {
                        parts.append("an unknown version \(Hex.encode(id.bytes).prefix(12)) of \(target.vault.name)")
                        continue
                    }
                    parts.append(
                        "\(version.entry) of \(target.vault.name) (version \(Hex.encode(version.id).prefix(12)), "
                            + "deposited by \(version.depositor) at \(version.depositedAt))"
                    )
                }
            }
            return [
                "\(learner) \(done ? "can now learn" : "will learn") " + parts.joined(separator: ", ")
                    + " and nothing else."
            ]
        case .resplit:
            // Every vault's change, grouped by change (a bulk re-split gives thousands of vaults the same one, and
            // a vault given another one must stand out, not hide behind the first few).
            let changes = state.body.targets.map { target in
                let vault = store.vault(target.vault)
                let before = vault.map { Self.describe($0.policies[target.generation] ?? $0.policy) } ?? "?"
                let after = target.policy.map(Self.describe) ?? "?"
                return (vault: target.vault.name, change: "\(before) -> \(after)")
            }
            guard !listAll else { return changes.map { "\($0.vault): \($0.change)" } }
            return OrderedGroups.of(changes, by: \.change).map { change, group in
                "\(Console.vaultGroup(group.map(\.vault))): \(change)"
            }
        case .close:
            return state.body.targets.map {
                "vault \($0.vault.name) \(done ? "is now" : "will be") closed: unlocks are refused unless forced."
            }
        case .reopen:
            return state.body.targets.map { "vault \($0.vault.name) \(done ? "is now reopened" : "will be reopened")." }
        }
    }

    /// The approve screen: everything an approver decides on.
    ///
    /// - Parameter listAll: List every vault of a bulk re-split.
    /// - Returns: The lines.
    func screen(listAll: Bool = false) -> [String] {
        var lines = [
            "Request \(id.short): \(action.rawValue)" + (state.body.force ? " (forced on a closed vault)" : "")
        ]
        let targets = state.body.targets
        for target in targets.prefix(listAll ? Int.max : 5) {
            lines.append("  vault:     \(target.vault.name) (id \(Hex.encode(target.vault.id.bytes).prefix(12)))")
        }
        if targets.count > 5, !listAll { lines.append("  vaults:    \(targets.count) in all (--list shows every one)") }
        for line in consequences(listAll: listAll) { lines.append("  effect:    \(line)") }
        if let recipient = state.body.recipient {
            lines.append("  recipient: \(recipient.name), key \(Self.fingerprint(of: recipient.key.bytes))")
        }
        lines.append("  reason:    \(state.body.reason)")
        lines.append("  requester: \(requesterLine)")
        lines.append("  made at:   \(state.time); expires at \(state.body.expiresAt)")
        lines.append("  heads:     \(headsFingerprint) (compare with the requester out of band)")
        return lines
    }

    /// The request as JSON (public data only).
    ///
    /// - Parameter now: The current time.
    /// - Returns: The object.
    func json(at now: UTCTime) -> [String: JSONValue] {
        [
            "id": .string(id.description), "short_id": .string(id.short), "action": .string(action.rawValue),
            "requester": .string(state.requester), "reason": .string(state.body.reason),
            "expires_at": .string(state.body.expiresAt.description), "made_at": .string(state.time.description),
            "expired": .bool(isLapsed(at: now)), "executed": .bool(state.execution != nil),
            "ready": .bool(isReady), "heads_fingerprint": .string(headsFingerprint),
            "recipient": state.body.recipient.map { .string($0.name) } ?? .null,
            "recipient_fingerprint": state.body.recipient.map { .string(Self.fingerprint(of: $0.key.bytes)) } ?? .null,
            "vaults": .array(state.body.targets.map { .string($0.vault.name) }),
            "effects": .array(consequences(listAll: true).map(JSONValue.string)),
            "progress": .array(
                progress.map {
                    .object([
                        "subject": .string($0.subject), "approvals": .int(Int64($0.approvals)),
                        "needed": .int(Int64($0.needed)), "ready": .bool($0.isReady),
                        "missing_acknowledgements": .array($0.missingAcknowledgements.map(JSONValue.string)),
                    ])
                }
            ),
        ]
    }
}
