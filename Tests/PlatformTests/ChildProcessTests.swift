import Testing

@testable import Platform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct ChildProcessTests {
    @Test func outputIsCappedAndTheChildKilled() throws {
        let result = try ChildProcess.run("yes", [], environment: [:], outputLimit: 1000)
        #expect(result.outputTruncated)
        #expect(result.output.count <= 1000)
        #expect(result.status == 128 + SIGKILL)
    }

    @Test func aMissingProgramIsNamed() {
        #expect {
            _ = try ChildProcess.run("escrow-no-such-program", [], environment: [:], outputLimit: 10)
        } throws: { error in
            let error = error as? PlatformError
            return error?.code == .ioFailure
                && error?.message == "cannot run escrow-no-such-program: No such file or directory"
        }
    }

    @Test func inputAndEnvironmentReachTheChild() throws {
        let result = try ChildProcess.run(
            "sh",
            ["-c", "cat; printf '%s' \"$ESCROW_CHILD_TEST\""],
            environment: ["ESCROW_CHILD_TEST": "set"],
            outputLimit: 100,
            input: Array("from stdin;".utf8)
        )
        #expect(result.status == 0)
        #expect(String(decoding: result.output, as: UTF8.self) == "from stdin;set")
    }
}
