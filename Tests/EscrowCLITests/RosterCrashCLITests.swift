import Escrow
import Foundation
import Testing

/// kill -9 in the roster ceremonies (`custodian add`, `remove`, `propose`, `endorse`, `apply`), each killed from the
/// same store again and again: after every kill the store keeps its invariants (``CrashCLITests/check``), a change
/// file or endorsement is either absent or whole, and the retry finishes the job: it succeeds, or refuses in one line
/// because the killed run had already committed the change (or written the file). Never two roster events for one
/// change, never anything left uncommitted.
extension CrashCLITests {
    /// What one command of the roster test does and how its retry answers once the job is done.
    struct RosterStep {
        let arguments: [String]
        /// The file the command writes (`--out`), if any, instead of a roster event.
        let output: String?
        /// The retry's refusal when the killed run already finished the job.
        let done: String
    }

    /// Runs `step` `runs` times from the store and state directory as they are now (restored before each run):
    /// one kill at a drawn point, the invariants, then the retry. The last run's result is kept.
    static func killRosterStep(
        _ fixture: StoreCLIFixture,
        _ step: RosterStep,
        runs: Int,
        generator: inout some RandomNumberGenerator
    ) throws -> [KillPoint: Int] {
        let snapshot = fixture.cli.path("roster-store")
        let stateSnapshot = fixture.cli.path("roster-state")
        let state = fixture.cli.path("state")
        try copyTree(fixture.store, to: snapshot)
        try copyTree(state, to: stateSnapshot)
        let profile = try measure(fixture, step.arguments)
        var points: [KillPoint: Int] = [:]
        for run in 0..<runs {
            try copyTree(snapshot, to: fixture.store)
            try copyTree(stateSnapshot, to: state)
            if let output = step.output { try? FileManager.default.removeItem(atPath: output) }
            let committedBefore = try committed(fixture, store: fixture.store)
            let rosterBefore = try Ledger.open(at: fixture.store).state.rosterHead
            let killed = try runKilled(
                fixture,
                step.arguments,
                trigger: trigger(for: profile, using: &generator),
                store: fixture.store
            ).killed
            let (ledger, _) = try check(fixture, store: fixture.store, committedBefore: committedBefore)
            let point =
                killed
                ? try killPoint(ledger, store: fixture.store, fixture, committedBefore: committedBefore) : .finished
            points[point, default: 0] += 1
            var finished = point == .committed || point == .finished
            if let output = step.output {
                // A change file or endorsement is whole or absent: never a prefix a later command chokes on.
                finished = FileManager.default.fileExists(atPath: output)
                if finished {
                    let data = try Data(contentsOf: URL(fileURLWithPath: output))
                    let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
                    #expect(
                        (document?["format"] as? String)?.hasPrefix("escrow-roster-") == true,
                        "run \(run): \(output) holds \(data.count) bytes that are not a whole document"
                    )
                }
                #expect(ledger.state.rosterHead == rosterBefore, "run \(run): the store changed")
            }
            let retry = try fixture.run(step.arguments)
            let errors = retry.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
            if finished {
                #expect(
                    retry.status != 0 && errors.count == 1 && retry.stderr.contains(step.done),
                    "run \(run) (\(point.rawValue)): retry: status \(retry.status), stderr: \(retry.stderr)"
                )
            } else {
                #expect(retry.status == 0, "run \(run) (\(point.rawValue)): retry: \(retry.stderr)")
            }
            let (after, _) = try check(fixture, store: fixture.store, committedBefore: committedBefore)
            // One roster event for the change (none for a file), and nothing left uncommitted.
            let rosterEvents = { (ledger: Ledger) in ledger.graph.events.filter { $0.type == "roster" }.count }
            if step.output == nil {
                #expect(after.state.rosterHead != rosterBefore, "run \(run): no roster change")
                #expect(
                    rosterEvents(after) == rosterEvents(try Ledger.open(at: snapshot)) + 1,
                    "run \(run): \(rosterEvents(after)) roster events"
                )
            } else {
                #expect(after.state.rosterHead == rosterBefore)
            }
            let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"]).split(separator: "\n")
                .filter { !($0.hasPrefix("?? ") && $0.contains(".json.tmp-")) }
            #expect(status.isEmpty, "run \(run): uncommitted after the retry: \(status)")
        }
        print("escrow \(step.arguments.prefix(2).joined(separator: " ")): \(describe(points))")
        return points
    }

    @Test func rosterCeremoniesSurviveKills() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(custodians: ["bob", "carol"], git: true)
        try fixture.newIdentities(["dave", "erin"])
        var generator = Self.generator(0x5EED_0005)
        let runs = Self.size(2, 8, 30)
        let bob = ["--endorse", fixture.cli.path("bob.id"), "--passphrase-file", fixture.cli.path("bob.pass")]
        let change = fixture.cli.path("change.json")
        let endorsement = fixture.cli.path("bob.endorsement")
        let steps = [
            RosterStep(
                arguments: ["custodian", "add", try fixture.publicLine("dave")] + fixture.acting("alice") + bob,
                output: nil,
                done: "the name 'dave' is taken in this store"
            ),
            RosterStep(
                arguments: ["custodian", "remove", "carol"] + fixture.acting("alice") + bob,
                output: nil,
                done: "'carol' is not a member of this store"
            ),
            RosterStep(
                arguments: [
                    "custodian", "propose", "add", try fixture.publicLine("erin"), "--out", change, "--store",
                    fixture.store,
                ],
                output: change,
                done: "already exists"
            ),
            RosterStep(
                arguments: ["custodian", "endorse", change, "--out", endorsement] + fixture.acting("bob"),
                output: endorsement,
                done: "already exists"
            ),
            RosterStep(
                arguments: ["custodian", "apply", change, "--endorsement", endorsement] + fixture.acting("alice"),
                output: nil,
                done: "was proposed against another roster"
            ),
        ]
        for step in steps {
            _ = try Self.killRosterStep(
                fixture,
                step,
                runs: step.output == nil ? runs : max(1, runs / 2),
                generator: &generator
            )
        }
        let state = try Ledger.open(at: fixture.store).state
        #expect(Set(state.members.values.map(\.identity.name)) == ["alice", "bob", "dave", "erin"])
    }

    /// A roster change written by a killed run but not committed (made deterministically): the retry commits it
    /// and reports it, instead of refusing it as done while no other clone can see it.
    @Test(arguments: ["add", "remove", "apply"])
    func retryFinishesAnInterruptedRosterChange(_ command: String) throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(custodians: ["bob", "carol"], git: true)
        try fixture.newIdentities(["dave"])
        let ledger = try Ledger.open(at: fixture.store)
        let change = fixture.cli.path("change.json")
        var body: RosterBody
        var arguments: [String]
        let bob = ["--endorse", fixture.cli.path("bob.id"), "--passphrase-file", fixture.cli.path("bob.pass")]
        switch command {
        case "add":
            body = try ledger.rosterChange(
                add: [MemberRecord(try fixture.publicIdentity("dave"), role: .custodian)],
                remove: [],
                quorum: nil
            )
            arguments = ["custodian", "add", try fixture.publicLine("dave")] + fixture.acting("alice") + bob
        case "remove":
            body = try ledger.rosterChange(add: [], remove: ["carol"], quorum: nil)
            arguments = ["custodian", "remove", "carol"] + fixture.acting("alice") + bob
        default:
            try fixture.succeed(
                [
                    "custodian", "propose", "add", try fixture.publicLine("dave"), "--out", change, "--store",
                    fixture.store,
                ]
            )
            body = try ledger.rosterChange(
                add: [MemberRecord(try fixture.publicIdentity("dave"), role: .custodian)],
                remove: [],
                quorum: nil
            )
            let endorsement = fixture.cli.path("bob.endorsement")
            try fixture.succeed(["custodian", "endorse", change, "--out", endorsement] + fixture.acting("bob"))
            arguments = ["custodian", "apply", change, "--endorsement", endorsement] + fixture.acting("alice")
        }
        // The killed run: the event written, not committed.
        body.approvals = [
            try ledger.endorse(body, by: try fixture.unlockedIdentity("alice")),
            try ledger.endorse(body, by: try fixture.unlockedIdentity("bob")),
        ]
        let event = try ledger.event(
            .roster,
            body: body,
            by: try fixture.unlockedIdentity("alice"),
            at: EscrowClock.system.now
        )
        try ledger.append([event])
        #expect(!(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty))

        let done = try fixture.succeed(arguments + ["--json"])
        #expect(done.stderr.contains("an interrupted run of this command wrote this change"), "\(done.stderr)")
        let result = try jsonObject(done.stdout)
        #expect(result["event"] as? String == event.id.description)
        #expect(result["endorsers"] as? [String] == ["alice", "bob"])
        #expect(try fixture.git(["status", "--porcelain", "--untracked-files=all"]).isEmpty)
        #expect(try Self.committed(fixture, store: fixture.store, head: true).contains(event.relativePath))
        let after = try Ledger.open(at: fixture.store)
        #expect(after.state.rosterHead == event.id)
        #expect(
            after.graph.events.filter { $0.type == "roster" }.count
                == ledger.graph.events.filter { $0.type == "roster" }.count
        )
        // Now committed: the retry says it is done.
        let again = try fixture.run(arguments)
        #expect(again.status != 0, "\(again.stderr)")
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }
}
