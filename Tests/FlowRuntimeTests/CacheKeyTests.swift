import FlowBasics
import FlowGraph
import Testing

@testable import FlowRuntime

/// `CacheKey`: the same for the same content however it was assembled, different for any
/// change in what it covers.
@Suite struct CacheKeyTests {
    private func ref(_ blob: String) -> ArtifactRef { ArtifactRef(blob: blob, size: 1, type: "builtins.int", repr: "1") }

    private func request(bound: [String: ValueSource], available: [String: ValueSource] = [:],
                         outputs: OutputShape = .single("out")) -> TaskRequest {
        TaskRequest(key: TaskKey(step: "s"), name: "s", target: RunTarget(source: .file("a.py"), function: "f"), bound: bound,
                    available: available, outputs: outputs, env: [:], importRoots: [], attempt: 1, timeout: nil,
                    needs: TaskNeeds(cpu: 1, memory: 0))
    }

    private func key(_ request: TaskRequest, _ fingerprint: String = "code", takes: [String] = ["a", "b", "c", "p"]) -> String {
        CacheKey.of(request, step: fingerprint, parameters: takes).key
    }

    @Test func sameContentSameKey() {
        let bound: [String: ValueSource] = ["a": .artifact(ref("x")), "b": .literal(.int(2)), "c": .list([.artifact(ref("y"))])]
        let reordered = Dictionary(uniqueKeysWithValues: bound.reversed())
        #expect(key(request(bound: bound)) == key(request(bound: reordered)))
        // The repr and type come from the blob; only its hash counts.
        let sameBlob = ArtifactRef(blob: "x", size: 1, type: "builtins.int", repr: "other")
        #expect(key(request(bound: ["a": .artifact(ref("x"))])) == key(request(bound: ["a": .artifact(sameBlob)])))
    }

    @Test func everyCoveredPartChangesTheKey() {
        let base = request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(1))])
        let changed = [
            key(base, "other code"),
            key(request(bound: ["a": .artifact(ref("z"))], available: ["p": .literal(.int(1))])),
            key(request(bound: ["a": .artifact(ref("x"), path: [.index(1)])], available: ["p": .literal(.int(1))])),
            key(request(bound: ["b": .artifact(ref("x"))], available: ["p": .literal(.int(1))])),
            key(request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(2))])),
            key(request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(1))], outputs: .mapping)),
        ]
        #expect(!changed.contains(key(base)))
        #expect(Set(changed).count == changed.count)
    }

    @Test func onlyVisibleNamesTheFunctionTakesCount() {
        let base = request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(1)), "q": .literal(.int(1))])
        let otherQ = request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(1)), "q": .literal(.int(2))])
        let otherP = request(bound: ["a": .artifact(ref("x"))], available: ["p": .literal(.int(2)), "q": .literal(.int(1))])
        #expect(key(base, takes: ["a", "p"]) == key(otherQ, takes: ["a", "p"]))
        #expect(key(base, takes: ["a", "p"]) != key(otherP, takes: ["a", "p"]))
        // A function that takes one more name keys differently, even while that name is absent.
        #expect(key(base, takes: ["a", "p"]) != key(base, takes: ["a", "p", "z"]))
        let identity = CacheKey.of(base, step: "code", parameters: ["p", "a"])
        #expect(identity.parameters == ["a", "p"])
        #expect(Set(identity.inputs.keys) == ["a", "p"])
    }
}
