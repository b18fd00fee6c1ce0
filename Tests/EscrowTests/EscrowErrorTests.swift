import Escrow
import Testing

@Suite struct EscrowErrorTests {
    @Test func messageIsDescription() {
        #expect(EscrowError(.invalidInput, "vault 'x' not found").description == "vault 'x' not found")
    }
}
