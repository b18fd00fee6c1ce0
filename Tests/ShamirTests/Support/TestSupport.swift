import Foundation

enum Hex {
    static func decode(_ text: String) -> [UInt8] {
        var bytes = [UInt8]()
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(value(high) << 4 | value(low)))
        }
        return bytes
    }

    static func encode(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func value(_ c: UInt8) -> Int {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c) - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(c) - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c) - 55
        default: 0
        }
    }
}

enum Vectors {
    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}

/// Every k-element subset of 0..<n, in lexicographic order.
func subsets(of n: Int, size k: Int) -> [[Int]] {
    guard k > 0 else { return [[]] }
    guard k <= n else { return [] }
    var result = [[Int]]()
    var current = Array(0..<k)
    while true {
        result.append(current)
        var i = k - 1
        while i >= 0 && current[i] == n - k + i { i -= 1 }
        if i < 0 { return result }
        current[i] += 1
        for j in (i + 1)..<k { current[j] = current[j - 1] + 1 }
    }
}

/// Textbook GF(2^8)/0x11B multiply with branches: the independent reference (tests only).
func referenceMultiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
    var a = a
    var b = b
    var p: UInt8 = 0
    while b != 0 {
        if b & 1 == 1 { p ^= a }
        let carry = a & 0x80 != 0
        a <<= 1
        if carry { a ^= 0x1B }
        b >>= 1
    }
    return p
}
