/// Shamir's secret sharing over GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B).
///
/// The same field as HashiCorp Vault, SLIP-0039 and SSKR. A secret of any length is shared byte by byte:
/// byte *p* of the secret is the constant term of its own random polynomial of degree `threshold - 1`, and
/// the share with x-coordinate *x* holds that polynomial's value at *x* for every byte.
///
/// Everything that touches secret bytes runs in constant time: every multiplication is a secret value times
/// a public constant (an x-coordinate or a Lagrange weight), computed with bitsliced XOR networks on
/// `SIMD2<UInt64>` words; there is no table lookup and no branch that depends on a secret byte.
///
/// The layers, from low to high:
/// - raw-buffer cores that write into caller-provided memory (``split(_:threshold:xs:into:using:)``,
///   ``combine(xs:rows:into:)``, ``interpolate(at:xs:rows:into:)`` and the batch variants), which allocate
///   nothing per secret;
/// - conveniences on `[UInt8]` and ``Share`` for tests and small tools;
/// - the share encodings: ``NativeShare`` (text line), ``VaultShare`` (HashiCorp layout) and ``ShareFile``
///   (binary share file).
///
/// - Important: Raw Shamir has no integrity. Too few, wrong or tampered shares combine to wrong bytes, not to
///   an error. The native format and the escrow layer add the checks; the vault format cannot.
public enum Shamir {
    /// The largest number of shares a split can produce: the non-zero x-coordinates `1...255`.
    public static let maximumShareCount = 255
}
