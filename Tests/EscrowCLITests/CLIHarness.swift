import Foundation

/// Runs the built `escrow` binary with given arguments and stdin bytes; captures stdout, stderr and the exit code.
/// Reusable by every CLI test (vault, unlock, audit …).
struct CLIHarness {
    struct Result {
        let status: Int32
        let stdout: [UInt8]
        let stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    let executable: URL
    /// A fresh scratch directory per harness, removed by `cleanUp()`.
    let directory: URL

    init() throws {
        // A child that exits before reading all its input must not kill the whole test process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        executable = try Self.locateExecutable()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("escrow-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// A path inside the scratch directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs escrow with `arguments` under util-linux `script` (a new pseudo-terminal) in the scratch directory,
    /// typing each answer once its prompt has appeared; returns everything the terminal showed, without carriage
    /// returns. Gives up after 30 seconds. `environment` replaces the test process's environment when given.
    func runOnTerminal(
        _ arguments: [String],
        answering dialogue: [(prompt: String, answer: String)],
        environment: [String: String]? = nil
    ) throws -> String {
        let quoted = ([executable.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted, "/dev/null"]
        process.currentDirectoryURL = directory
        process.environment = Self.environment(environment)
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        defer { watchdog.cancel() }
        var seen = Data()
        for (prompt, answer) in dialogue {
            while !String(decoding: seen, as: UTF8.self).contains(prompt) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            input.fileHandleForWriting.write(Data(answer.utf8))
        }
        seen.append(output.fileHandleForReading.readDataToEndOfFile())
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return String(decoding: seen, as: UTF8.self).replacingOccurrences(of: "\r", with: "")
    }

    /// The environment of every run: the test's own, plus `ESCROW_ALLOW_TEST_PROFILE=1` (identities sealed with the
    /// cheap test Argon2id profile, `--kdf minimal`, are allowed only in tests and `escrow demo`).
    static func environment(_ base: [String: String]? = nil, allowTestProfile: Bool = true) -> [String: String] {
        var environment = base ?? ProcessInfo.processInfo.environment
        environment["ESCROW_ALLOW_TEST_PROFILE"] = allowTestProfile ? "1" : nil
        return environment
    }

    @discardableResult
    func run(
        _ arguments: [String],
        stdin: [UInt8] = [],
        environment: [String: String]? = nil,
        allowTestProfile: Bool = true
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = Self.environment(environment, allowTestProfile: allowTestProfile)
        // stdin, stdout and stderr go through files: no pipe can fill up and deadlock on large payloads.
        let id = UUID().uuidString
        let inURL = directory.appendingPathComponent(".stdin-\(id)")
        let outURL = directory.appendingPathComponent(".stdout-\(id)")
        let errURL = directory.appendingPathComponent(".stderr-\(id)")
        try Data(stdin).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let error = try FileHandle(forWritingTo: errURL)
        defer {
            try? input.close()
            try? output.close()
            try? error.close()
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return Result(
            status: process.terminationStatus,
            stdout: [UInt8](outData),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    private static func locateExecutable() throws -> URL {
        var candidates = [URL]()
        // Next to the test bundle (.build/<triple>/debug/escrowPackageTests.xctest).
        for argument in CommandLine.arguments.prefix(2) {
            var url = URL(fileURLWithPath: argument)
            for _ in 0..<3 {
                url.deleteLastPathComponent()
                candidates.append(url.appendingPathComponent("escrow"))
            }
        }
        // The package's default build directory.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/escrow"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "escrow executable (run swift build first)"])
    }
}
