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
}
