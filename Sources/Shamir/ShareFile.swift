/// The binary share file written by `escrow shamir split --out STEM` (`STEM.1` … `STEM.N`): a 44-byte header
/// carrying the native metadata and a checksum, then the raw share bytes. Text would double a large secret.
///
/// ```
/// offset size
///  0     12  magic, ASCII "escrow-share"
/// 12      1  format version, 1
/// 13      1  threshold k, 2…255
/// 14      1  x-coordinate, 1…255
/// 15      1  reserved, 0
/// 16      4  split identifier, big-endian (the same 32 bits as the native line's id)
/// 20      8  payload length in bytes, little-endian
/// 28     16  FileChecksum (a, b little-endian) of bytes 0..<28 followed by the payload
/// 44      …  payload: the share's y-values, one per secret byte
/// ```
public enum ShareFile {
    /// The header's size in bytes.
    public static let headerCount = 44
    /// The file's first bytes.
    public static let magic = Array("escrow-share".utf8)
    /// The only version this build writes and reads.
    public static let version: UInt8 = 1
    private static let checkedHeaderCount = 28

    /// A parsed header.
    public struct Header: Hashable, Sendable {
        /// The share's metadata.
        public let share: NativeShare
        /// The payload length in bytes.
        public let payloadCount: Int
        /// The checksum recorded in the file.
        public let checksum: [UInt8]
    }

    /// Starts the checksum of a file: feeds the metadata part of the header; then feed the payload.
    ///
    /// - Parameters:
    ///   - share: The share's metadata.
    ///   - payloadCount: The payload length.
    /// - Returns: A checksum ready for the payload bytes.
    public static func startChecksum(for share: NativeShare, payloadCount: Int) -> FileChecksum {
        var checksum = FileChecksum()
        let fields = metadataBytes(share, payloadCount: payloadCount)
        fields.withUnsafeBytes { checksum.update($0) }
        return checksum
    }

    /// Writes a header.
    ///
    /// - Parameters:
    ///   - share: The share's metadata.
    ///   - payloadCount: The payload length.
    ///   - checksum: The checksum started by ``startChecksum(for:payloadCount:)`` and fed the whole payload.
    ///   - header: Receives ``headerCount`` bytes.
    /// - Precondition: `header.count == ShareFile.headerCount`.
    public static func encodeHeader(
        _ share: NativeShare,
        payloadCount: Int,
        checksum: FileChecksum,
        into header: UnsafeMutableRawBufferPointer
    ) {
        precondition(header.count == headerCount, "a share file header has \(headerCount) bytes")
        let bytes = metadataBytes(share, payloadCount: payloadCount) + checksum.bytes
        for (i, byte) in bytes.enumerated() { header[i] = byte }
    }

    /// Parses a header and checks it against the file's size (the checksum is verified by the caller, who
    /// streams the payload through ``startChecksum(for:payloadCount:)``).
    ///
    /// - Parameters:
    ///   - header: The file's first bytes (at least ``headerCount`` of them if the file is that long).
    ///   - fileSize: The file's total size.
    ///   - label: Names the file in messages.
    /// - Returns: The header.
    /// - Throws: ``ShamirError/Code/malformedShare`` (not a share file, truncated, bad field),
    ///   ``ShamirError/Code/unsupportedVersion``.
    public static func parseHeader(
        _ header: UnsafeRawBufferPointer,
        fileSize: Int,
        label: String
    ) throws(ShamirError) -> Header {
        guard header.count >= magic.count, header.starts(with: magic) else {
            throw ShamirError(.malformedShare, "\(label): not an escrow share file")
        }
        guard header.count >= headerCount, fileSize >= headerCount else {
            throw ShamirError(.malformedShare, "\(label): the share file is truncated (its header is incomplete)")
        }
        guard header[12] == version else {
            throw ShamirError(
                .unsupportedVersion,
                "\(label): share file version \(header[12]) is not supported by this build (it reads 1)"
            )
        }
        var length: UInt64 = 0
        for i in (20..<28).reversed() { length = length << 8 | UInt64(header[i]) }
        guard length >= 1, length <= UInt64(Int.max - headerCount), Int(length) + headerCount == fileSize else {
            throw ShamirError(
                .malformedShare,
                "\(label): the share file is truncated or has extra bytes (its header announces \(length) bytes)"
            )
        }
        guard header[15] == 0, (2...255).contains(header[13]), header[14] != 0 else {
            throw ShamirError(.malformedShare, "\(label): the share file header is damaged")
        }
        var id: UInt32 = 0
        for i in 16..<20 { id = id << 8 | UInt32(header[i]) }
        let share = try NativeShare(splitID: id, threshold: Int(header[13]), x: header[14])
        return Header(
            share: share,
            payloadCount: Int(length),
            checksum: Array(header[checkedHeaderCount..<headerCount])
        )
    }

    /// Throws unless a computed checksum equals the header's.
    ///
    /// - Parameters:
    ///   - checksum: The checksum fed the header fields and the whole payload.
    ///   - header: The parsed header.
    ///   - label: Names the file in messages.
    /// - Throws: ``ShamirError/Code/checksumMismatch``.
    public static func verify(_ checksum: FileChecksum, against header: Header, label: String) throws(ShamirError) {
        guard checksum.bytes == header.checksum else {
            throw ShamirError(.checksumMismatch, "\(label): the share file is damaged (its checksum does not match)")
        }
    }

    private static func metadataBytes(_ share: NativeShare, payloadCount: Int) -> [UInt8] {
        var bytes = magic
        bytes += [version, UInt8(share.threshold), share.x, 0]
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: share.splitID >> UInt32(shift))) }
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: UInt64(payloadCount) >> UInt64(shift))) }
        return bytes
    }
}
