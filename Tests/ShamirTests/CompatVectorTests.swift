import Testing

@testable import Shamir

private struct CompatVectors: Decodable {
    struct Positive: Decodable {
        let description: String
        let secretHex: String
        let parts: Int
        let threshold: Int
        let sharesHex: [String]
        let producer: String

        enum CodingKeys: String, CodingKey {
            case description, parts, threshold, producer
            case secretHex = "secret_hex"
            case sharesHex = "shares_hex"
        }
    }
    struct Behaviour: Decodable {
        let description: String
        let partsHex: [String]
        let vaultCombineResultHex: String?
        let vaultCombineError: String?
        let note: String

        enum CodingKeys: String, CodingKey {
            case description, note
            case partsHex = "parts_hex"
            case vaultCombineResultHex = "vault_combine_result_hex"
            case vaultCombineError = "vault_combine_error"
        }
    }
    let positive: [Positive]
    let combineBehaviour: [Behaviour]

    enum CodingKeys: String, CodingKey {
        case positive
        case combineBehaviour = "combine_behaviour"
    }
}

/// HashiCorp Vault / pyshamir / privy-io shares (`y || x`) from `compat_vectors.json`.
@Suite struct CompatVectorTests {
    private let vectors: CompatVectors

    init() throws {
        vectors = try Vectors.load("compat_vectors", as: CompatVectors.self)
    }

    private func shares(_ hex: [String]) -> [Share] {
        hex.map { h in
            let bytes = Hex.decode(h)
            return Share(x: bytes.last!, y: Array(bytes.dropLast()))
        }
    }

    @Test func everyPublishedSplitRecoversFromEverySubsetOfThreshold() throws {
        #expect(vectors.positive.count == 9)
        for vector in vectors.positive {
            let all = shares(vector.sharesHex)
            let secret = Hex.decode(vector.secretHex)
            #expect(all.count == vector.parts)
            #expect(try Shamir.combine(all) == secret, "\(vector.description): all shares")
            // Every k-subset for the small splits; a sliding window for the 255-share one.
            let chosen =
                vector.parts <= 7
                ? subsets(of: vector.parts, size: vector.threshold)
                : (0..<(vector.parts - vector.threshold)).map { Array($0..<($0 + vector.threshold)) }
            for subset in chosen {
                #expect(try Shamir.combine(subset.map { all[$0] }) == secret, "\(vector.description) \(subset)")
            }
            // Our vault-format decoder reads the same lines.
            for (line, share) in zip(vector.sharesHex, all) {
                let decoded = try VaultShare.decode(line)
                #expect(decoded == share)
            }
        }
    }

    @Test func combineBehavesAsListedOrRefusesWhereVaultIsUnsafe() throws {
        #expect(vectors.combineBehaviour.count == 10)
        for entry in vectors.combineBehaviour {
            let parts = shares(entry.partsHex)
            if let error = entry.vaultCombineError {
                // Vault refuses these too; so do we, with the matching code.
                let expected: ShamirError.Code =
                    switch error {
                    case "duplicate part detected": .duplicateCoordinate
                    case "all parts must be the same length": .inconsistentLengths
                    case "parts must be at least two bytes": .malformedShare
                    default: .tooFewShares
                    }
                let lines = entry.partsHex
                #expect(throws: ShamirError(expected, "")) { try VaultShare.combine(lines: lines) }
            } else if entry.description.hasPrefix("x=0") {
                // Vault returns the attacker's y; we refuse.
                #expect(throws: ShamirError(.zeroCoordinate, "")) { try Shamir.combine(parts) }
                #expect(throws: ShamirError(.zeroCoordinate, "")) { try VaultShare.combine(lines: entry.partsHex) }
            } else {
                // Same bytes as Vault (the layout carries nothing that would let us detect the garbage cases).
                let expected = Hex.decode(entry.vaultCombineResultHex!)
                #expect(try Shamir.combine(parts) == expected, "\(entry.description)")
                #expect(try VaultShare.combine(lines: entry.partsHex) == expected, "\(entry.description)")
            }
        }
    }

    @Test func ourVaultSharesCombineWithAnIndependentCombiner() throws {
        // Our vault-format output, combined by a plain textbook Lagrange interpolation (as Vault's Combine does).
        var rng = SplitMix64(seed: 99)
        let secret = Array("vault master key 0123456789abcdef".utf8)
        let xs = try Shamir.randomCoordinates(count: 5, using: &rng)
        let lines = try Shamir.split(secret, threshold: 3, xs: xs, using: &rng).map { VaultShare.encode($0) }
        for subset in subsets(of: 5, size: 3) {
            let points = subset.map { Array(base64Decode(lines[$0])) }
            #expect(textbookCombine(points) == secret)
        }
    }
}

/// Vault's Combine, written plainly: `parts` are `y || x`.
private func textbookCombine(_ parts: [[UInt8]]) -> [UInt8] {
    let xs = parts.map { $0.last! }
    return (0..<(parts[0].count - 1)).map { byte in
        var sum: UInt8 = 0
        for (i, part) in parts.enumerated() {
            var basis: UInt8 = 1
            for (j, xj) in xs.enumerated() where j != i {
                // basis *= xj / (xj - xi)
                var inverse: UInt8 = 1
                for _ in 0..<254 { inverse = referenceMultiply(inverse, xj ^ xs[i]) }
                basis = referenceMultiply(basis, referenceMultiply(xj, inverse))
            }
            sum ^= referenceMultiply(part[byte], basis)
        }
        return sum
    }
}

private func base64Decode(_ text: String) -> [UInt8] {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var bits = 0
    var buffer = 0
    var out = [UInt8]()
    for c in text.utf8 where c != UInt8(ascii: "=") {
        guard let v = alphabet.firstIndex(of: c) else { return [] }
        buffer = buffer << 6 | v
        bits += 6
        if bits >= 8 {
            bits -= 8
            out.append(UInt8((buffer >> bits) & 0xFF))
        }
    }
    return out
}
