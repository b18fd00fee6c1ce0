import Foundation
import Sodium
import Testing

@Suite struct HashTests {
    @Test func blake2b512KnownAnswers() {
        #expect(
            GenericHash.hash([UInt8](), count: 64).hex
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        )
        #expect(
            GenericHash.hash("abc".bytes, count: 64).hex
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
        #expect(
            GenericHash.hash("abc".bytes).hex == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        )
        let key = SecureBytes(copying: (0..<32).map { UInt8($0) })
        #expect(
            GenericHash.hash("abc".bytes, key: key).hex
                == "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f"
        )
        // The caller-buffer form gives the same keyed digest.
        var digest = [UInt8](repeating: 0, count: 32)
        let keyBytes = (0..<32).map { UInt8($0) }
        "abc".bytes.withUnsafeBytes { data in
            keyBytes.withUnsafeBytes { k in digest.withUnsafeMutableBytes { GenericHash.hash(data, key: k, into: $0) } }
        }
        #expect(digest.hex == "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f")
    }

    /// The streamed digest of a message cut anywhere equals the one-shot digest: the known answer for "abc" in three
    /// parts, and random messages (across BLAKE2b's 128-byte blocks) cut at random points, for several lengths.
    @Test func blake2bStreamedInPartsEqualsOneShot() {
        var abc = GenericHashStream(count: 64)
        abc.update("a".bytes)
        abc.update([UInt8]())
        abc.update("bc".bytes)
        #expect(
            abc.finalize().hex
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let message = (0..<Int.random(in: 0...700, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let count = [16, 32, 64][round % 3]
            var cuts = (0..<(round % 5)).map { _ in Int.random(in: 0...message.count, using: &generator) }.sorted()
            cuts = [0] + cuts + [message.count]
            var stream = GenericHashStream(count: count)
            for index in 1..<cuts.count { stream.update(Array(message[cuts[index - 1]..<cuts[index]])) }
            #expect(stream.finalize() == GenericHash.hash(message, count: count), "round \(round)")
        }
    }

    /// RFC 4231 test cases 1-4, 6, 7 (HMAC-SHA-256).
    @Test(arguments: [
        (
            [UInt8](repeating: 0x0b, count: 20), "Hi There".bytes,
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "Jefe".bytes, "what do ya want for nothing?".bytes,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            (1...25).map { UInt8($0) }, [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First".bytes,
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131),
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                .bytes,
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func hmacSHA256RFC4231(key: [UInt8], data: [UInt8], expected: String) {
        #expect(HMACSHA256.authenticate(data, key: key).hex == expected)
    }

    /// RFC 4231 test cases 1 and 2 (HMAC-SHA-512).
    @Test func hmacSHA512RFC4231() {
        #expect(
            HMACSHA512.authenticate("Hi There".bytes, key: [UInt8](repeating: 0x0b, count: 20)).hex
                == "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        )
        #expect(
            HMACSHA512.authenticate("what do ya want for nothing?".bytes, key: "Jefe".bytes).hex
                == "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        )
    }

    struct PBKDF2File: Decodable {
        struct Vector: Decodable {
            let password: String
            let salt: String
            let c: Int
            let dkLen: Int
            let derivedKeyHex: String

            enum CodingKeys: String, CodingKey {
                case c, dkLen
                case password = "P"
                case salt = "S"
                case derivedKeyHex = "DK_hex"
            }
        }
        let vectors: [Vector]
    }

    /// RFC 7914 section 11 (PBKDF2-HMAC-SHA-256), from the vectors file.
    @Test func pbkdf2RFC7914() throws {
        let url = try #require(
            Bundle.module.url(forResource: "Vectors/pbkdf2_hmac_sha256_rfc7914", withExtension: "json")
        )
        let file = try JSONDecoder().decode(PBKDF2File.self, from: Data(contentsOf: url))
        #expect(file.vectors.count == 2)
        for vector in file.vectors {
            var output = [UInt8](repeating: 0, count: vector.dkLen)
            vector.password.bytes.withUnsafeBytes { password in
                vector.salt.bytes.withUnsafeBytes { salt in
                    output.withUnsafeMutableBytes {
                        PBKDF2.deriveSHA256(password: password, salt: salt, iterations: vector.c, into: $0)
                    }
                }
            }
            #expect(output.hex == vector.derivedKeyHex)
        }
    }

    @Test func pbkdf2PartialBlockIsPrefixOfLongerOutput() {
        func derive(_ count: Int) -> [UInt8] {
            var output = [UInt8](repeating: 0, count: count)
            "passwd".bytes.withUnsafeBytes { p in
                "salt".bytes.withUnsafeBytes { s in
                    output.withUnsafeMutableBytes { PBKDF2.deriveSHA256(password: p, salt: s, iterations: 1, into: $0) }
                }
            }
            return output
        }
        #expect(derive(20) == Array(derive(64).prefix(20)))
        #expect(derive(0) == [])
    }

    @Test func sha256KnownAnswer() {
        #expect(SHA256.hash("abc".bytes).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
