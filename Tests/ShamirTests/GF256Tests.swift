import Sodium
import Testing

@testable import Shamir

private struct FieldVectors: Decodable {
    struct Product: Decodable {
        let a: String
        let b: String
        let a_times_b: String
    }
    struct Quotient: Decodable {
        let a: String
        let b: String
        let a_div_b: String
    }
    let products: [Product]
    let quotients: [Quotient]
    let inverse_table_hex: String
    let exp_table_gen03_hex: String
    let log_table_gen03_hex: String
    let mul_table_sha256: String
}

@Suite struct GF256Tests {
    private let vectors: FieldVectors

    init() throws {
        vectors = try Vectors.load("aes_field", as: FieldVectors.self)
    }

    @Test func publishedProductsAndQuotients() {
        #expect(vectors.products.count >= 2)
        for product in vectors.products {
            let a = Hex.decode(product.a)[0], b = Hex.decode(product.b)[0]
            #expect(GF256.multiply(a, b) == Hex.decode(product.a_times_b)[0], "\(product.a) • \(product.b)")
        }
        #expect(GF256.multiply(0x57, 0x83) == 0xC1)
        #expect(GF256.multiply(0x57, 0x13) == 0xFE)
        for quotient in vectors.quotients {
            let a = Hex.decode(quotient.a)[0], b = Hex.decode(quotient.b)[0]
            #expect(GF256.divide(a, b) == Hex.decode(quotient.a_div_b)[0])
        }
    }

    @Test func fullProductTableMatchesReferenceAndPublishedHash() throws {
        try Sodium.initialize()
        var table = [UInt8]()
        table.reserveCapacity(65_536)
        var mismatches = 0
        for a in 0...255 {
            for b in 0...255 {
                let product = GF256.multiply(UInt8(a), UInt8(b))
                if product != referenceMultiply(UInt8(a), UInt8(b)) { mismatches += 1 }
                table.append(product)
            }
        }
        #expect(mismatches == 0)
        #expect(Hex.encode(SHA256.hash(table)) == vectors.mul_table_sha256)
    }

    @Test func productTableAgreesWithLogExpTables() {
        let exp = Hex.decode(vectors.exp_table_gen03_hex), log = Hex.decode(vectors.log_table_gen03_hex)
        var mismatches = 0
        for a in 1...255 {
            for b in 1...255 {
                let expected = exp[(Int(log[a]) + Int(log[b])) % 255]
                if GF256.multiply(UInt8(a), UInt8(b)) != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func allInverses() {
        let table = Hex.decode(vectors.inverse_table_hex)
        #expect(table.count == 256)
        for a in 0...255 {
            #expect(GF256.inverse(UInt8(a)) == table[a], "inverse of \(a)")
            if a != 0 { #expect(GF256.multiply(UInt8(a), GF256.inverse(UInt8(a))) == 1) }
        }
    }

    @Test func timesXMatchesScalar() {
        for a in 0...255 {
            #expect(GF256.timesX(UInt8(a)) == referenceMultiply(UInt8(a), 2))
        }
    }

    /// Two blocks hold all 256 byte values; each is multiplied by every constant and compared with the scalar
    /// reference: the bitsliced kernel equals the scalar one on all 65,536 inputs.
    @Test func bitslicedMultiplyEqualsScalarForAllInputs() {
        var input = (0...255).map { UInt8($0) }
        var output = [UInt8](repeating: 0, count: 256)
        var mismatches = 0
        for c in 0...255 {
            input.withUnsafeBytes { src in
                output.withUnsafeMutableBytes { dst in
                    for half in 0..<2 {
                        let offset = half * BitslicedBlock.byteCount
                        BitslicedBlock(loading: src.baseAddress! + offset).multiplied(by: UInt8(c))
                            .store(to: dst.baseAddress! + offset)
                    }
                }
            }
            for a in 0...255 where output[a] != referenceMultiply(UInt8(a), UInt8(c)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
        input.reverse()  // keep the variable mutable-use honest
        #expect(input.first == 255)
    }

    @Test func bitslicedTimesXAndTransposeRoundTrip() {
        var rng = SplitMix64(seed: 7)
        var bytes = [UInt8](repeating: 0, count: 128)
        var back = bytes, doubled = bytes
        for _ in 0..<64 {
            bytes.withUnsafeMutableBytes { rng.fill($0) }
            bytes.withUnsafeBytes { src in
                back.withUnsafeMutableBytes { BitslicedBlock(loading: src.baseAddress!).store(to: $0.baseAddress!) }
                doubled.withUnsafeMutableBytes {
                    BitslicedBlock(loading: src.baseAddress!).timesX().store(to: $0.baseAddress!)
                }
            }
            #expect(back == bytes)
            #expect(doubled == bytes.map { referenceMultiply($0, 2) })
        }
    }

    /// The documented position map: after loading, bit `w` of plane-word `j` at (lane L, byte m) is bit `j` of
    /// byte `16w + 8L + m`. Random coefficient blocks are read raw, so this fixes which random bits make which
    /// coefficient (the tests' scalar reference split relies on it).
    @Test func planeLayoutIsTheDocumentedOne() {
        var rng = SplitMix64(seed: 11)
        var raw = [UInt8](repeating: 0, count: 128)
        raw.withUnsafeMutableBytes { rng.fill($0) }
        var bytes = [UInt8](repeating: 0, count: 128)
        raw.withUnsafeBytes { src in
            bytes.withUnsafeMutableBytes { BitslicedBlock(rawPlanesAt: src.baseAddress!).store(to: $0.baseAddress!) }
        }
        #expect(bytes == coefficientBytes(fromRawBlock: raw))
    }
}

/// The scalar reading of a raw random block as 128 coefficient bytes (the inverse of the plane layout).
func coefficientBytes(fromRawBlock raw: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 128)
    for w in 0..<8 {
        for lane in 0..<2 {
            for m in 0..<8 {
                var byte: UInt8 = 0
                for j in 0..<8 {
                    let bit = (raw[16 * j + 8 * lane + m] >> UInt8(w)) & 1
                    byte |= bit << UInt8(j)
                }
                out[16 * w + 8 * lane + m] = byte
            }
        }
    }
    return out
}
