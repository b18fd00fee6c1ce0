extension Fold {
    /// Checks what an approval of an open or a release carries without any secret: for every requested version its
    /// author holds, exactly one entry of that holder's components (its own x-coordinate, distinct paths, at least
    /// one), and nothing else. An approval that leaves a version out, repeats one, adds one it does not hold or the
    /// request does not name, or sends another holder's components would count towards the quorum and then fail
    /// at the open; it is refused here instead, so progress and status are truthful. (Whether each value opens and
    /// matches its author's digest is the open's check: the fold holds no key.)
    ///
    /// - Parameters:
    ///   - shares: The approval's re-sealed components, per version.
    ///   - key: The approver's signing key.
    ///   - request: The request approved.
    /// - Throws: ``Refusal`` saying what is wrong.
    func checkSharedVersions(_ shares: [VersionComponents], by key: [UInt8], for request: RequestState)
        throws(Refusal)
    {
        var expected: [[UInt8]: (x: UInt8, entry: String)] = [:]
        for target in request.body.targets {
            let vault = try vault(target.vault)
            for id in target.versions {
                guard let version = vault.version(id.bytes), let x = version.x(ofHolder: key) else { continue }
                expected[version.id] = (x, "\(version.entry) (\(vault.reference.name))")
            }
        }
        var seen: Set<[UInt8]> = []
        for entry in shares {
            guard let holder = expected[entry.version.bytes] else {
                throw Refusal(
                    "the approval carries version \(Hex.encode(entry.version.bytes).prefix(12)), which the request "
                        + "does not name or its author does not hold"
                )
            }
            guard seen.insert(entry.version.bytes).inserted else {
                throw Refusal("the approval carries \(holder.entry) twice")
            }
            let paths = entry.components.map(\.path)
            guard !paths.isEmpty, Set(paths).count == paths.count, entry.components.allSatisfy({ $0.x == holder.x })
            else {
                throw Refusal("the approval's components of \(holder.entry) are not its holder's (x=\(holder.x))")
            }
        }
        // The first missing version by id: the message is the same on every clone (dictionary order is not).
        let missing = expected.filter { !seen.contains($0.key) }.min { $0.key.lexicographicallyPrecedes($1.key) }
        if let missing {
            throw Refusal("the approval leaves out \(missing.value.entry), which its author holds")
        }
    }
}
