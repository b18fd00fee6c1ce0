import Platform
import Sodium
import Testing

@testable import Escrow

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A custodian whose key is fixed by `seedByte` (every seed byte equal), for byte-exact events.
func ledgerIdentity(_ name: String, seedByte: UInt8) throws -> CustodianIdentity {
    let keyPair = try SigningKeyPair(seed: SecureBytes(copying: [UInt8](repeating: seedByte, count: 32)))
    return try CustodianIdentity(name: name, email: "", keyPair: keyPair)
}

/// The store id `00 01 … 0f`.
let ledgerStoreID: [UInt8] = Array(0..<16)

/// 2026-12-03T09:00:00Z plus `offset` seconds.
func ledgerTime(_ offset: Int64 = 0) -> UTCTime {
    UTCTime(secondsSinceEpoch: 1_796_288_400 + offset)
}

func ledgerGenesis(
    _ author: CustodianIdentity,
    store: [UInt8] = ledgerStoreID,
    name: String = "acme"
) throws -> Event {
    try Event.make(
        store: store,
        type: "genesis",
        author: author,
        parents: [],
        previous: nil,
        time: ledgerTime(),
        body: .object(["store_name": .string(name), "roster_quorum": .int(2)])
    )
}

func ledgerEvent(
    _ author: CustodianIdentity,
    parents: [EventID],
    previous: EventID?,
    store: [UInt8] = ledgerStoreID,
    type: String = "roster",
    tag: Int64 = 0
) throws -> Event {
    try Event.make(
        store: store,
        type: type,
        author: author,
        parents: parents,
        previous: previous,
        time: ledgerTime(tag),
        body: .object(["tag": .int(tag)])
    )
}

/// SplitMix64: a deterministic generator for random DAGs and shuffles.
struct LedgerSplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random DAG of `count` events (genesis included) by `authors`, each author linear (its previous event is always
/// among the new event's parents), plus brute-force ancestor sets.
struct LedgerRandomDAG {
    var events: [Event] = []
    var ancestors: [EventID: Set<EventID>] = [:]

    init(count: Int, authors: [CustodianIdentity], seed: UInt64, forker: CustodianIdentity? = nil) throws {
        var random = LedgerSplitMix(seed: seed)
        let genesis = try ledgerGenesis(authors[0])
        events.append(genesis)
        ancestors[genesis.id] = []
        var last: [[UInt8]: EventID] = [authors[0].publicIdentity.signingKey: genesis.id]
        let everyone = authors + (forker.map { [$0] } ?? [])
        for tag in 1..<Int64(count) {
            let author = everyone[Int(random.next() % UInt64(everyone.count))]
            let key = author.publicIdentity.signingKey
            var parents: Set<EventID> = []
            let wanted = 1 + Int(random.next() % 3)
            // Favour recent events so that the DAG is deep as well as wide.
            for _ in 0..<wanted {
                let window = min(events.count, 12)
                parents.insert(events[events.count - 1 - Int(random.next() % UInt64(window))].id)
            }
            var previous: EventID?
            if author.publicIdentity.signingKey == forker?.publicIdentity.signingKey {
                // The forker names its latest own event among the new event's ancestors: it forks whenever its last
                // event is not among them.
                let reach = parents.union(parents.flatMap { ancestors[$0] ?? [] })
                previous = events.last { $0.author.key == key && reach.contains($0.id) }?.id
            } else if let own = last[key] {
                parents.insert(own)
                previous = own
            }
            let event = try ledgerEvent(author, parents: Array(parents), previous: previous, tag: tag)
            events.append(event)
            ancestors[event.id] = parents.union(parents.flatMap { ancestors[$0] ?? [] })
            last[key] = event.id
        }
    }

    func isAncestor(_ a: EventID, of b: EventID) -> Bool { ancestors[b]?.contains(a) ?? false }
}

/// The git environment of the tests: a fixed identity and no user or system configuration.
func ledgerGitEnvironment(home: String) -> [String: String] {
    [
        "GIT_AUTHOR_NAME": "Escrow Tests", "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "Escrow Tests", "GIT_COMMITTER_EMAIL": "tests@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": home, "GIT_TERMINAL_PROMPT": "0",
    ]
}

/// Runs git in `directory` and requires success.
@discardableResult
func ledgerGit(_ arguments: [String], in directory: String, home: String) throws -> String {
    let result = try ChildProcess.run(
        "git",
        ["-C", directory, "-c", "init.defaultBranch=main"] + arguments,
        environment: ledgerGitEnvironment(home: home),
        outputLimit: 1 << 20
    )
    let errorText = String(decoding: result.errorOutput, as: UTF8.self)
    #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(errorText)")
    return String(decoding: result.output, as: UTF8.self)
}

func ledgerSymlink(_ target: String, at path: String) {
    #expect(symlink(target, path) == 0, "symlink \(path)")
}

func ledgerFileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}
