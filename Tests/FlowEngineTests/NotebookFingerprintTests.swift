import FlowStore
import Testing

@testable import FlowEngine

/// What of a notebook counts toward its steps' keys: its code cells' sources only.
@Suite struct NotebookFingerprintTests {
    private func notebook(_ cells: String) -> [UInt8] { Array("{\"cells\": [\(cells)], \"metadata\": {}, \"nbformat\": 4}".utf8) }

    @Test func outputsAndCountsDoNotCountButCodeDoes() {
        let plain = notebook(#"{"cell_type": "code", "source": ["def f(x):\n", "    return x\n"], "outputs": [], "execution_count": null}"#)
        let ran = notebook(#"{"cell_type": "code", "source": "def f(x):\n    return x\n", "outputs": [{"text": "1"}], "execution_count": 7},"#
                           + ##" {"cell_type": "markdown", "source": ["# notes"]}"##)
        let edited = notebook(#"{"cell_type": "code", "source": ["def f(x):\n", "    return x + 1\n"], "outputs": []}"#)
        #expect(StepFingerprints.notebookHash(plain) == StepFingerprints.notebookHash(ran))
        #expect(StepFingerprints.notebookHash(plain) != StepFingerprints.notebookHash(edited))
        // Not a notebook: the bytes count.
        #expect(StepFingerprints.notebookHash(Array("x".utf8)) == BlobHash.of(Array("x".utf8)))
    }
}
