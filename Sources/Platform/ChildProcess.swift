#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program with `posix_spawnp` and an argument vector (never through a shell), standard input on `/dev/null`
/// (or on an unlinked temporary file holding the given input), and standard output and error captured: the store's
/// git work tree runs git through it. It reads the process environment (`environ`, `TMPDIR`), which is why it lives
/// here and not in the domain.
///
/// Arguments are visible to other users of the machine (`ps`), so they must never hold a secret.
public enum ChildProcess {
    /// What a finished program left.
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number if a signal ended it.
        public var status: Int32
        /// Standard output (at most the limit; see ``outputTruncated``).
        public var output: [UInt8]
        /// Standard error (at most 64 KiB).
        public var errorOutput: [UInt8]
        /// Standard output exceeded the limit: the program was killed and ``output`` is cut.
        public var outputTruncated: Bool
    }

    private static let errorLimit = 64 << 10

    /// Runs `executable` (looked up in `PATH`) with `arguments` and waits for it.
    ///
    /// - Parameters:
    ///   - executable: The program's name or path.
    ///   - arguments: The arguments after the program's name.
    ///   - environment: Variables to set or replace in the inherited environment.
    ///   - outputLimit: The most standard output kept; beyond it the program is killed.
    ///   - input: What the program reads on its standard input (never a secret: it passes through a temporary
    ///     file, unlinked before anything is written to it); `nil` for `/dev/null`.
    /// - Returns: Its status and output.
    /// - Throws: ``PlatformError/Code/ioFailure`` if it cannot be started.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String],
        outputLimit: Int,
        input: [UInt8]? = nil
    ) throws(PlatformError) -> Result {
        let inputFile: Int32
        if let input {
            inputFile = try temporaryInput(input, for: executable)
        } else {
            inputFile = -1
        }
        defer { if inputFile >= 0 { close(inputFile) } }
        guard let output = makePipe(), let errors = makePipe() else {
            throw PlatformError(.ioFailure, "cannot run \(executable): \(String(cString: strerror(errno)))")
        }
        var closeOnExit = [output.read, errors.read, output.write, errors.write]
        defer { for fd in closeOnExit where fd >= 0 { close(fd) } }

        #if os(Linux)
            var actions = posix_spawn_file_actions_t()
        #else
            var actions: posix_spawn_file_actions_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if inputFile >= 0 {
            posix_spawn_file_actions_adddup2(&actions, inputFile, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?] = mergedEnvironment(environment).map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var pid = pid_t()
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, envp)
        close(output.write)
        close(errors.write)
        closeOnExit = [output.read, errors.read]
        guard spawned == 0 else {
            throw PlatformError(.ioFailure, "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }

        var result = Result(status: 0, output: [], errorOutput: [], outputTruncated: false)
        var descriptors = [
            pollfd(fd: output.read, events: Int16(POLLIN), revents: 0),
            pollfd(fd: errors.read, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while descriptors.contains(where: { $0.fd >= 0 }) {
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    descriptors[index].fd = -1
                    continue
                }
                if index == 0 {
                    if result.output.count + count > outputLimit {
                        if !result.outputTruncated { kill(pid, SIGKILL) }
                        result.outputTruncated = true
                    } else {
                        result.output.append(contentsOf: buffer[0..<count])
                    }
                } else if result.errorOutput.count < errorLimit {
                    result.errorOutput.append(contentsOf: buffer[0..<min(count, errorLimit - result.errorOutput.count)])
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw PlatformError(.ioFailure, "cannot wait for \(executable): \(String(cString: strerror(errno)))")
            }
        }
        let signal = status & 0x7F
        result.status = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return result
    }

    /// An unlinked, close-on-exec temporary file holding `input`, positioned at its start. A file rather than a pipe:
    /// the program may stop reading (or die) at any point without this process blocking on a full pipe or receiving
    /// `SIGPIPE`.
    private static func temporaryInput(_ input: [UInt8], for executable: String) throws(PlatformError) -> Int32 {
        var directory = "/tmp"
        if let value = getenv("TMPDIR"), let text = String(validatingCString: value), text.hasPrefix("/") {
            directory = text
        }
        var template = Array((directory + "/escrow-input-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PlatformError(.ioFailure, "cannot run \(executable): no temporary file for its input (\(reason))")
        }
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var written = 0
        while written < input.count {
            let count = input.withUnsafeBytes { buffer in
                buffer.baseAddress.map { write(fd, $0 + written, buffer.count - written) } ?? -1
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw PlatformError(.ioFailure, "cannot run \(executable): cannot write its input (\(reason))")
            }
            written += count
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw PlatformError(.ioFailure, "cannot run \(executable): cannot rewind its input")
        }
        return fd
    }

    private static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
            guard posixPipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        #else
            guard pipe(&fds) == 0 else { return nil }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #endif
        return (fds[0], fds[1])
    }

    /// The inherited environment with `overrides` set.
    private static func mergedEnvironment(_ overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            if let name, overrides[name] == nil { entries.append(text) }
            pointer += 1
        }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) { entries.append("\(name)=\(value)") }
        return entries
    }
}

#if os(Linux)
    /// `pipe2(2)`: glibc declares it only under `_GNU_SOURCE`, which the Glibc module does not define, so it is bound
    /// by its symbol name (the signature is `int pipe2(int fds[2], int flags)`). Both ends are close-on-exec from the
    /// start, so a concurrent spawn on another thread cannot inherit them.
    @_silgen_name("pipe2")
    private func posixPipe2(_ fds: UnsafeMutablePointer<CInt>, _ flags: CInt) -> CInt
#endif
