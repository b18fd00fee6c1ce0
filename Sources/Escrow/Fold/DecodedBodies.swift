/// Event bodies decoded ahead of a cold fold, on every core while the store is read: per event, what
/// ``EventBody/decode(_:of:)`` returns or throws for the body type the fold reads for the event's type.
///
/// Decoding is a pure function of the event (its body and, for messages, its id and type), so an entry is exactly
/// what the fold would get by decoding then; the fold consults it only for that body type and decodes anything else
/// itself. The fold runs serially in canonical order, and decoding was most of its time.
struct DecodedBodies: Sendable {
    /// One event's decoded body, or the error decoding it threw.
    struct Entry: Sendable {
        /// The body type decoded.
        fileprivate let type: ObjectIdentifier
        /// The body, or the failure.
        fileprivate let result: Result<any Sendable, EscrowError>
    }

    private var entries: [EventID: Entry] = [:]

    /// An empty table.
    init() {}

    /// Decodes the body of `event` as the type the fold reads for its event type (thread-safe: call it on any
    /// thread).
    ///
    /// - Parameter event: A decoded event.
    /// - Returns: The entry, or `nil` for an unknown event type.
    static func decode(_ event: Event) -> Entry? {
        switch EventType(rawValue: event.type) {
        case .genesis: entry(GenesisBody.self, of: event)
        case .roster: entry(RosterBody.self, of: event)
        case .vaultCreate: entry(VaultCreateBody.self, of: event)
        case .custody: entry(CustodyBody.self, of: event)
        case .deposit: entry(DepositBody.self, of: event)
        case .depositBatch: entry(DepositBatchBody.self, of: event)
        case .request: entry(RequestBody.self, of: event)
        case .approval: entry(ApprovalBody.self, of: event)
        case .execution: entry(ExecutionBody.self, of: event)
        case .attempt: entry(AttemptBody.self, of: event)
        case nil: nil
        }
    }

    private static func entry<Body: Codable & Sendable>(_ type: Body.Type, of event: Event) -> Entry {
        let result: Result<any Sendable, EscrowError>
        do {
            result = .success(try EventBody.decode(Body.self, of: event))
        } catch {
            result = .failure(error)
        }
        return Entry(type: ObjectIdentifier(Body.self), result: result)
    }

    /// The entry of a body this process made an event from (the event's body is its canonical encoding, so
    /// decoding it would give `body` back).
    ///
    /// - Parameter body: The body.
    /// - Returns: The entry.
    static func made<Body: Codable & Sendable>(_ body: Body) -> Entry {
        Entry(type: ObjectIdentifier(Body.self), result: .success(body))
    }

    /// Keeps the entry of `event`.
    ///
    /// - Parameters:
    ///   - entry: What ``decode(_:)`` returned for it.
    ///   - event: The event.
    mutating func keep(_ entry: Entry, of event: Event) {
        entries[event.id] = entry
    }

    /// Reserves room for `count` entries.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// What decoding the body of `event` as `type` returns or throws, if it was decoded ahead as that type.
    ///
    /// - Parameters:
    ///   - type: The body type.
    ///   - event: The event.
    /// - Returns: The body or the error of ``EventBody/decode(_:of:)``, or `nil` if it was not decoded as `type`.
    func result<Body: Codable>(_ type: Body.Type, of event: Event) -> Result<Body, EscrowError>? {
        guard let entry = entries[event.id], entry.type == ObjectIdentifier(Body.self) else { return nil }
        switch entry.result {
        case .success(let body):
            guard let body = body as? Body else { return nil }
            return .success(body)
        case .failure(let error):
            return .failure(error)
        }
    }

}
