import SLIP39
import Testing

@Suite struct SLIP39ErrorTests {
    @Test func messageIsDescription() {
        #expect(SLIP39Error(.invalidMnemonic, "line 2: unknown word").description == "line 2: unknown word")
    }
}
