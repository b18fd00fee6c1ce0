import Shamir

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs every covered operation on secret-marked inputs and checks the results (after marking public copies).
///
/// What is secret: secrets, polynomial coefficients (``SecretRandom``), share values and the characters of their
/// text forms that carry share bits, SLIP-39 passphrases. What is public: lengths, thresholds, share counts,
/// x-coordinates, the split identifier and the other metadata fields of a share line, base64 padding.
struct Checks {
    /// The names of the operations run so far.
    private(set) var covered: [String] = []

    mutating func runAll() {
        runShamir()
        runBatch()
        runEncodings()
        runSLIP39()
        runMnemonic()
    }

    /// Records an operation and checks its (secret) result against the expected (secret) bytes, comparing public
    /// copies only: the comparison is the harness's, not the code under test.
    mutating func expect(_ name: String, _ actual: [UInt8], equals expected: [UInt8]) {
        let actualCopy = Marks.publicCopy(actual)
        let expectedCopy = Marks.publicCopy(expected)
        guard actualCopy == expectedCopy else {
            print("FAIL \(name): wrong result")
            exit(1)
        }
        covered.append(name)
        print("covered: \(name)")
    }

    /// Runs `body`, ending the harness on any error (none is expected: every input is valid).
    func attempt<R>(_ what: String, _ body: () throws -> R) -> R {
        do {
            return try body()
        } catch {
            print("FAIL \(what): \(error)")
            exit(1)
        }
    }

    // MARK: - Shamir

    mutating func runShamir() {
        // (threshold, share count, secret length): lengths cover the 16-byte vectors, the 128-byte blocks and the
        // zero-padded partial vector; 10-of-255 is the widest policy.
        let policies = [(2, 3, 32), (3, 5, 32), (3, 5, 1), (3, 5, 17), (5, 8, 200), (10, 255, 33), (16, 20, 64)]
        for (k, n, length) in policies {
            shamirRoundTrip(threshold: k, shareCount: n, length: length)
        }
        shamirRandomCoordinates(threshold: 3, shareCount: 5, length: 48)
        shamirRawBuffers(threshold: 4, shareCount: 7, length: 300)
    }

    /// `Shamir.split(_:threshold:shareCount:using:)`, then combine and interpolate (at 0, at an x outside the
    /// subset, at an x inside it) from the last `threshold` shares.
    mutating func shamirRoundTrip(threshold k: Int, shareCount n: Int, length: Int) {
        let name = "\(k)-of-\(n), \(length) bytes"
        let secret = Marks.randomSecret(length)
        var rng = SecretRandom()
        let shares = attempt("split \(name)") { try Shamir.split(secret, threshold: k, shareCount: n, using: &rng) }
        let subset = Array(shares.suffix(k))
        expect(
            "Shamir.split + Shamir.combine \(name)",
            attempt("combine") { try Shamir.combine(subset) },
            equals: secret
        )
        expect(
            "Shamir.interpolate at 0, \(name)",
            attempt("interpolate") { try Shamir.interpolate(at: 0, subset) },
            equals: secret
        )
        if n > k {
            let outside = shares[0]
            expect(
                "Shamir.interpolate at x = \(outside.x) (not in the subset), \(name)",
                attempt("interpolate") { try Shamir.interpolate(at: outside.x, subset) },
                equals: outside.y
            )
        }
        let inside = subset[0]
        expect(
            "Shamir.interpolate at x = \(inside.x) (in the subset), \(name)",
            attempt("interpolate") { try Shamir.interpolate(at: inside.x, subset) },
            equals: inside.y
        )
    }

    /// Random (public) x-coordinates: other Lagrange weights, so other programs (``LinearProgram`` strategies).
    mutating func shamirRandomCoordinates(threshold k: Int, shareCount n: Int, length: Int) {
        let secret = Marks.randomSecret(length)
        var coordinates = PublicRandom()
        var rng = SecretRandom()
        let xs = attempt("coordinates") { try Shamir.randomCoordinates(count: n, using: &coordinates) }
        let shares = attempt("split") { try Shamir.split(secret, threshold: k, xs: xs, using: &rng) }
        expect(
            "Shamir.split at random x + combine, \(k)-of-\(n), \(length) bytes",
            attempt("combine") { try Shamir.combine(Array(shares.prefix(k))) },
            equals: secret
        )
        expect(
            "Shamir.interpolate at x = 0x7F from random x, \(k)-of-\(n)",
            attempt("interpolate") { try Shamir.interpolate(at: 0x7F, Array(shares.prefix(k))) },
            equals: attempt("interpolate") { try Shamir.interpolate(at: 0x7F, Array(shares.suffix(k))) }
        )
    }

    /// The raw-buffer cores: split into one buffer, combine from gathered rows and from separate row buffers,
    /// interpolate into a buffer.
    mutating func shamirRawBuffers(threshold k: Int, shareCount n: Int, length: Int) {
        let name = "\(k)-of-\(n), \(length) bytes"
        let secret = Marks.randomSecret(length)
        let xs = (1...n).map { UInt8($0) }
        var rows = [UInt8](repeating: 0, count: n * length)
        var rng = SecretRandom()
        attempt("raw split") {
            try secret.withUnsafeBytes { secret in
                try rows.withUnsafeMutableBytes { rows in
                    try Shamir.split(secret, threshold: k, xs: xs, into: rows, using: &rng)
                }
            }
        }
        // Shares 2, 4, 6, 7 (public choice), gathered back to back.
        let chosen = [1, 3, 5, 6].prefix(k)
        let chosenXs = chosen.map { xs[$0] }
        var gathered = [UInt8]()
        for i in chosen { gathered += rows[(i * length)..<((i + 1) * length)] }
        var out = [UInt8](repeating: 0, count: length)
        attempt("raw combine") {
            try gathered.withUnsafeBytes { gathered in
                try out.withUnsafeMutableBytes { try Shamir.combine(xs: chosenXs, rows: gathered, into: $0) }
            }
        }
        expect("Shamir.split(into:) + Shamir.combine(xs:rows:into:) \(name)", out, equals: secret)

        var separate = [UInt8](repeating: 0, count: length)
        attempt("combine from separate rows") {
            try rows.withUnsafeBytes { all in
                let pointers = chosen.map { UnsafeRawBufferPointer(rebasing: all[($0 * length)..<(($0 + 1) * length)]) }
                try separate.withUnsafeMutableBytes { try Shamir.combine(xs: chosenXs, rows: pointers, into: $0) }
            }
        }
        expect("Shamir.combine(xs:rows: [separate buffers]:into:) \(name)", separate, equals: secret)

        var atX = [UInt8](repeating: 0, count: length)
        attempt("raw interpolate") {
            try gathered.withUnsafeBytes { gathered in
                try atX.withUnsafeMutableBytes {
                    try Shamir.interpolate(at: xs[0], xs: chosenXs, rows: gathered, into: $0)
                }
            }
        }
        expect("Shamir.interpolate(at: 1, xs:rows:into:) \(name)", atX, equals: Array(rows[0..<length]))
    }

    // MARK: - Batch kernels

    mutating func runBatch() {
        // 20 secrets of 1000 bytes with threshold 3: more than one coefficient chunk (16 KiB), whole blocks and a tail.
        batch(threshold: 3, shareCount: 5, count: 20, secretLength: 1000)
        batch(threshold: 2, shareCount: 3, count: 50, secretLength: 32)
    }

    mutating func batch(threshold k: Int, shareCount n: Int, count: Int, secretLength: Int) {
        let name = "\(count) × \(secretLength) bytes, \(k)-of-\(n)"
        let secrets = Marks.randomSecret(count * secretLength)
        let xs = (1...n).map { UInt8($0) }
        let rowLength = count * secretLength
        var rows = [UInt8](repeating: 0, count: n * rowLength)
        var rng = SecretRandom()
        attempt("splitBatch") {
            try secrets.withUnsafeBytes { secrets in
                try rows.withUnsafeMutableBytes { rows in
                    try Shamir.splitBatch(
                        secrets,
                        secretLength: secretLength,
                        threshold: k,
                        xs: xs,
                        into: rows,
                        using: &rng
                    )
                }
            }
        }
        let chosen = Array((0..<n).suffix(k))
        var gathered = [UInt8]()
        for i in chosen { gathered += rows[(i * rowLength)..<((i + 1) * rowLength)] }
        var out = [UInt8](repeating: 0, count: rowLength)
        attempt("combineBatch") {
            try gathered.withUnsafeBytes { gathered in
                try out.withUnsafeMutableBytes {
                    try Shamir.combineBatch(
                        xs: chosen.map { xs[$0] },
                        rows: gathered,
                        secretLength: secretLength,
                        into: $0
                    )
                }
            }
        }
        expect("Shamir.splitBatch + Shamir.combineBatch \(name)", out, equals: secrets)
    }
}
