import Escrow
import Foundation
import Sodium
import Testing

/// Helpers for the unlock, ceremony, release and TOTP CLI tests: a 3-of-5 vault `acme` with a password and a TOTP
/// seed, requests and approvals as files, and the library (used only to forge what a malicious party could send).
extension StoreCLIFixture {
    static let password = "Tr0ub4dor&3-correct-horse-battery"
    static let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

    /// The standard store plus `root-password` and `root-mfa` in `acme` (and `mallory` in the roster, holding no
    /// share, when asked).
    func unlockStore(withMallory: Bool = false) throws {
        try standardStore()
        try succeed(
            ["vault", "put", "acme", "root-password", "--kind", "password"] + acting("bob"),
            stdin: Array((Self.password + "\n").utf8)
        )
        try succeed(
            ["vault", "put", "acme", "root-mfa", "--kind", "totp"] + acting("carol"),
            stdin: Array("otpauth://totp/AWS:root@123456789012?secret=\(Self.seed)&issuer=AWS\n".utf8)
        )
        if withMallory {
            try newIdentities(["mallory"])
            try succeed(["custodian", "add", cli.path("mallory.id")] + acting("alice"))
        }
    }

    /// `escrow unlock request acme --entry … --reason … --out FILE` as `name`; returns the file's path.
    @discardableResult
    func request(
        _ file: String,
        entries: [String] = ["root-password"],
        by name: String = "alice",
        extra: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        var arguments = ["unlock", "request", "acme", "--reason", "billing dispute, ticket 4711"]
        for entry in entries { arguments += ["--entry", entry] }
        try succeed(
            arguments + extra + acting(name) + ["--out", cli.path(file)],
            sourceLocation: sourceLocation
        )
        return cli.path(file)
    }

    /// `escrow unlock approve REQ --yes --out NAME.approval` as `name`; returns the approval's path.
    @discardableResult
    func approve(
        _ request: String,
        by name: String,
        as file: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let path = cli.path(file ?? "\(name).approval")
        try succeed(
            ["unlock", "approve", request, "--yes", "--out", path] + acting(name),
            sourceLocation: sourceLocation
        )
        return path
    }

    /// The audit log's lines.
    func auditLines() throws -> [String] {
        try read("store/audit.log").split(separator: "\n").map(String.init)
    }

    /// The unlocked identity of `name` (library side; the fixture's passphrases are known).
    func unlockedIdentity(_ name: String) throws -> CustodianIdentity {
        try Sodium.initialize()
        let file = try IdentityFile.decode(try FileSystem.read(cli.path("\(name).id")), source: name)
        return try file.unseal(
            passphrase: SecureBytes(copying: Array("correct horse battery staple \(name)".utf8)),
            allowTestProfile: true
        )
    }

    /// Writes an approval signed by `name` for the request at `requestPath`, carrying `share` at `x`: what a
    /// malicious or broken custodian (or a non-custodian) could produce.
    func forgeApproval(
        for requestPath: String,
        by name: String,
        x: UInt8,
        share: SecureBytes,
        generation: Int64? = nil,
        to file: String
    ) throws -> String {
        let request = try UnlockRequest.decode(try FileSystem.read(requestPath), source: requestPath)
        var target = request.targets[0]
        if let generation { target.generation = generation }
        let approval = try UnlockApproval.seal(
            [UnlockApproval.Contribution(target: target, x: x, share: share)],
            for: request,
            by: try unlockedIdentity(name),
            at: request.createdAt
        )
        try Data(try approval.encoded()).write(to: URL(fileURLWithPath: cli.path(file)))
        return cli.path(file)
    }

    /// Every store file but the audit log, and the audit log, separately.
    func storeWithoutAudit() throws -> (files: [String: Data], audit: Data) {
        var files = try snapshot()
        let audit = files.removeValue(forKey: "/audit.log") ?? Data()
        return (files, audit)
    }
}
