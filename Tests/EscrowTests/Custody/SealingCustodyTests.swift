import Sodium
import Testing

@testable import Escrow

extension CustodyTests {
    @Suite struct SealingTests {
        let binding: VersionBinding
        let value = SecureBytes(copying: (100..<132).map { UInt8($0) })

        init() throws { binding = try CustodyFixture.binding() }

        func position(
            binding: VersionBinding? = nil,
            generation: Int64 = 2,
            resplit: [UInt8] = CustodyFixture.resplit(1),
            path: [UInt8] = [3, 1],
            x: UInt8 = 4
        ) throws -> SharePosition {
            try SharePosition(
                binding: binding ?? self.binding,
                generation: generation,
                resplit: resplit,
                path: path,
                x: x
            )
        }

        /// One variant per field of a position.
        func variants() throws -> [(String, SharePosition)] {
            [
                ("x", try position(x: 5)),
                ("generation", try position(generation: 3)),
                ("path order", try position(path: [1, 3])),
                ("path element", try position(path: [3, 2])),
                ("path length", try position(path: [3])),
                ("resplit", try position(resplit: CustodyFixture.resplit(2))),
                ("dealt", try SharePosition(binding: binding, generation: 2, x: 4)),
                ("store", try position(binding: try CustodyFixture.binding(store: 0x61))),
                ("vault", try position(binding: try CustodyFixture.binding(vault: 0x62))),
                ("entry", try position(binding: try CustodyFixture.binding(entry: "other"))),
                ("version", try position(binding: try CustodyFixture.binding(version: 0x63))),
            ]
        }

        @Test func sealedValueOpensOnlyForItsHolderAtItsPosition() throws {
            let holder = BoxKeyPair()
            let sealer = ShareSealer()
            let here = try position()
            let sealed = try sealer.seal(value, position: here, recipientBoxKey: holder.publicKey)
            #expect(sealed.count == 32 + 40)
            let opener = try ShareOpener(boxKeys: holder, ephemeralPublicKey: sealer.ephemeralPublicKey)
            #expect(try opener.open(sealed, position: here) == value)

            let stranger = try ShareOpener(boxKeys: BoxKeyPair(), ephemeralPublicKey: sealer.ephemeralPublicKey)
            expectEscrowError(.badShare) { _ = try stranger.open(sealed, position: here) }
            let otherBatch = try ShareOpener(boxKeys: holder, ephemeralPublicKey: ShareSealer().ephemeralPublicKey)
            expectEscrowError(.badShare) { _ = try otherBatch.open(sealed, position: here) }
            for (field, moved) in try variants() {
                let error = expectEscrowError(.badShare) { _ = try opener.open(sealed, position: moved) }
                #expect(error?.message.contains("x=\(moved.x)") == true, "field \(field)")
            }
            var altered = sealed
            altered[40] ^= 0x80
            expectEscrowError(.badShare) { _ = try opener.open(altered, position: here) }
            expectEscrowError(.badShare) { _ = try opener.open(Array(sealed.dropLast()), position: here) }
        }

        @Test func bulkOpenWipesTheOutputOnFailure() throws {
            let holder = BoxKeyPair()
            let sealer = ShareSealer()
            let sealed = try sealer.seal(value, position: try position(), recipientBoxKey: holder.publicKey)
            let opener = try ShareOpener(boxKeys: holder, ephemeralPublicKey: sealer.ephemeralPublicKey)
            let output = SecureBytes(copying: [UInt8](repeating: 0xEE, count: 32))
            expectEscrowError(.badShare) {
                try output.withUnsafeMutableBytes { try opener.open(sealed, position: try position(x: 9), into: $0) }
            }
            #expect(bytes(output) == [UInt8](repeating: 0, count: 32))
            try output.withUnsafeMutableBytes { try opener.open(sealed, position: try position(), into: $0) }
            #expect(output == value)
        }

        @Test func sealerRefusesBadInputs() throws {
            let sealer = ShareSealer()
            let holder = BoxKeyPair()
            expectEscrowError(.invalidInput) {
                _ = try sealer.seal(SecureBytes(count: 31), position: try position(), recipientBoxKey: holder.publicKey)
            }
            expectEscrowError(.invalidInput) {
                _ = try sealer.seal(
                    value,
                    position: try position(),
                    recipientBoxKey: Array(holder.publicKey.prefix(31))
                )
            }
            // The all-zero point is of low order: X25519 refuses it.
            expectEscrowError(.cryptoFailure) {
                _ = try sealer.seal(value, position: try position(), recipientBoxKey: [UInt8](repeating: 0, count: 32))
            }
            expectEscrowError(.tampered) { _ = try ShareOpener(boxKeys: holder, ephemeralPublicKey: [1, 2, 3]) }
        }

        @Test func positionsRefuseImpossibleShapes() throws {
            expectEscrowError(.invalidInput) { _ = try SharePosition(binding: binding, generation: 1, x: 0) }
            expectEscrowError(.invalidInput) { _ = try position(resplit: [1, 2, 3]) }
            expectEscrowError(.invalidInput) { _ = try position(resplit: []) }
            expectEscrowError(.invalidInput) { _ = try position(path: []) }
            expectEscrowError(.invalidInput) { _ = try position(path: [1, 2, 3]) }
            expectEscrowError(.invalidInput) { _ = try position(path: [0]) }
        }

        /// The digest is BLAKE2b-256 (unkeyed) over exactly these bytes (built by hand).
        @Test func digestIsBlake2bOverTheDocumentedMessage() throws {
            func field(_ bytes: [UInt8]) -> [UInt8] { [0, 0, 0, UInt8(bytes.count)] + bytes }
            let message =
                field(Array("escrow-share-digest-v2".utf8)) + field([UInt8](repeating: 0x51, count: 16))
                + field([UInt8](repeating: 0x52, count: 16)) + field(Array("db-root".utf8))
                + field([UInt8](repeating: 0x53, count: 16)) + field([0, 0, 0, 0, 0, 0, 0, 2])
                + field(CustodyFixture.resplit(1)) + field([3, 1]) + field([4]) + field(bytes(value))
            let here = try position()
            let digest = value.withUnsafeBytes { ComponentDigest.compute(value: $0, position: here) }
            #expect(digest == GenericHash.hash(message))
        }

        @Test func digestMatchesOnlyItsValueAndPosition() throws {
            let here = try position()
            let digest = value.withUnsafeBytes { ComponentDigest.compute(value: $0, position: here) }
            #expect(ComponentDigest.matches(value: value, position: here, digest: digest))
            for (field, moved) in try variants() {
                #expect(!ComponentDigest.matches(value: value, position: moved, digest: digest), "field \(field)")
            }
            let changed = SecureBytes(copying: bytes(value))
            changed.withUnsafeMutableBytes { $0[31] ^= 1 }
            #expect(!ComponentDigest.matches(value: changed, position: here, digest: digest))
            #expect(!ComponentDigest.matches(value: SecureBytes(count: 31), position: here, digest: digest))
            #expect(!ComponentDigest.matches(value: value, position: here, digest: Array(digest.dropLast())))
        }

        @Test func sealComponentCarriesPositionAndDigest() throws {
            let holder = BoxKeyPair()
            let sealer = ShareSealer()
            let here = try position()
            let component = try value.withUnsafeBytes {
                try sealer.sealComponent($0, position: here, recipientBoxKey: holder.publicKey)
            }
            #expect(component.x == 4)
            #expect(component.path == [3, 1])
            #expect(ComponentDigest.matches(value: value, position: here, digest: component.digest))
            // A second value to the same recipient reuses the agreement; both open with one opener.
            let again = try sealer.seal(
                value,
                position: try position(path: [3, 2], x: 4),
                recipientBoxKey: holder.publicKey
            )
            let opener = try ShareOpener(boxKeys: holder, ephemeralPublicKey: sealer.ephemeralPublicKey)
            #expect(try opener.open(component.sealed, position: here) == value)
            #expect(try opener.open(again, position: try position(path: [3, 2], x: 4)) == value)
        }
    }
}
