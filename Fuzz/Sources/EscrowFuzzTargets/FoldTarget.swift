import CanonicalJSON
import Escrow

/// The fold of a fuzzer-built DAG: a genesis plus up to 24 events re-signed from the fixture's bodies (roster changes
/// with endorsements, vault create, custody acks, deposits, request, approvals, execution) with fuzzer-chosen authors,
/// parents, `previous` links (forks included), times and body edits, some fixture events kept verbatim. The graph
/// is built and folded from two fuzzer-chosen file orders: both must agree (both refuse, or give the same state), and
/// every refusal and finding is a well-formed line.
enum FoldTarget {
    static func run(_ input: inout FuzzInput) {
        let fixture = Fixture.shared
        let pool = fixture.events
        let genesis = pool[0]
        var events = [genesis]
        var latest: [[UInt8]: EventID] = [genesis.author.key: genesis.id]
        let count = Int(input.byte() % 24) + 1
        for _ in 0..<count {
            guard input.remaining > 0 else { break }
            let template = pool[1 + Int(input.byte()) % (pool.count - 1)]
            let flags = input.byte()
            if flags & 0x80 != 0, template.parents.allSatisfy({ id in events.contains { $0.id == id } }),
                !events.contains(template)
            {
                events.append(template)
                latest[template.author.key] = template.id
                continue
            }
            var author = fixture.identity(for: template.author.key) ?? fixture.people[0]
            if flags & 0x01 != 0 { author = fixture.people[Int(input.byte()) % fixture.people.count] }
            let key = author.publicIdentity.signingKey
            var parents: Set<EventID> = []
            for _ in 0..<(Int(input.byte() % 3) + 1) {
                parents.insert(events[Int(input.byte()) % events.count].id)
            }
            var previous = latest[key]
            if flags & 0x02 != 0 {
                // A fork: the previous link points at one of the author's earlier events (or none).
                let own = events.filter { $0.author.key == key }
                let pick = Int(input.byte()) % (own.count + 1)
                previous = pick < own.count ? own[pick].id : nil
            }
            if let previous, flags & 0x04 == 0 { parents.insert(previous) }
            var body = template.body
            if flags & 0x08 != 0 { body = mutate(body, &input, pool: pool) }
            let seconds = Int64(input.byte()) - 64
            do {
                let event = try Event.make(
                    store: genesis.store,
                    type: flags & 0x10 != 0 ? pool[Int(input.byte()) % pool.count].type : template.type,
                    author: author,
                    parents: Array(parents),
                    previous: previous,
                    time: UTCTime(secondsSinceEpoch: template.time.secondsSinceEpoch + seconds),
                    body: body
                )
                events.append(event)
                latest[key] = event.id
            } catch {
                checkMessage(error.message, "fold: make")
            }
        }
        var first = events
        var second = events
        shuffle(&first, &input)
        shuffle(&second, &input)
        let one = graph(first)
        let two = graph(second)
        switch (one, two) {
        case (.failure(let a), .failure(let b)):
            checkMessage(a.message, "fold: graph")
            checkMessage(b.message, "fold: graph")
            require(a.code == b.code, "fold: the graph refuses differently in another order")
        case (.success(let a), .success(let b)):
            require(a.canonicalOrder == b.canonicalOrder, "fold: the canonical order depends on the file order")
            require(a.heads == b.heads, "fold: the heads depend on the file order")
            let stateA = Fold.run(a)
            let stateB = Fold.run(b)
            compare(stateA, stateB)
            for finding in stateA.findings { checkMessage(finding.message, "fold: finding") }
        default:
            fail("fold: one file order builds a graph, the other refuses")
        }
    }

    static func graph(_ events: [Event]) -> Result<EventGraph, EscrowError> {
        do {
            return .success(try EventGraph(events: events))
        } catch {
            return .failure(error)
        }
    }

    /// Fisher–Yates with fuzzer bytes.
    static func shuffle(_ events: inout [Event], _ input: inout FuzzInput) {
        guard events.count > 1 else { return }
        for i in stride(from: events.count - 1, to: 0, by: -1) {
            events.swapAt(i, Int(input.byte()) % (i + 1))
        }
    }

    /// One edit of a body: a top-level member removed, replaced by another body's member of the same name, or set
    /// to a small scalar.
    static func mutate(_ body: JSONValue, _ input: inout FuzzInput, pool: [Event]) -> JSONValue {
        guard case .object(let members) = body, !members.isEmpty else { return body }
        let keys = members.keys.sorted()
        let key = keys[Int(input.byte()) % keys.count]
        switch input.byte() % 4 {
        case 0: return body.removing(key)
        case 1:
            let donor = pool[Int(input.byte()) % pool.count].body
            return donor[key].map { body.setting(key, to: $0) } ?? body
        case 2: return body.setting(key, to: .int(Int64(Int8(bitPattern: input.byte()))))
        default: return body.setting(key, to: .string(String(repeating: "a", count: Int(input.byte() % 4))))
        }
    }

    static func compare(_ a: LedgerState, _ b: LedgerState) {
        require(a.storeID == b.storeID && a.storeName == b.storeName && a.genesis == b.genesis, "fold: header")
        require(a.rosterQuorum == b.rosterQuorum && a.rosterHead == b.rosterHead, "fold: roster quorum/head")
        require(a.members == b.members && a.formerKeys == b.formerKeys, "fold: members depend on the order")
        require(a.vaults == b.vaults && a.vaultNames == b.vaultNames, "fold: vaults depend on the order")
        require(a.versionIDs == b.versionIDs, "fold: version ids depend on the order")
        require(a.requests == b.requests && a.requestIDs == b.requestIDs, "fold: requests depend on the order")
        require(a.findings == b.findings, "fold: findings depend on the order")
        require(a.latestByAuthor == b.latestByAuthor && a.eventCount == b.eventCount, "fold: counters")
    }
}
