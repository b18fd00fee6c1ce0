import Sodium

/// The hash chain that links audit records: each record's `prev` is the BLAKE2b-256 of the previous line's bytes
/// (without its newline); the first record's `prev` is ``genesis``.
public enum AuditChain {
    /// The `prev` of the first record: BLAKE2b-256 of `escrow-audit-genesis-v1`.
    public static let genesis: [UInt8] = GenericHash.hash(Array("escrow-audit-genesis-v1".utf8), count: 32)

    /// The hash of one log line.
    ///
    /// - Parameter line: The line's bytes without the trailing newline.
    /// - Returns: 32 bytes.
    public static func hash(ofLine line: [UInt8]) -> [UInt8] {
        GenericHash.hash(line, count: 32)
    }

    /// The hash of a file's contents, as recorded in `files[].hash`.
    ///
    /// - Parameter contents: The file's bytes.
    /// - Returns: 32 bytes.
    public static func hash(ofFile contents: [UInt8]) -> [UInt8] {
        GenericHash.hash(contents, count: 32)
    }
}
