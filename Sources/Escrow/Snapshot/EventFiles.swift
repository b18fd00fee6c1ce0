import Synchronization

/// Reads, on demand, the payload (body, signature, bytes) of events restored from a fold snapshot, checking each file
/// against its id: the id is the BLAKE2b hash of the bytes that were verified (signature included) when the
/// snapshot was written, so a file with that hash is exactly that event, and any other file was tampered with.
///
/// The first failure is kept (``firstFailure``): the fold reads payloads through non-throwing paths, and a ledger
/// checks this after folding so that a tampered file refuses the open, naming the file, as a cold open would.
final class EventFiles: Sendable {
    private let directory: StoreDirectory
    private let failure = Mutex<EscrowError?>(nil)

    /// Reads from `directory`.
    init(directory: StoreDirectory) {
        self.directory = directory
    }

    /// The first failure of ``payload(of:)``, if any.
    var firstFailure: EscrowError? { failure.withLock { $0 } }

    /// Reads and checks the file of event `id`.
    ///
    /// - Parameter id: An event id.
    /// - Returns: The payload.
    /// - Throws: ``EscrowError/Code/tampered`` naming the file if its contents do not hash to `id` or are not an
    ///   event; ``EscrowError/Code/notFound`` if it is gone; an I/O error.
    func payload(of id: EventID) throws(EscrowError) -> Event.Payload {
        do {
            return try read(id)
        } catch {
            failure.withLock { if $0 == nil { $0 = error } }
            throw error
        }
    }

    private func read(_ id: EventID) throws(EscrowError) -> Event.Payload {
        let path = Event.relativePath(of: id)
        let bytes = try directory.readEventFile(id)
        guard bytes.last == UInt8(ascii: "\n"), EventID.hashing(bytes.dropLast()) == id else {
            throw EscrowError(
                .tampered,
                "\(path): the file's contents are not event \(id.short) any more: it was edited after it was verified"
            )
        }
        // The bytes are the verified event's: parsing cannot fail unless the hash was broken.
        guard case .object(let object) = try? JSONParser.parse(Array(bytes.dropLast()), source: path),
            let body = object["body"],
            let signatureText = object["signature"]?.stringValue,
            let signature = Base64URL.decode(signatureText)
        else {
            throw EscrowError(.tampered, "\(path): not an event file")
        }
        return Event.Payload(body: body, signature: signature, bytes: bytes)
    }
}
