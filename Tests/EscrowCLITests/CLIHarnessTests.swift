import Testing

@Suite struct CLIHarnessTests {
    @Test func placeholderUntilCommandsExist() {
        #expect(1 + 1 == 2)
    }
}
