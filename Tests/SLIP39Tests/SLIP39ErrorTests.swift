import Testing
import SLIP39

@Suite struct SLIP39ErrorTests {
    @Test func messageIsDescription() {
        #expect(SLIP39Error(.invalidMnemonic, "line 2: unknown word").description == "line 2: unknown word")
    }
}
