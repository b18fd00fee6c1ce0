import Sodium
import Testing

@testable import Escrow

/// Expects two ledgers of one store to hold exactly the same fold: every member of the state, the graph's order,
/// heads, equivocations, heights and recent ancestry.
func expectSameLedger(_ warm: Ledger, _ cold: Ledger, sourceLocation: SourceLocation = #_sourceLocation) {
    expectSameState(warm.state, cold.state, sourceLocation: sourceLocation)
    expectSameGraph(warm.graph, cold.graph, sourceLocation: sourceLocation)
}

func expectSameState(_ warm: LedgerState, _ cold: LedgerState, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(warm.storeID == cold.storeID, sourceLocation: sourceLocation)
    #expect(warm.storeName == cold.storeName, sourceLocation: sourceLocation)
    #expect(warm.genesis == cold.genesis, sourceLocation: sourceLocation)
    #expect(warm.rosterQuorum == cold.rosterQuorum, sourceLocation: sourceLocation)
    #expect(warm.rosterHead == cold.rosterHead, sourceLocation: sourceLocation)
    #expect(warm.members == cold.members, sourceLocation: sourceLocation)
    #expect(warm.formerKeys == cold.formerKeys, sourceLocation: sourceLocation)
    #expect(warm.vaults == cold.vaults, sourceLocation: sourceLocation)
    #expect(warm.vaultNames == cold.vaultNames, sourceLocation: sourceLocation)
    #expect(warm.versionIDs == cold.versionIDs, sourceLocation: sourceLocation)
    #expect(warm.requests == cold.requests, sourceLocation: sourceLocation)
    #expect(warm.requestIDs == cold.requestIDs, sourceLocation: sourceLocation)
    #expect(warm.findings == cold.findings, sourceLocation: sourceLocation)
    #expect(warm.latestByAuthor == cold.latestByAuthor, sourceLocation: sourceLocation)
    #expect(warm.eventCount == cold.eventCount, sourceLocation: sourceLocation)
}

func expectSameGraph(_ warm: EventGraph, _ cold: EventGraph, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(warm.count == cold.count, sourceLocation: sourceLocation)
    #expect(warm.canonicalOrder == cold.canonicalOrder, sourceLocation: sourceLocation)
    #expect(warm.heads == cold.heads, sourceLocation: sourceLocation)
    #expect(warm.store == cold.store, sourceLocation: sourceLocation)
    #expect(
        warm.equivocations.map { [$0.0, $0.1] } == cold.equivocations.map { [$0.0, $0.1] },
        sourceLocation: sourceLocation
    )
    for id in cold.canonicalOrder {
        #expect(warm.height(of: id) == cold.height(of: id), sourceLocation: sourceLocation)
    }
    let recent = cold.canonicalOrder.suffix(24)
    for id in recent {
        #expect(warm.ancestors(of: id) == cold.ancestors(of: id), sourceLocation: sourceLocation)
        for other in recent {
            #expect(warm.isAncestor(other, of: id) == cold.isAncestor(other, of: id), sourceLocation: sourceLocation)
        }
    }
}

/// A store (a ``LedgerFixture``) in a git work tree with a bare remote, and a second clone of it.
struct WarmClones {
    let fixture: LedgerFixture
    let a: GitRepository
    let b: GitRepository
    var home: String { fixture.directory.path }

    init(withVault: Bool = true) throws {
        fixture = try LedgerFixture(withVault: withVault)
        let home = fixture.directory.path
        try ledgerGit(["init", "--quiet", "--bare", "remote.git"], in: home, home: home)
        try ledgerGit(["init", "--quiet"], in: fixture.path, home: home)
        try ledgerGit(["remote", "add", "origin", fixture.directory.file("remote.git")], in: fixture.path, home: home)
        try ledgerGit(["add", "-A"], in: fixture.path, home: home)
        try ledgerGit(["commit", "--quiet", "-m", "init"], in: fixture.path, home: home)
        try ledgerGit(["push", "--quiet", "--set-upstream", "origin", "main"], in: fixture.path, home: home)
        try ledgerGit(["clone", "--quiet", "remote.git", "b"], in: home, home: home)
        let environment = ledgerGitEnvironment(home: home)
        a = GitRepository(workTree: fixture.path, environment: environment)
        b = GitRepository(workTree: fixture.directory.file("b"), environment: environment)
    }

    /// Commits every new file of `git`'s work tree.
    func commitAll(_ git: GitRepository, _ message: String) throws {
        try ledgerGit(["add", "-A"], in: git.workTree, home: home)
        try ledgerGit(["commit", "--quiet", "-m", message], in: git.workTree, home: home)
    }
}
