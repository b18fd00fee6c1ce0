import Sodium
import Testing

@testable import SLIP39

/// The 45 published vectors of SLIP-0039 (`vectors.json`): valid sets recover their master secret with the
/// passphrase "TREZOR"; invalid sets are refused for the reason their description names.
@Suite struct VectorTests {
    static let vectors: [Vectors.Published] = (try? Vectors.published()) ?? []

    @Test func allVectorsAreLoaded() {
        #expect(Self.vectors.count == 45)
        #expect(Self.vectors.filter(\.isValid).count == 15)
    }

    @Test(arguments: vectors.filter(\.isValid))
    func validVectorRecoversItsMasterSecret(vector: Vectors.Published) throws {
        let secret = try combineMnemonics(vector.mnemonics, passphrase: "TREZOR").get()
        #expect(secret.hex == vector.masterSecretHex)
    }

    /// The reason each invalid vector must be refused for, from its description.
    static func expectedCode(_ description: String) -> SLIP39Error.Code? {
        let table: [(String, SLIP39Error.Code)] = [
            ("invalid checksum", .invalidChecksum),
            ("invalid padding", .invalidPadding),
            ("Basic sharing 2-of-3", .wrongMemberCount),
            ("different identifiers", .identifierMismatch),
            ("different iteration exponents", .iterationExponentMismatch),
            ("mismatching group thresholds", .groupParametersMismatch),
            ("mismatching group counts", .groupParametersMismatch),
            ("greater group threshold than group counts", .invalidThreshold),
            ("duplicate member indices", .duplicateMemberIndex),
            ("mismatching member thresholds", .memberThresholdMismatch),
            ("invalid digest", .digestMismatch),
            ("Insufficient number of groups", .insufficientGroups),
            ("insufficient number of members in one group", .wrongMemberCount),
            ("insufficient length", .invalidLength),
            ("invalid master secret length", .invalidLength),
        ]
        return table.first { description.contains($0.0) }?.1
    }

    @Test(arguments: vectors.filter { !$0.isValid })
    func invalidVectorIsRefusedForItsReason(vector: Vectors.Published) throws {
        let expected = try #require(Self.expectedCode(vector.description), "no expected reason for \(vector)")
        switch combineMnemonics(vector.mnemonics, passphrase: "TREZOR") {
        case .success:
            Issue.record("\(vector) was accepted")
        case .failure(let error):
            #expect(error.code == expected, "\(vector): \(error.message)")
            // Messages name a line, a group or the groups, and never carry share bytes.
            #expect(error.message.contains("line") || error.message.contains("group"), "\(error.message)")
        }
    }

    /// Every valid vector also decodes share by share, and re-encoding reproduces each mnemonic exactly.
    @Test(arguments: vectors.filter(\.isValid))
    func validMnemonicsReEncodeExactly(vector: Vectors.Published) throws {
        for mnemonic in vector.mnemonics {
            #expect(try SLIP39.Share(mnemonic: mnemonic).mnemonicText == mnemonic)
        }
    }
}
