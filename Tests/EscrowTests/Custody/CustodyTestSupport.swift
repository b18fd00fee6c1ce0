import Shamir
import Sodium
import Testing

@testable import Escrow

/// The parent suite of every custody suite, so that `swift test --filter CustodyTests` runs them all.
@Suite enum CustodyTests {}

/// Fixed values for the custody suites.
enum CustodyFixture {
    /// A binding whose fields can be varied one at a time.
    static func binding(
        store: UInt8 = 0x51,
        vault: UInt8 = 0x52,
        vaultName: String = "acme",
        entry: String = "db-root",
        version: UInt8 = 0x53,
        kind: String = "password"
    ) throws -> VersionBinding {
        try VersionBinding(
            storeID: [UInt8](repeating: store, count: 16),
            vaultID: [UInt8](repeating: vault, count: 16),
            vaultName: vaultName,
            entry: entry,
            versionID: [UInt8](repeating: version, count: 16),
            kind: kind
        )
    }

    /// The binding and one variant per field.
    static func bindingVariants() throws -> [(String, VersionBinding)] {
        [
            ("store", try binding(store: 0x61)),
            ("vault id", try binding(vault: 0x62)),
            ("vault name", try binding(vaultName: "acme2")),
            ("entry", try binding(entry: "db-root2")),
            ("version", try binding(version: 0x63)),
            ("kind", try binding(kind: "note")),
        ]
    }

    /// 32 bytes `0, 1, …, 31`.
    static var countingKey: SecureBytes { SecureBytes(copying: (0..<32).map { UInt8($0) }) }

    /// A 32-byte key of one repeated byte.
    static func key(repeating byte: UInt8) -> SecureBytes {
        SecureBytes(copying: [UInt8](repeating: byte, count: 32))
    }

    /// A 32-byte re-split id.
    static func resplit(_ byte: UInt8) -> [UInt8] { [byte] + [UInt8](repeating: 0xA1, count: 31) }
}

func bytes(_ secret: SecureBytes) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }

/// A custody scenario: the holders' X25519 keys and a version dealt to them with a known key.
struct CustodyScenario {
    let binding: VersionBinding
    let key: SecureBytes
    let dealt: DealtVersion
    let boxKeys: [UInt8: BoxKeyPair]
    /// What each holder opened from the deal (digests checked).
    let components: [UInt8: [ShareComponent]]

    init(
        key: SecureBytes = CustodyFixture.countingKey,
        threshold: Int,
        holders xs: [UInt8],
        binding: VersionBinding? = nil,
        generation: Int64 = 1,
        random: inout StreamRandom
    ) throws {
        let binding = try binding ?? CustodyFixture.binding()
        var boxKeys: [UInt8: BoxKeyPair] = [:]
        for x in xs { boxKeys[x] = BoxKeyPair() }
        let dealt = try Dealer.deal(
            value: secure("correct horse battery staple"),
            key: key,
            binding: binding,
            generation: generation,
            threshold: threshold,
            holders: xs.map { DealHolder(x: $0, boxPublicKey: boxKeys[$0]?.publicKey ?? []) },
            using: &random,
            observe: { _ in }
        )
        var components: [UInt8: [ShareComponent]] = [:]
        for share in dealt.shares {
            let keys = try #require(boxKeys[share.x])
            let opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: dealt.ephemeralPublicKey)
            let position = try SharePosition(binding: binding, generation: generation, x: share.x)
            let value = try opener.open(share.sealed, position: position)
            #expect(ComponentDigest.matches(value: value, position: position, digest: share.digest))
            components[share.x] = [ShareComponent(path: share.path, value: value)]
        }
        self.binding = binding
        self.key = key
        self.dealt = dealt
        self.boxKeys = boxKeys
        self.components = components
    }

    /// Rebuilds from the holders in `xs` and checks the key against the commitment (done by the rebuilder).
    func rebuild(
        _ holders: [UInt8: [ShareComponent]],
        shape: SharingShape,
        only xs: [UInt8]? = nil,
        resolved: [[UInt8]: [UInt8]] = [:]
    ) throws -> RebuildResult {
        let chosen = xs.map { xs in holders.filter { xs.contains($0.key) } } ?? holders
        return try Rebuilder.rebuild(
            shape: shape,
            holders: chosen,
            binding: binding,
            commitment: dealt.commitment,
            resolved: resolved
        )
    }
}

/// The outcome of one simulated re-split.
struct ResplitOutcome {
    let holders: [UInt8: [ShareComponent]]
    let shape: SharingShape
    let plan: RedistributionPlan
}

/// Runs a re-split the way the event layer will: every contributor plans, prepares and sub-shares its own
/// components; each new holder collects one vector. `tamper(contributor, output)` lets a contributor cheat.
func resplit(
    _ holders: [UInt8: [ShareComponent]],
    shape: SharingShape,
    resolved: [[UInt8]: [UInt8]] = [:],
    contributors: [UInt8],
    id: [UInt8],
    newThreshold: Int,
    newHolders: [UInt8],
    random: inout StreamRandom,
    tamper: (UInt8, [UInt8: [ShareComponent]]) -> Void = { _, _ in }
) throws -> ResplitOutcome {
    let plan = try Redistributor.plan(shape: shape, resolved: resolved)
    var collected: [UInt8: [ShareComponent]] = [:]
    for contributor in contributors {
        let own = try #require(holders[contributor])
        let prepared = try Redistributor.prepare(components: own, plan: plan)
        let output = try Redistributor.subShare(
            components: prepared,
            contributorX: contributor,
            newThreshold: newThreshold,
            newHolders: newHolders,
            using: &random
        )
        tamper(contributor, output)
        for (holder, components) in output { collected[holder, default: []] += components }
    }
    let newShape = try plan.resultingShape(
        resplit: id,
        contributors: contributors,
        threshold: newThreshold,
        holders: newHolders
    )
    return ResplitOutcome(holders: collected, shape: newShape, plan: plan)
}

/// Flips `mask` into the first byte of every component a contributor sends (a shifted `g(0)`), or only into those
/// sent to `holder`.
func corrupt(_ output: [UInt8: [ShareComponent]], holder: UInt8? = nil, mask: UInt8 = 0x5A) {
    for (x, components) in output where holder == nil || holder == x {
        for component in components { component.value.withUnsafeMutableBytes { $0[0] ^= mask } }
    }
}

/// Every `size`-subset of `xs`, in lexicographic order.
func subsets(of xs: [UInt8], size: Int) -> [[UInt8]] {
    Rebuilder.subsets(of: xs.sorted(), size: size)
}
