/// Where a share value sits: the version, the generation, the re-split that produced it, its path of contributors and
/// its holder's x-coordinate.
///
/// The same fields (without the value) are the associated data of the sealed value (``BindingEncoder`` context
/// `escrow-share-seal-v2`) and, with the value, its digest (``ComponentDigest``): a value cannot be moved to another
/// holder, version, generation, re-split or path.
///
/// - A dealt share has an empty ``resplit`` and an empty ``path``.
/// - A sub-share made by a re-split names that re-split's event id and the contributors of every level still in the
///   components (oldest first), its own contributor last; see ``Redistributor``.
public struct SharePosition: Hashable, Sendable {
    /// The length of a re-split id (the 32-byte event id of the re-split's execution).
    public static let resplitIDCount = 32

    /// The version the share belongs to.
    public let binding: VersionBinding
    /// The vault generation of the sharing.
    public let generation: Int64
    /// The event id of the re-split execution that produced the value (32 bytes), or empty for a dealt share.
    public let resplit: [UInt8]
    /// One contributor x per re-split level still present in the components, oldest first; empty for a dealt share.
    public let path: [UInt8]
    /// The holder's x-coordinate.
    public let x: UInt8
    /// The fields of ``encoder(context:)`` after the context, encoded once (a position is encoded for its associated
    /// data, its digest and its digest's scratch size).
    let fields: [UInt8]

    /// The position of a dealt share.
    ///
    /// - Parameters:
    ///   - binding: The version.
    ///   - generation: The vault generation.
    ///   - x: The holder's x-coordinate.
    /// - Throws: ``EscrowError/Code/invalidInput`` if `x` is 0.
    public init(binding: VersionBinding, generation: Int64, x: UInt8) throws(EscrowError) {
        try self.init(binding: binding, generation: generation, resplit: [], path: [], x: x)
    }

    /// The position of a share value.
    ///
    /// - Parameters:
    ///   - binding: The version.
    ///   - generation: The vault generation.
    ///   - resplit: The re-split's event id (32 bytes), or empty for a dealt share.
    ///   - path: The contributors, oldest level first; empty exactly when `resplit` is.
    ///   - x: The holder's x-coordinate.
    /// - Throws: ``EscrowError/Code/invalidInput`` if `x` or a path element is 0, `resplit` is neither empty nor 32
    ///   bytes, only one of `resplit` and `path` is empty, or the path is longer than
    ///   ``SharingShape/maximumLevelCount``.
    public init(
        binding: VersionBinding,
        generation: Int64,
        resplit: [UInt8],
        path: [UInt8],
        x: UInt8
    ) throws(EscrowError) {
        guard x != 0 else { throw EscrowError(.invalidInput, "a share's x-coordinate must not be 0") }
        guard resplit.isEmpty || resplit.count == Self.resplitIDCount else {
            throw EscrowError(.invalidInput, "a re-split id has \(Self.resplitIDCount) bytes, not \(resplit.count)")
        }
        guard resplit.isEmpty == path.isEmpty else {
            throw EscrowError(.invalidInput, "a re-split share has a path of contributors, a dealt share none")
        }
        guard path.count <= SharingShape.maximumLevelCount, !path.contains(0) else {
            throw EscrowError(
                .invalidInput,
                "a share path has at most \(SharingShape.maximumLevelCount) non-zero contributors, not "
                    + CustodyText.path(path)
            )
        }
        self.binding = binding
        self.generation = generation
        self.resplit = resplit
        self.path = path
        self.x = x
        var fields = BindingEncoder(
            fieldsReservingCapacity: 8 * 4 + 3 * VersionBinding.idCount + binding.entry.utf8.count + 8
                + resplit.count + path.count + 1
        )
        fields.append(binding.storeID)
        fields.append(binding.vaultID)
        fields.append(binding.entry)
        fields.append(binding.versionID)
        fields.append(UInt64(bitPattern: generation))
        fields.append(resplit)
        fields.append(path)
        fields.append(bytesOf: CollectionOfOne(x))
        self.fields = fields.bytes
    }

    /// The associated data of the value sealed at this position.
    var associatedData: [UInt8] {
        var bytes = Self.sealContext
        bytes.append(contentsOf: fields)
        return bytes
    }

    /// The encoded context of the associated data.
    private static let sealContext = BindingEncoder(context: "escrow-share-seal-v2").bytes

    /// The position's fields under `context`: store, vault id, entry, version id, generation, re-split, path, x.
    func encoder(context: String) -> BindingEncoder {
        var encoder = BindingEncoder(context: context)
        encoder.appendEncoded(fields)
        return encoder
    }

    /// `x=3, path [1, 2] of re-split 3fa1…` (or `x=3, dealt`) for messages.
    var label: String {
        resplit.isEmpty
            ? "x=\(x), dealt"
            : "x=\(x), path \(CustodyText.path(path)) of re-split \(CustodyText.shortHex(resplit))"
    }
}
