import Shamir
import Sodium

/// Rebuilds one credential version from approvals that re-sealed its holders' components to a recipient key (the
/// requester's for an open, the customer's for a release), and opens its value.
///
/// Every component is checked against the digest its author published before use, and the rebuilt key against the
/// depositor's commitment before the value is decrypted. Unresolved re-split levels are searched (see ``Rebuilder``).
public struct VersionRebuilder {
    let held: HeldShares

    /// Creates a rebuilder reading published values through `held`.
    ///
    /// - Parameter held: The store's (or a bundle's) published values.
    public init(held: HeldShares) {
        self.held = held
    }

    /// Rebuilds `version` from `approvals` with the recipient's `keys`.
    ///
    /// - Parameters:
    ///   - version: The version (as folded).
    ///   - vault: Its vault.
    ///   - approvals: Approval events of the request, in any order (the first `threshold` usable ones are used).
    ///   - keys: The recipient's X25519 key pair.
    ///   - used: Receives the approvals used.
    /// - Returns: The opened version and the working subset per unresolved level.
    /// - Throws: ``EscrowError/Code/quorumNotMet``, or ``EscrowError/Code/badShare`` naming the approver or
    ///   contributor whose value fails.
    public func rebuild(
        _ version: VersionState,
        in vault: VaultReference,
        approvals: [Event],
        keys: BoxKeyPair,
        used: inout Set<EventID>
    ) throws(EscrowError) -> (opened: OpenedVersion, levels: [ResolvedLevel]) {
        var holders: [UInt8: [ShareComponent]] = [:]
        var refused: [String] = []
        for approval in approvals.sorted(by: { $0.id < $1.id }) {
            guard let x = version.x(ofHolder: approval.author.key) else { continue }
            let body = try held.approvals.entry(for: approval).body
            guard let records = body.shares.first(where: { $0.version.bytes == version.id }),
                let ephemeral = body.ephemeralKey
            else { continue }
            let published = try held.published(version, x: x)
            let blame = "\(approval.author.name)'s approval of \(version.entry) (\(vault.name))"
            var components: [ShareComponent] = []
            do throws(EscrowError) {
                // Exactly the approver's own components, one per published path: a record moved to another holder,
                // dropped or repeated is the approver's doing and is named like a value that fails.
                let paths = records.components.map(\.path)
                guard records.components.allSatisfy({ $0.x == x }), paths.count == published.count,
                    Set(paths) == Set(published.map(\.record.path))
                else {
                    throw EscrowError(
                        .badShare,
                        "\(blame) does not carry exactly its holder's components (x=\(x), "
                            + "\(published.count) published, \(records.components.count) sent)"
                    )
                }
                // A sealing key that is not usable leaves this approval out, not the whole open.
                let opener: ShareOpener
                do throws(EscrowError) {
                    opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: ephemeral.bytes)
                } catch {
                    throw EscrowError(.badShare, "\(blame): \(error.message)")
                }
                for record in records.components {
                    guard let source = published.first(where: { $0.record.path == record.path }) else { continue }
                    let position = try held.position(of: version, in: vault, path: record.path, x: x)
                    let value = try held.checked(
                        { () throws(EscrowError) in try opener.open(record.sealed.bytes, position: position) },
                        digest: source.digest,
                        position: position,
                        blame: blame
                    )
                    components.append(ShareComponent(path: record.path, value: value))
                }
            } catch {
                // A bad value is named and its approval left out; the others may still reach the threshold.
                refused.append(error.message)
                continue
            }
            guard components.count == published.count, !components.isEmpty else { continue }
            holders[x] = components
            used.insert(approval.id)
            if holders.count == version.threshold { break }
        }
        guard holders.count >= version.threshold else {
            if let first = refused.first { throw EscrowError(.badShare, first) }
            throw EscrowError(
                .quorumNotMet,
                "\(version.entry) (\(vault.name)): \(holders.count) of the \(version.threshold) holder approvals "
                    + "it needs"
            )
        }
        let binding = try held.binding(of: version, in: vault)
        let shape = try SharingShape(
            threshold: version.threshold,
            holders: holders.keys.sorted(),
            levels: try version.sharingLevels()
        )
        let result = try Rebuilder.rebuild(
            shape: shape,
            holders: holders,
            binding: binding,
            commitment: version.commitment,
            resolved: version.resolvedSubsets
        )
        defer { result.key.wipe() }
        let deposit = try held.deposit(of: version).record
        let value = try ValueSeal.open(deposit.sealedValue.bytes, key: result.key, binding: binding)
        let opened = OpenedVersion(
            vault: vault.name,
            entry: version.entry,
            kind: version.kind,
            version: version.id,
            depositor: version.depositor,
            depositedAt: version.depositedAt,
            metadata: version.metadata,
            value: value,
            suspects: result.suspects,
            refusedApprovals: refused
        )
        var resolved: [ResolvedLevel] = []
        for (index, level) in version.levels.enumerated() where index < result.subsets.count && level.resolved == nil {
            resolved.append(ResolvedLevel(resplit: level.resplit.bytes, subset: result.subsets[index]))
        }
        return (opened, resolved)
    }
}
