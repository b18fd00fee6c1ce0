import Sodium
import Testing

@testable import Shamir

private struct FieldVectors: Decodable {
    struct Product: Decodable {
        let a: String
        let b: String
        let product: String

        enum CodingKeys: String, CodingKey {
            case a, b
            case product = "a_times_b"
        }
    }
    struct Quotient: Decodable {
        let a: String
        let b: String
        let quotient: String

        enum CodingKeys: String, CodingKey {
            case a, b
            case quotient = "a_div_b"
        }
    }
    let products: [Product]
    let quotients: [Quotient]
    let inverseTableHex: String
    let expTableHex: String
    let logTableHex: String
    let productTableSHA256: String

    enum CodingKeys: String, CodingKey {
        case products, quotients
        case inverseTableHex = "inverse_table_hex"
        case expTableHex = "exp_table_gen03_hex"
        case logTableHex = "log_table_gen03_hex"
        case productTableSHA256 = "mul_table_sha256"
    }
}

@Suite struct GF256Tests {
    private let vectors: FieldVectors

    init() throws {
        vectors = try Vectors.load("aes_field", as: FieldVectors.self)
    }

    @Test func publishedProductsAndQuotients() {
        #expect(vectors.products.count >= 2)
        for product in vectors.products {
            let a = Hex.decode(product.a)[0]
            let b = Hex.decode(product.b)[0]
            #expect(GF256.multiply(a, b) == Hex.decode(product.product)[0], "\(product.a) • \(product.b)")
        }
        #expect(GF256.multiply(0x57, 0x83) == 0xC1)
        #expect(GF256.multiply(0x57, 0x13) == 0xFE)
        for quotient in vectors.quotients {
            let a = Hex.decode(quotient.a)[0]
            let b = Hex.decode(quotient.b)[0]
            #expect(GF256.divide(a, b) == Hex.decode(quotient.quotient)[0])
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
        #expect(Hex.encode(SHA256.hash(table)) == vectors.productTableSHA256)
    }

    @Test func productTableAgreesWithLogExpTables() {
        let exp = Hex.decode(vectors.expTableHex)
        let log = Hex.decode(vectors.logTableHex)
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
        let table = Hex.decode(vectors.inverseTableHex)
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
