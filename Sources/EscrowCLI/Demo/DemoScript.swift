import Escrow
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The steps of `escrow demo`, in order. Each group is a function so that later features add their own group in
/// ``steps(in:)``.
enum DemoScript {
    static let custodians = ["alice", "bob", "carol", "dave", "erin"]
    static let vault = "acme-prod"

    static func steps(in workspace: DemoWorkspace) -> [DemoStep] {
        custodianSteps(workspace) + storeSteps(workspace) + vaultSteps(workspace) + unlockSteps(workspace)
            + departureSteps(workspace) + auditSteps(workspace)
    }

    /// `--store $DEMO/store --identity NAME.id --passphrase-file NAME.pass`.
    static func acting(_ name: String, _ workspace: DemoWorkspace) -> [String] {
        [
            "--store", workspace.store, "--identity", workspace.path("\(name).id"), "--passphrase-file",
            workspace.path("\(name).pass"),
        ]
    }

    static func custodianSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        [
            DemoStep(
                "Five custodians create their identities",
                [
                    "Each custodian runs 'escrow custodian new' on their own laptop: an Ed25519 key pair, the private",
                    "half sealed under a passphrase (Argon2id + XChaCha20-Poly1305), the public half printed as one line.",
                    "Here the passphrases are random and stored in files, and Argon2 is set to its cheapest (--kdf",
                    "minimal, which only the demo and tests accept) so the demo runs in seconds; real identities use",
                    "the default, moderate.",
                ],
                prepare: { workspace in
                    for name in custodians {
                        let passphrase = Sodium.randomPassword(
                            length: 24,
                            alphabet: Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
                        )
                        try workspace.writeSecret(passphrase, to: "\(name).pass")
                    }
                },
                commands: custodians.map { name in
                    [
                        "custodian", "new", name, "--email", "\(name)@example.com", "--identity",
                        workspace.path("\(name).id"),
                        "--passphrase-file", workspace.path("\(name).pass"), "--kdf", "minimal",
                    ]
                }
            )
        ]
    }

    static func storeSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        [
            DemoStep(
                "Alice creates the store",
                [
                    "The store is a plain directory (roster, one file per vault, audit log) that a team can keep in git.",
                    "Alice founds it: she becomes the first roster member and signs the first audit record.",
                ],
                commands: [["init"] + acting("alice", workspace) + ["--reason", "Demo: a new escrow team"]]
            ),
            DemoStep(
                "Alice adds the other custodians to the roster",
                [
                    "Bob, Carol, Dave and Erin send Alice their public lines (saved here as NAME.pub); she checks each",
                    "fingerprint with its owner, out of band, and adds them. Each addition is a signed audit record.",
                ],
                prepare: { workspace in
                    for name in custodians.dropFirst() {
                        let file = try IdentityFile.decode(
                            try FileSystem.read(workspace.path("\(name).id")),
                            source: name
                        )
                        try workspace.writeText(file.publicIdentity.line + "\n", to: "\(name).pub")
                    }
                },
                commands: custodians.dropFirst().map { name in
                    ["custodian", "add", workspace.path("\(name).pub")] + acting("alice", workspace)
                } + [["custodian", "list", "--store", workspace.store]]
            ),
        ]
    }

    static func vaultSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        [
            DemoStep(
                "Key ceremony: a 3-of-5 vault for an AWS root account",
                [
                    "The vault's master key is generated in guarded memory, split with Shamir's scheme so that any 3",
                    "of the 5 custodians can rebuild it, each share encrypted to its custodian, and the key wiped.",
                    "Public metadata describes the account; nothing secret is in it.",
                ],
                commands: [
                    [
                        "vault", "init", vault, "--threshold", "3", "--custodians", custodians.joined(separator: ","),
                        "--metadata", "provider=aws", "--metadata", "account_id=123456789012", "--metadata",
                        "org_role=management",
                        "--metadata", "org_id=o-a1b2c3d4e5", "--metadata", "root_email=aws-root@acme.example",
                        "--metadata", "mfa=root-virtual-mfa",
                    ] + acting("alice", workspace) + ["--reason", "Onboarding ACME's management account"]
                ]
            ),
            DemoStep(
                "Bob deposits a generated root password",
                [
                    "Depositing needs no quorum: the value is sealed to the vault's public key and signed by the",
                    "depositor. --generate makes a 24-character password with every character class and never shows it.",
                ],
                commands: [
                    ["vault", "put", vault, "root-password", "--kind", "password", "--generate"]
                        + acting("bob", workspace)
                        + ["--reason", "Initial root password"]
                ]
            ),
            DemoStep(
                "Carol deposits the root account's MFA seed",
                [
                    "The TOTP seed comes as the otpauth:// URI from AWS's QR code (here a published RFC 6238 test seed,",
                    "not a real secret), read from a file. The seed is sealed; issuer, digits and period stay readable.",
                ],
                prepare: { workspace in
                    try workspace.writeText(
                        "otpauth://totp/Amazon%20Web%20Services:root@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                            + "&issuer=Amazon%20Web%20Services\n",
                        to: "root-mfa.uri"
                    )
                },
                commands: [
                    ["vault", "put", vault, "root-mfa", "--kind", "totp", "--in", workspace.path("root-mfa.uri")]
                        + acting("carol", workspace) + ["--reason", "Virtual MFA device enrolled"]
                ]
            ),
            DemoStep(
                "Dave rotates the root password",
                [
                    "A new deposit into the same entry adds version 2; version 1 stays sealed, marked superseded."
                ],
                commands: [
                    ["vault", "put", vault, "root-password", "--kind", "password", "--generate"]
                        + acting("dave", workspace)
                        + ["--reason", "Quarterly rotation"],
                    ["vault", "show", vault, "--store", workspace.store],
                ]
            ),
        ]
    }

    /// The asynchronous quorum unlock: a request, three approvals, the status, and the opening (the password and the
    /// current TOTP code).
    static func unlockSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        let request = workspace.path("request.json")
        let approvers = ["bob", "carol", "erin"]
        let approvals = approvers.map { workspace.path("\($0).approval") }
        return [
            DemoStep(
                "Alice requests the root credentials",
                [
                    "Nobody above could read the root password, not even its depositors: only the vault's master key",
                    "opens it, and that key exists only as five encrypted shares. Alice asks for a quorum: the request",
                    "names the vault, its generation, the entries, her reason and an expiry, and carries a fresh public",
                    "key for the custodians' shares (its secret half sealed to Alice). It is a file; the store is untouched.",
                ],
                commands: [
                    [
                        "unlock", "request", vault, "--entry", "root-password", "--entry", "root-mfa", "--reason",
                        "Billing dispute with AWS support, ticket 4711", "--ttl", "4h",
                    ] + acting("alice", workspace) + ["--out", request]
                ]
            ),
            DemoStep(
                "Bob, Carol and Erin approve, each on their own laptop",
                [
                    "Each sees the request (vault, entries, reason, requester, expiry, the request code to read aloud),",
                    "confirms (--yes here), and their identity decrypts their share and re-encrypts it to the request's",
                    "key, bound to this exact request. The approval is a signed file sent back to Alice.",
                ],
                commands: zip(approvers, approvals).map { name, file in
                    ["unlock", "approve", request, "--yes"] + acting(name, workspace) + ["--out", file]
                }
            ),
            DemoStep(
                "Anyone checks the status",
                [
                    "No secret is needed to see who approved and how many approvals are still missing."
                ],
                commands: [
                    ["unlock", "status", request, approvals[0], approvals[1], "--store", workspace.store],
                    ["unlock", "status", request] + approvals + ["--store", workspace.store],
                ]
            ),
            DemoStep(
                "Alice opens the credentials",
                [
                    "Everything is verified again; the shares are decrypted with the request key, each checked against",
                    "its recorded digest (a bad one would be named), combined, and the key checked against the vault.",
                    "The TOTP entry shows its current code, not its seed. One audit record; the request never opens again.",
                ],
                commands: [["unlock", "open", request] + approvals + acting("alice", workspace)]
            ),
        ]
    }

    /// A custodian leaves: every vault they hold a share of is re-split with one request, one approval per remaining
    /// custodian and one commit; then they leave the roster.
    static func departureSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        let request = workspace.path("bob-leaves.json")
        let approvers = ["carol", "dave", "erin"]
        let approvals = approvers.map { workspace.path("\($0)-leave.approval") }
        return [
            DemoStep(
                "Two more customers, two more vaults",
                [
                    "A real store holds thousands of vaults; two more 3-of-5 vaults are enough to show the bulk path."
                ],
                commands: ["globex-prod", "initech-prod"].map { name in
                    ["vault", "init", name, "--threshold", "3", "--custodians", custodians.joined(separator: ",")]
                        + acting("alice", workspace) + ["--reason", "Onboarding a new customer"]
                }
            ),
            DemoStep(
                "Bob leaves: one request re-splits every vault he holds a share of",
                [
                    "Bob's shares must stop counting everywhere. One request names, per vault, the generation it",
                    "replaces and the exact new policy (here 3 of the 4 who stay). Nothing changes until it is opened.",
                ],
                commands: [
                    ["vault", "reshare", "--all", "--remove", "bob", "--reason", "Bob leaves the company", "--list"]
                        + acting("alice", workspace) + ["--out", request]
                ]
            ),
            DemoStep(
                "Carol, Dave and Erin approve once each, for all the vaults",
                [
                    "One approval per custodian covers every vault: their shares are re-encrypted to the request's",
                    "key under one key agreement, one authenticated encryption per share.",
                ],
                commands: zip(approvers, approvals).map { name, file in
                    ["unlock", "approve", request, "--yes"] + acting(name, workspace) + ["--out", file]
                }
            ),
            DemoStep(
                "Alice re-splits every vault in one commit, then Bob leaves the roster",
                [
                    "The keys are rebuilt in one batch, checked against each vault, split again for the new custodians",
                    "and committed together: after a crash each vault is in its old or its new generation, never half.",
                    "The keys stay the same, so nothing is re-encrypted; Bob's old shares no longer count anywhere.",
                ],
                commands: [
                    ["unlock", "open", request] + approvals + acting("alice", workspace),
                    ["custodian", "remove", "bob"] + acting("alice", workspace) + ["--reason", "Left the company"],
                    ["vault", "show", vault, "--store", workspace.store],
                ]
            ),
        ]
    }

    static func auditSteps(_ workspace: DemoWorkspace) -> [DemoStep] {
        [
            DemoStep(
                "The audit log",
                [
                    "Every change above wrote one signed record in the same atomic step as the change itself.",
                    "Each record carries the hash of the one before, so editing, removing or reordering any is detected.",
                ],
                commands: [["audit", "show", "--store", workspace.store]]
            ),
            DemoStep(
                "An auditor verifies the log",
                [
                    "The verifier checks the chain, every signature against the roster of its time, and that every",
                    "store file matches its last record. Record the head hash elsewhere to detect a later rewrite.",
                ],
                commands: [["audit", "verify", "--store", workspace.store]]
            ),
        ]
    }
}

/// Flushes buffered standard output so the demo's narration and the commands' own output stay in order.
func flushStandardOutput() {
    fflush(nil)  // all output streams (a reference to `stdout` is not concurrency-safe in Swift 6)
}
