import ArgumentParser
import Escrow

/// `escrow custodian list`: the roster.
struct CustodianListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the custodians in the store's roster and how many vaults each holds a share of."
    )

    @OptionGroup var store: StoreOptions

    @Flag(help: "Also list former custodians.")
    var former = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try CommandRuntime.start()
            let opened = try store.open()
            let roster = try opened.roster()
            let vaults = try opened.vaults()
            opened.reportRecovery()
            func held(_ member: RosterMember) -> [String] {
                vaults.filter { $0.policy.custodian(fingerprint: member.identity.fingerprint) != nil }.map(\.name)
            }
            let members = roster.members + (former ? roster.former : [])
            if json {
                Output.json(.array(members.map { CustodianJSON.value($0, vaults: held($0)) }))
                return
            }
            Output.table(
                ["NAME", "EMAIL", "FINGERPRINT", "ADDED", "VAULTS"],
                members.map { member in
                    let status = member.removedAt.map { "removed \($0)" } ?? String(held(member).count)
                    return [
                        member.identity.name, member.identity.email, member.identity.fingerprint.description,
                        member.addedAt.description, status,
                    ]
                }
            )
        }
    }
}

/// The JSON shape of a roster member in `custodian list|show --json`.
enum CustodianJSON {
    static func value(_ member: RosterMember, vaults: [String]) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(member.identity.name), "email": .string(member.identity.email),
            "fingerprint": .string(member.identity.fingerprint.description),
            "public_identity": .string(member.identity.line),
            "added_at": .string(member.addedAt.description), "added_by": .string(member.addedBy.description),
            "vaults": .array(vaults.map(JSONValue.string)), "active": .bool(member.removedAt == nil),
        ]
        if let removedAt = member.removedAt { object["removed_at"] = .string(removedAt.description) }
        if let removedBy = member.removedBy { object["removed_by"] = .string(removedBy.description) }
        return .object(object)
    }
}
