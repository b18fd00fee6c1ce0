import Foundation

/// Loads the JSON vector files copied into the test bundle.
enum Vectors {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors") else {
            throw VectorError.missing(name)
        }
        return url
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    /// One entry of the published `vectors.json`: `[description, [mnemonic], masterSecretHex, xprv]`.
    struct Published: Sendable, CustomStringConvertible {
        var description: String
        var mnemonics: [String]
        var masterSecretHex: String
        var isValid: Bool { !masterSecretHex.isEmpty }
        /// The number at the start of the description ("13. Mnemonics giving ...").
        var number: Int { Int(description.prefix(while: \.isNumber)) ?? 0 }
    }

    static func published() throws -> [Published] {
        guard let entries = try JSONSerialization.jsonObject(with: data("vectors.json")) as? [[Any]] else {
            throw VectorError.malformed("vectors.json")
        }
        return try entries.map { entry in
            guard entry.count >= 3, let description = entry[0] as? String, let mnemonics = entry[1] as? [String],
                let secret = entry[2] as? String
            else { throw VectorError.malformed("vectors.json entry") }
            return Published(description: description, mnemonics: mnemonics, masterSecretHex: secret)
        }
    }

    // MARK: intermediates.json

    struct Intermediates: Decodable {
        var vectors: [Vector]

        struct Vector: Decodable, Sendable {
            var description: String
            var passphrase: String
            var shares: [Share]
            var recoveredGroupSharesHex: [String: String]
            var encryptedMasterSecretHex: String
            var feistel: Feistel
            var masterSecretHex: String
            var masterSecretEmptyPassphraseHex: String
        }

        struct Share: Decodable, Sendable {
            var identifier: Int
            var extendable: Bool
            var iterationExponent: Int
            var groupIndex: Int
            var groupThreshold: Int
            var groupCount: Int
            var memberIndex: Int
            var memberThreshold: Int
            var shareValueHex: String
            var wordIndices: [Int]
            var checksumCustomization: String
        }

        struct Feistel: Decodable, Sendable {
            var identifier: Int
            var extendable: Bool
            var iterationExponent: Int
            var pbkdf2IterationsPerRound: Int
            var saltPrefixHex: String
        }
    }

    static func intermediates() throws -> [Intermediates.Vector] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Intermediates.self, from: data("intermediates.json")).vectors
    }

    // MARK: split_secret_fake_rng.json

    struct FakeRNGFile: Decodable {
        var cases: [Case]
        struct Case: Decodable, Sendable {
            var threshold: Int
            var shareCount: Int
            var secretHex: String
            var shares: [Point]
            var recoverWithIndexes: [Int]
            var digestShareX254Hex: String
            var digestCheck: DigestCheck
        }
        struct Point: Decodable, Sendable {
            var x: Int
            var yHex: String
        }
        struct DigestCheck: Decodable, Sendable {
            var randomPartRHex: String
            var digestHex: String
        }
    }

    static func fakeRNGCases() throws -> [FakeRNGFile.Case] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(FakeRNGFile.self, from: data("split_secret_fake_rng.json")).cases
    }

    enum VectorError: Error {
        case missing(String)
        case malformed(String)
    }
}
