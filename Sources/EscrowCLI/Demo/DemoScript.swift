import Escrow
import Platform
import Sodium

/// The steps of `escrow demo`, in order: a team, a store shared through git by two clones, a custody ceremony,
/// deposits by automation, a scoped unlock, a release the executor cannot read, a custodian leaving, the audit.
enum DemoScript {
    static let custodians = ["alice", "bob", "carol", "dave", "erin"]
    static let vault = "acme-prod"

    /// Every step.
    static var steps: [DemoStep] {
        identitySteps + storeSteps + vaultSteps + unlockSteps + releaseSteps + departureSteps + auditSteps
    }

    /// `--store $DEMO/NAME-store --identity NAME.id --passphrase-file NAME.pass`, on `store`'s clone.
    static func acting(_ name: String, _ workspace: DemoWorkspace, on store: String = "alice") -> [String] {
        [
            "--store", workspace.path("\(store)-store"), "--identity", workspace.path("\(name).id"),
            "--passphrase-file", workspace.path("\(name).pass"),
        ]
    }

    /// The id of the newest request in a clone (what its requester would read from the output and pass on).
    static func newestRequest(_ workspace: DemoWorkspace, on store: String = "alice") throws -> String {
        let ledger = try Ledger.open(at: workspace.path("\(store)-store"))
        // The last in canonical order (times have one-second resolution; the order does not).
        guard let newest = ledger.graph.canonicalOrder.last(where: { ledger.state.requests[$0] != nil }) else {
            throw CLIError("the demo found no request")
        }
        return newest.short
    }

    static var identitySteps: [DemoStep] {
        [
            DemoStep(
                "The team creates identities",
                [
                    "Each person runs 'escrow custodian new' on their own laptop: an Ed25519 key pair, the private half",
                    "sealed under a passphrase (Argon2id + XChaCha20-Poly1305), the public half printed as one line.",
                    "Five custodians, 'robot' (the rotation job, a depositor), 'frank' (joins later) and the customer",
                    "ACME's own identity. Passphrases are random files here, and '--kdf minimal' makes Argon2 as cheap as",
                    "it goes so the demo runs in seconds: a hidden profile for the demo and the tests, which no real",
                    "identity should use. Yours: 'escrow custodian new NAME --identity FILE' (the default profile, your",
                    "passphrase asked twice on the terminal).",
                ],
                prepare: { workspace in
                    for name in custodians + ["robot", "frank", "customer"] {
                        let passphrase = Sodium.randomPassword(
                            length: 24,
                            alphabet: Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
                        )
                        try workspace.writeSecret(passphrase, to: "\(name).pass")
                    }
                },
                commands: { workspace in
                    (custodians + ["robot", "frank", "customer"]).map { name in
                        .escrow([
                            "custodian", "new", name, "--email", "\(name)@example.com", "--identity",
                            workspace.path("\(name).id"), "--passphrase-file", workspace.path("\(name).pass"),
                            "--kdf", "minimal",
                        ])
                    }
                }
            )
        ]
    }

    static var storeSteps: [DemoStep] {
        [
            DemoStep(
                "Alice founds the store in a git repository",
                [
                    "The store is a directory of signed events, one file each, named by its hash: git merges it without",
                    "conflicts. A bare repository stands in for the team's remote. Alice's genesis event fixes the store",
                    "and its roster quorum (2: every roster change needs two custodians' endorsements).",
                ],
                commands: { workspace in
                    [
                        .git(["init", "--quiet", "--bare", workspace.path("remote.git")]),
                        .git(["clone", "--quiet", workspace.path("remote.git"), workspace.path("alice-store")]),
                        .escrow(["init", "--name", "acme-msp", "--roster-quorum", "2"] + acting("alice", workspace)),
                        .escrow(["sync", "--store", workspace.path("alice-store")]),
                    ]
                }
            ),
            DemoStep(
                "Alice adds the team",
                [
                    "Each member sends a public line; the fingerprint is checked with its owner out of band. While the",
                    "roster is smaller than its quorum every member endorses (Alice alone adds Bob); then two do.",
                    "'robot' joins as a depositor: it may deposit, nothing else.",
                ],
                prepare: { workspace in
                    for name in custodians + ["robot", "frank", "customer"] {
                        let file = try IdentityFile.decode(
                            try FileSystem.read(workspace.path("\(name).id")),
                            source: name
                        )
                        try workspace.writeText(file.publicIdentity.line + "\n", to: "\(name).pub")
                    }
                },
                commands: { workspace in
                    let people = ["bob", "carol", "dave", "erin"]
                    var commands: [DemoStep.Command] = []
                    for (index, name) in people.enumerated() {
                        let endorse = index == 0 ? [] : ["--endorse", workspace.path("bob.id")]
                        let passphrases =
                            index == 0 ? [] : ["--passphrase-file", workspace.path("bob.pass")]
                        commands.append(
                            .escrow(
                                ["custodian", "add", "--public", workspace.path("\(name).pub")]
                                    + acting("alice", workspace) + endorse + passphrases
                            )
                        )
                    }
                    commands.append(
                        .escrow(
                            ["custodian", "add", "--public", workspace.path("robot.pub"), "--role", "depositor"]
                                + acting("alice", workspace) + [
                                    "--endorse", workspace.path("bob.id"),
                                    "--passphrase-file", workspace.path("bob.pass"),
                                ]
                        )
                    )
                    commands.append(.escrow(["custodian", "list", "--store", workspace.path("alice-store")]))
                    commands.append(.escrow(["sync", "--store", workspace.path("alice-store")]))
                    return commands
                }
            ),
            DemoStep(
                "Bob clones the store on his laptop and pins it",
                [
                    "First contact shows the store's genesis fingerprint; Bob compares it with Alice out of band (like an",
                    "SSH host key) and pins it. From then on every command refuses a store that lost events he has seen.",
                ],
                commands: { workspace in
                    let fingerprint = try Ledger.open(at: workspace.path("alice-store")).state.genesis.fingerprint
                    return [
                        .git(["clone", "--quiet", workspace.path("remote.git"), workspace.path("bob-store")]),
                        .escrow([
                            "store", "trust", "--store", workspace.path("bob-store"), "--fingerprint", fingerprint,
                        ]),
                    ]
                }
            ),
        ]
    }

    static var vaultSteps: [DemoStep] {
        [
            DemoStep(
                "A 3-of-5 vault for an AWS root account, and its custody ceremony",
                [
                    "The vault fixes its name, public metadata and policy for ever. It turns active once each custodian",
                    "has acknowledged custody: checked everyone's fingerprint and answered a challenge sealed to their",
                    "key, proving it works before anything is dealt to it.",
                ],
                commands: { workspace in
                    [
                        .escrow(
                            [
                                "vault", "init", vault, "--threshold", "3", "--custodians",
                                custodians.joined(separator: ","), "--meta", "provider=aws", "--meta",
                                "account_id=123456789012", "--meta", "org_role=management",
                            ] + acting("alice", workspace)
                        )
                    ]
                        + custodians.map { name in .escrow(["vault", "ack", vault, "--yes"] + acting(name, workspace)) }
                }
            ),
            DemoStep(
                "The rotation job deposits the root password and the MFA seed",
                [
                    "Each deposit draws its own key, seals the value under it, and deals the key's shares to the five",
                    "custodians. Nobody but the depositor learns anything; no quorum is needed to deposit.",
                ],
                prepare: { workspace in
                    try workspace.writeText(
                        "otpauth://totp/Amazon%20Web%20Services:root@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                            + "&issuer=Amazon%20Web%20Services\n",
                        to: "root-mfa.uri"
                    )
                },
                commands: { workspace in
                    [
                        .escrow(
                            ["vault", "put", vault, "root-password", "--kind", "password", "--generate"]
                                + acting("robot", workspace)
                        ),
                        .escrow(
                            [
                                "vault", "put", vault, "root-mfa", "--kind", "totp", "--value-file",
                                workspace.path("root-mfa.uri"),
                            ] + acting("robot", workspace)
                        ),
                        .escrow(["vault", "show", vault, "--store", workspace.path("alice-store")]),
                        .escrow(["sync", "--store", workspace.path("alice-store")]),
                    ]
                }
            ),
        ]
    }

    static var unlockSteps: [DemoStep] {
        [
            DemoStep(
                "Alice asks to open the MFA seed only",
                [
                    "The request names one credential version, a reason and an expiry, and carries a fresh key pair made",
                    "for this request alone. It is an event: it reaches the others through the store.",
                ],
                commands: { workspace in
                    [
                        .escrow(
                            [
                                "unlock", "request", vault, "--entry", "root-mfa", "--reason",
                                "AWS support case 4711: MFA check", "--ttl", "4h",
                            ] + acting("alice", workspace)
                        ),
                        .escrow(["sync", "--store", workspace.path("alice-store")]),
                    ]
                }
            ),
            DemoStep(
                "Alice tries to open it at once: refused, and the attempt is kept",
                [
                    "Nobody approved yet, so the open is refused before her passphrase is asked; nothing is written to",
                    "the store. The refusal is kept in her state directory and published to the log, signed by her, with",
                    "her next signed command (so are wrong passphrases typed for her identity).",
                ],
                commands: { workspace in
                    [.refused(["unlock", "open", try newestRequest(workspace)] + acting("alice", workspace))]
                }
            ),
            DemoStep(
                "Bob approves from his own clone; Carol and Dave from theirs",
                [
                    "Bob syncs, sees the request among his pending ones, and approves: his share of that one version",
                    "is re-sealed to the request's key. The approve screen says exactly what Alice will learn.",
                ],
                commands: { workspace in
                    let request = try newestRequest(workspace)
                    return [
                        .escrow(["sync", "--store", workspace.path("bob-store")]),
                        .escrow(["unlock", "pending"] + acting("bob", workspace, on: "bob")),
                        .escrow(["unlock", "approve", request, "--yes"] + acting("bob", workspace, on: "bob")),
                        .escrow(["sync", "--store", workspace.path("bob-store")]),
                        .escrow(["sync", "--store", workspace.path("alice-store")]),
                    ]
                        + ["carol", "dave"].map { name in
                            .escrow(["unlock", "approve", request, "--yes"] + acting(name, workspace))
                        }
                }
            ),
            DemoStep(
                "Alice opens what was approved",
                [
                    "Each value is checked against the digest its author signed, the rebuilt key against its commitment,",
                    "then the seed is decrypted and its current code shown. The root password stays sealed: nothing",
                    "Alice holds opens it.",
                ],
                commands: { workspace in
                    let request = try newestRequest(workspace)
                    return [
                        .escrow(["unlock", "status", request, "--store", workspace.path("alice-store")]),
                        .escrow(["unlock", "open", request] + acting("alice", workspace)),
                    ]
                }
            ),
        ]
    }

    static var releaseSteps: [DemoStep] {
        [
            DemoStep(
                "A customer leaves: its vault is released to its own key",
                [
                    "ACME's dev account (2 of Carol, Dave, Erin) goes back to ACME. The approvals re-seal the shares to",
                    "ACME's key; the executor writes a bundle nobody here can read; ACME opens it on its side.",
                ],
                commands: { workspace in
                    let trio = ["carol", "dave", "erin"]
                    return [
                        .escrow(
                            [
                                "vault", "init", "acme-dev", "--threshold", "2", "--custodians",
                                trio.joined(separator: ","),
                            ]
                                + acting("alice", workspace)
                        )
                    ]
                        + trio.map { .escrow(["vault", "ack", "acme-dev", "--yes"] + acting($0, workspace)) }
                        + [
                            .escrow(
                                ["vault", "put", "acme-dev", "root-password", "--generate"]
                                    + acting("robot", workspace)
                            ),
                            .escrow(
                                [
                                    "vault", "release", "acme-dev", "--to", workspace.path("customer.pub"), "--reason",
                                    "Contract ended; account handed back",
                                ] + acting("carol", workspace)
                            ),
                        ]
                }
            ),
            DemoStep(
                "Two custodians approve, Carol executes, ACME opens the bundle",
                ["Carol's process never holds a value: every share in the bundle is sealed to ACME."],
                commands: { workspace in
                    let request = try newestRequest(workspace)
                    return ["dave", "erin"].map { name in
                        .escrow(["unlock", "approve", request, "--yes"] + acting(name, workspace))
                    } + [
                        .escrow(
                            ["unlock", "execute", request, "--bundle", workspace.path("acme-dev.bundle")]
                                + acting("carol", workspace)
                        ),
                        .escrow([
                            "bundle", "open", workspace.path("acme-dev.bundle"), "--identity",
                            workspace.path("customer.id"), "--passphrase-file", workspace.path("customer.pass"),
                        ]),
                    ]
                }
            ),
        ]
    }

    static var departureSteps: [DemoStep] {
        [
            DemoStep(
                "Bob leaves: Frank joins, every vault Bob holds is re-split",
                [
                    "One request names, per vault, the new policy. Frank acknowledges custody; each approving custodian",
                    "sub-shares its own shares for the new custodians: no key is ever rebuilt, by anyone.",
                ],
                commands: { workspace in
                    [
                        .escrow(
                            ["custodian", "add", "--public", workspace.path("frank.pub")] + acting("alice", workspace)
                                + [
                                    "--endorse", workspace.path("carol.id"), "--passphrase-file",
                                    workspace.path("carol.pass"),
                                ]
                        ),
                        .escrow(
                            [
                                "vault", "reshare", "--all", "--remove", "bob", "--add", "frank", "--reason",
                                "Bob leaves the company", "--dry-run",
                            ] + acting("alice", workspace)
                        ),
                        .escrow(
                            [
                                "vault", "reshare", "--all", "--remove", "bob", "--add", "frank", "--reason",
                                "Bob leaves the company",
                            ] + acting("alice", workspace)
                        ),
                    ]
                }
            ),
            DemoStep(
                "Frank acknowledges custody, three custodians contribute, Alice executes",
                [
                    "Credentials deposited from now on are dealt to the new custodians only: Bob's old shares, with all",
                    "of the store's history, open none of them. (Older versions keep their keys: rotate after a hostile",
                    "departure.)",
                ],
                commands: { workspace in
                    let request = try newestRequest(workspace)
                    return [.escrow(["vault", "ack", "--request", request, "--yes"] + acting("frank", workspace))]
                        + ["alice", "carol", "dave", "erin"].map { name in
                            .escrow(["unlock", "approve", request, "--yes"] + acting(name, workspace))
                        }
                        + [
                            .escrow(["unlock", "execute", request] + acting("alice", workspace)),
                            .escrow(
                                ["custodian", "remove", "bob"] + acting("alice", workspace)
                                    + [
                                        "--endorse", workspace.path("carol.id"), "--passphrase-file",
                                        workspace.path("carol.pass"),
                                    ]
                            ),
                            .escrow(["vault", "show", vault, "--store", workspace.path("alice-store")]),
                        ]
                }
            ),
            DemoStep(
                "Frank helps open the root password",
                ["The redistributed shares work: Frank, Carol and Erin approve, Dave opens."],
                commands: { workspace in
                    var commands: [DemoStep.Command] = [
                        .escrow(
                            [
                                "unlock", "request", vault, "--entry", "root-password", "--reason",
                                "Root login for audit",
                            ]
                                + acting("dave", workspace)
                        )
                    ]
                    commands.append(.escrow(["sync", "--store", workspace.path("alice-store")]))
                    return commands
                }
            ),
            DemoStep(
                "Approvals and the open",
                [],
                commands: { workspace in
                    let request = try newestRequest(workspace)
                    return ["frank", "carol", "erin"].map { name in
                        .escrow(["unlock", "approve", request, "--yes"] + acting(name, workspace))
                    } + [.escrow(["unlock", "open", request] + acting("dave", workspace))]
                }
            ),
        ]
    }

    static var auditSteps: [DemoStep] {
        [
            DemoStep(
                "An auditor verifies the log",
                [
                    "Every event is checked (hash, signature, parents) and folded with its authority. Keep the printed",
                    "head id elsewhere: 'escrow audit verify --anchor ID' later proves nothing before it was removed.",
                ],
                commands: { workspace in
                    [
                        .escrow(["audit", "show", "--vault", vault, "--store", workspace.path("alice-store")]),
                        .escrow(["audit", "show", "--action", "attempt", "--store", workspace.path("alice-store")]),
                        .escrow(["sync", "--store", workspace.path("alice-store")]),
                        .escrow(["sync", "--store", workspace.path("bob-store")]),
                        .escrow(["audit", "verify", "--store", workspace.path("bob-store")]),
                    ]
                }
            )
        ]
    }
}
