import Sodium
import Testing

@testable import Escrow

extension CustodyTests {
    @Suite struct BindingTests {
        @Test func encoderWritesLengthPrefixedFields() {
            var encoder = BindingEncoder(context: "ab")
            encoder.append([1, 2])
            encoder.append("é")
            encoder.append(UInt64(258))
            encoder.append([])
            let expected: [UInt8] = [
                0, 0, 0, 2, 0x61, 0x62,
                0, 0, 0, 2, 1, 2,
                0, 0, 0, 2, 0xC3, 0xA9,
                0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2,
                0, 0, 0, 0,
            ]
            #expect(encoder.bytes == expected)
            #expect(BindingEncoder.lengthPrefix(0x0102_0304) == [1, 2, 3, 4])
        }

        @Test func fieldBoundariesAreUnambiguous() {
            var one = BindingEncoder(context: "c")
            one.append([1, 2])
            one.append([3])
            var two = BindingEncoder(context: "c")
            two.append([1])
            two.append([2, 3])
            #expect(one.bytes != two.bytes)
            #expect(BindingEncoder(context: "c1").bytes != BindingEncoder(context: "c").bytes)
        }

        @Test func bindingRefusesIdentifiersOfTheWrongLength() {
            expectEscrowError(.invalidInput) {
                _ = try VersionBinding(
                    storeID: [UInt8](repeating: 1, count: 15),
                    vaultID: [UInt8](repeating: 2, count: 16),
                    vaultName: "acme",
                    entry: "e",
                    versionID: [UInt8](repeating: 3, count: 16),
                    kind: "password"
                )
            }
            expectEscrowError(.invalidInput) {
                _ = try VersionBinding(
                    storeID: [UInt8](repeating: 1, count: 16),
                    vaultID: [UInt8](repeating: 2, count: 16),
                    vaultName: "acme",
                    entry: "e",
                    versionID: [UInt8](repeating: 3, count: 17),
                    kind: "password"
                )
            }
        }

        /// The commitment is keyed BLAKE2b-256 over exactly these bytes (built by hand, not with the encoder).
        @Test func commitmentIsKeyedBlake2bOverTheDocumentedMessage() throws {
            let binding = try CustodyFixture.binding()
            let key = CustodyFixture.countingKey
            func field(_ bytes: [UInt8]) -> [UInt8] { [0, 0, 0, UInt8(bytes.count)] + bytes }
            let message =
                field(Array("escrow-key-commitment-v2".utf8)) + field([UInt8](repeating: 0x51, count: 16))
                + field([UInt8](repeating: 0x52, count: 16)) + field(Array("db-root".utf8))
                + field([UInt8](repeating: 0x53, count: 16))
            let expected = GenericHash.hash(message, key: key)
            #expect(KeyCommitment.compute(key: key, binding: binding) == expected)
            #expect(expected.count == 32)
        }

        @Test func commitmentMatchesItsKeyAndBindingOnly() throws {
            let binding = try CustodyFixture.binding()
            let key = CustodyFixture.countingKey
            let commitment = KeyCommitment.compute(key: key, binding: binding)
            #expect(KeyCommitment.matches(key: key, binding: binding, commitment: commitment))
            #expect(
                !KeyCommitment.matches(key: CustodyFixture.key(repeating: 7), binding: binding, commitment: commitment)
            )
            #expect(!KeyCommitment.matches(key: key, binding: binding, commitment: Array(commitment.dropLast())))
            #expect(!KeyCommitment.matches(key: SecureBytes(count: 31), binding: binding, commitment: commitment))
            var flipped = commitment
            flipped[31] ^= 1
            #expect(!KeyCommitment.matches(key: key, binding: binding, commitment: flipped))
            // Store, vault id, entry and version are committed; the vault's name and the kind are not (the value's
            // associated data binds them).
            for (field, variant) in try CustodyFixture.bindingVariants() {
                let committed = ["store", "vault id", "entry", "version"].contains(field)
                #expect(
                    KeyCommitment.matches(key: key, binding: variant, commitment: commitment) == !committed,
                    "field \(field)"
                )
            }
        }

        @Test func valueSealRoundTripsAndRefusesEveryOtherBinding() throws {
            let binding = try CustodyFixture.binding()
            let key = CustodyFixture.countingKey
            let sealed = try ValueSeal.seal(secure("s3cret"), key: key, binding: binding)
            #expect(sealed.count == 6 + 40)
            #expect(string(try ValueSeal.open(sealed, key: key, binding: binding)) == "s3cret")
            for (field, variant) in try CustodyFixture.bindingVariants() {
                let error = expectEscrowError(.tampered) { _ = try ValueSeal.open(sealed, key: key, binding: variant) }
                #expect(error?.message.contains("does not open") == true, "field \(field)")
            }
            expectEscrowError(.tampered) {
                _ = try ValueSeal.open(sealed, key: CustodyFixture.key(repeating: 9), binding: binding)
            }
            var altered = sealed
            altered[30] ^= 0x01
            expectEscrowError(.tampered) { _ = try ValueSeal.open(altered, key: key, binding: binding) }
            expectEscrowError(.tampered) {
                _ = try ValueSeal.open(Array(sealed.prefix(39)), key: key, binding: binding)
            }
            expectEscrowError(.invalidInput) {
                _ = try ValueSeal.seal(secure("x"), key: SecureBytes(count: 16), binding: binding)
            }
            expectEscrowError(.invalidInput) {
                _ = try ValueSeal.open(sealed, key: SecureBytes(count: 16), binding: binding)
            }
        }
    }
}
