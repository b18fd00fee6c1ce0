// The hand-written strict decoders of the record types the fold reads per event (custody acknowledgements, deposits,
// batches, vault creations, approvals), with `BodyReader`: the members of each `CodingKeys`, the same scalar rules.

extension VaultReference {
    static let members: Set<String> = ["id", "name"]

    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> VaultReference {
        try BodyReader.object(value, known: members) { (reader) throws(BodyReader.Failure) in
            VaultReference(
                id: try reader.decode("id", BodyReader.hex).bytes,
                name: try reader.decode("name", BodyReader.string)
            )
        }
    }
}

extension SealedComponentRecord {
    static let members: Set<String> = ["x", "path", "sealed", "digest"]

    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> SealedComponentRecord {
        try BodyReader.object(value, known: members) { (reader) throws(BodyReader.Failure) in
            SealedComponentRecord(
                x: try reader.decode("x") { (value) throws(BodyReader.Failure) in try BodyReader.integer(value) },
                path: try reader.decode("path") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value) { (element) throws(BodyReader.Failure) in
                        try BodyReader.integer(element, as: UInt8.self)
                    }
                },
                sealed: try reader.decode("sealed", BodyReader.base64).bytes,
                digest: try reader.decodeIfPresent("digest", BodyReader.hex)?.bytes
            )
        }
    }
}

extension DepositBody: StrictBody {
    static let members: Set<String> = [
        "vault", "entry", "kind", "version", "generation", "metadata", "sealed_value", "commitment", "threshold",
        "ephemeral_key", "shares",
    ]

    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> DepositBody {
        try BodyReader.object(value, known: members) { (reader) throws(BodyReader.Failure) in
            DepositBody(
                vault: try reader.decode("vault", VaultReference.strictDecode),
                entry: try reader.decode("entry", BodyReader.string),
                kind: try reader.decode("kind") { (value) throws(BodyReader.Failure) in
                    try BodyReader.enumeration(value, as: EntryKind.self)
                },
                version: try reader.decode("version", BodyReader.hex).bytes,
                generation: try reader.decode("generation") { (value) throws(BodyReader.Failure) in
                    try BodyReader.integer(value, as: Int64.self)
                },
                metadata: try reader.decode("metadata", BodyReader.stringMap),
                sealedValue: try reader.decode("sealed_value", BodyReader.base64).bytes,
                commitment: try reader.decode("commitment", BodyReader.hex).bytes,
                threshold: try reader.decode("threshold") { (value) throws(BodyReader.Failure) in
                    try BodyReader.integer(value, as: Int.self)
                },
                ephemeralKey: try reader.decode("ephemeral_key", BodyReader.base64).bytes,
                shares: try reader.decode("shares") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value, SealedComponentRecord.strictDecode)
                }
            )
        }
    }
}

extension DepositBatchBody: StrictBody {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> DepositBatchBody {
        try BodyReader.object(value, known: ["deposits"]) { (reader) throws(BodyReader.Failure) in
            DepositBatchBody(
                deposits: try reader.decode("deposits") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value, DepositBody.strictDecode)
                }
            )
        }
    }
}

extension CustodyBody: StrictBody {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> CustodyBody {
        try BodyReader.object(value, known: ["subject", "response"]) { (reader) throws(BodyReader.Failure) in
            CustodyBody(
                subject: try reader.decode("subject", BodyReader.hex).bytes,
                response: try reader.decode("response", BodyReader.hex).bytes
            )
        }
    }
}

extension CustodyChallenge {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> CustodyChallenge {
        try BodyReader.object(value, known: ["key", "sealed", "check"]) { (reader) throws(BodyReader.Failure) in
            CustodyChallenge(
                key: try reader.decode("key", BodyReader.base64).bytes,
                sealed: try reader.decode("sealed", BodyReader.base64).bytes,
                check: try reader.decode("check", BodyReader.hex).bytes
            )
        }
    }
}

extension PolicyRecord {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> PolicyRecord {
        try BodyReader.object(value, known: ["threshold", "custodians"]) { (reader) throws(BodyReader.Failure) in
            // The decoded order is kept (the memberwise initialiser sorts; `Codable` does not).
            var policy = PolicyRecord(
                threshold: try reader.decode("threshold") { (value) throws(BodyReader.Failure) in
                    try BodyReader.integer(value, as: Int.self)
                },
                custodians: []
            )
            policy.custodians = try reader.decode("custodians") { (value) throws(BodyReader.Failure) in
                try BodyReader.array(value) { (element) throws(BodyReader.Failure) in
                    try BodyReader.object(element, known: ["name", "key", "x"]) { (reader) throws(BodyReader.Failure) in
                        PolicyRecord.Custodian(
                            name: try reader.decode("name", BodyReader.string),
                            key: try reader.decode("key", BodyReader.base64).bytes,
                            x: try reader.decode("x") { (value) throws(BodyReader.Failure) in
                                try BodyReader.integer(value, as: UInt8.self)
                            }
                        )
                    }
                }
            }
            return policy
        }
    }
}

extension VaultCreateBody: StrictBody {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> VaultCreateBody {
        try BodyReader.object(value, known: ["vault", "metadata", "policy", "challenges"]) {
            (reader) throws(BodyReader.Failure) in
            VaultCreateBody(
                vault: try reader.decode("vault", VaultReference.strictDecode),
                metadata: try reader.decode("metadata", BodyReader.stringMap),
                policy: try reader.decode("policy", PolicyRecord.strictDecode),
                challenges: try reader.decode("challenges") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value, CustodyChallenge.strictDecode)
                }
            )
        }
    }
}

extension ApprovalBody: StrictBody {
    static func strictDecode(_ value: JSONValue) throws(BodyReader.Failure) -> ApprovalBody {
        try BodyReader.object(value, known: ["request", "ephemeral_key", "shares", "contributions"]) {
            (reader) throws(BodyReader.Failure) in
            ApprovalBody(
                request: try reader.decode("request", BodyReader.hex).bytes,
                ephemeralKey: try reader.decodeIfPresent("ephemeral_key", BodyReader.base64)?.bytes,
                shares: try reader.decode("shares") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value) { (element) throws(BodyReader.Failure) in
                        try BodyReader.object(element, known: ["version", "components"]) {
                            (reader) throws(BodyReader.Failure) in
                            VersionComponents(
                                version: try reader.decode("version", BodyReader.hex).bytes,
                                components: try reader.decode("components") { (value) throws(BodyReader.Failure) in
                                    try components(value, digests: false)
                                }
                            )
                        }
                    }
                },
                contributions: try reader.decode("contributions") { (value) throws(BodyReader.Failure) in
                    try BodyReader.array(value) { (element) throws(BodyReader.Failure) in
                        try BodyReader.object(element, known: ["version", "levels", "components"]) {
                            (reader) throws(BodyReader.Failure) in
                            Contribution(
                                version: try reader.decode("version", BodyReader.hex).bytes,
                                levels: try reader.decode("levels") { (value) throws(BodyReader.Failure) in
                                    try BodyReader.array(value) { (element) throws(BodyReader.Failure) in
                                        try BodyReader.hex(element).bytes
                                    }
                                },
                                components: try reader.decode("components") { (value) throws(BodyReader.Failure) in
                                    try components(value, digests: true)
                                }
                            )
                        }
                    }
                }
            )
        }
    }

    private static func components(_ value: JSONValue, digests: Bool) throws(BodyReader.Failure)
        -> [SealedComponentRecord]
    {
        let text = try BodyReader.string(value)
        do {
            return try ComponentList.decode(text, digests: digests)
        } catch {
            throw BodyReader.Failure(path: [], problem: "is not a list of sealed components: \(error.description)")
        }
    }
}
