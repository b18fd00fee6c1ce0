import CanonicalJSON
import Escrow
import Sodium

/// Valid starting inputs per target (without the selector byte), written by `EscrowFuzz --write-seeds DIR`.
enum Seeds {
    static func make(_ target: String) -> [[UInt8]] {
        let fixture = Fixture.shared
        let events = fixture.events
        let bodies: [String: [UInt8]] = Dictionary(
            events.map { ($0.type, JSONWriter.canonical($0.body)) },
            uniquingKeysWith: { first, _ in first }
        )
        let bundle = (try? fixture.bundle.encoded()) ?? []
        switch target {
        case "json":
            return [
                Array(events[1].bytes.dropLast()), bundle, Array(#"{"a":[1,-2,true,null,"\u00e9\n"],"b":{}}"#.utf8),
            ]
        case "strict-decoder":
            let models = ["deposit", "request", "approval", "", "roster", "vault.create", "execution", "custody"]
            return models.enumerated().map { index, type in
                [UInt8(index)] + (type.isEmpty ? bundle : bodies[type] ?? [])
            }
        case "event":
            var seen: Set<String> = []
            return events.filter { seen.insert($0.type).inserted }.map(\.bytes)
        case "event-mutation":
            return [[0, 0], [3, 1, 0, 0, 40, 65], [7, 2, 2, 0, 200, 32, 3, 0, 10, 0]]
        case "bundle":
            return [bundle]
        case "identity-file":
            let limits = PasswordHash.Limits.interactive
            let file = try? IdentityFile.seal(
                fixture.people[0],
                passphrase: SecureBytes(copying: Array("correct horse battery staple".utf8)),
                limits: limits,
                createdAt: UTCTime(secondsSinceEpoch: 1_780_000_000)
            )
            return [(try? file?.encoded()) ?? nil].compactMap { $0 }
        case "identity-line":
            return fixture.people.map { Array($0.publicIdentity.line.utf8) }
        case "otpauth":
            return [
                "otpauth://totp/AWS:root?secret=JBSWY3DPEHPK3PXP&issuer=AWS&algorithm=SHA256&digits=8&period=60",
                "otpauth://totp/acme?secret=jbswy3dpehpk3pxp", "JBSWY3DPEHPK3PXP",
            ].map { Array($0.utf8) }
        case "base32":
            return ["JBSWY3DPEHPK3PXP", "MZXW6===", "mzxw 6ytb-oi"].map { Array($0.utf8) }
        case "slip39-share":
            return Array(SLIP39CombineTarget.material.mnemonics.prefix(3))
        case "slip39-combine":
            return [[2, 0, 0, 1, 0, 3, 0], [4, 0, 0, 2, 0, 4, 0, 5, 0, 6, 0]]
        case "fold":
            let count: [UInt8] = [UInt8(events.count - 2)]
            let verbatim: [UInt8] = (0..<events.count - 1).flatMap { [UInt8($0), 0x80] }
            let resigned: [UInt8] = (0..<events.count - 1).flatMap { [UInt8($0), 0x00, 0, UInt8($0)] }
            let zeros = [UInt8](repeating: 0, count: 64)
            let mixed: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let other: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 91) }
            return [count + verbatim + zeros, count + verbatim + mixed, count + resigned + other]
        default:
            return []
        }
    }
}
