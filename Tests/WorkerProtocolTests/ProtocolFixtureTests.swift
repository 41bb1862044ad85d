import FlowBasics
import Foundation
import Testing
import WorkerProtocol

/// The example messages of specs/worker-protocol/, which python/tests/test_protocol_fixtures.py
/// also reads: every request is what the Swift writer sends for its Swift value, every response
/// reads as its Swift value.
@Suite struct ProtocolFixtureTests {
    private static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("specs/worker-protocol")

    private static func names(_ direction: String) throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(direction).path)
        return Set(files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
    }

    private static func bytes(_ direction: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent("\(direction)/\(name).json")))
    }

    private static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    @Test func everyFixtureHasItsSwiftValue() throws {
        #expect(try Self.names("requests") == Set(ExpectedMessages.requests.keys))
        #expect(try Self.names("responses") == Set(ExpectedMessages.responses.keys).union(["hello"]))
    }

    @Test(arguments: ExpectedMessages.requests.keys.sorted())
    func aRequestIsWrittenAsItsFixture(name: String) throws {
        let request = try #require(ExpectedMessages.requests[name])
        #expect(try Self.object(request.payload()) == Self.object(Self.bytes("requests", name)))
    }

    @Test(arguments: ExpectedMessages.responses.keys.sorted())
    func aResponseReadsAsItsSwiftValue(name: String) throws {
        #expect(try WorkerResponse(payload: Self.bytes("responses", name)) == ExpectedMessages.responses[name])
    }

    @Test func theHelloReadsAsItsSwiftValueAndIsWrittenAsItsFixture() throws {
        let hello = WorkerHello(pid: 4242, python: "3.11.7", executable: "/usr/bin/python3")
        #expect(try WorkerHello(payload: Self.bytes("responses", "hello")) == hello)
        #expect(try Self.object(hello.payload()) == Self.object(Self.bytes("responses", "hello")))
    }

    /// The worker's own answer to a request its helpers could not handle reads back as itself.
    @Test func aFailedResponseTheWorkerWritesReadsBack() throws {
        let failure = WorkerFailure(kind: .exception, type: "flowspec.WorkerError", message: "flowspec worker: \"x\"\n",
                                    traceback: "")
        let read = try WorkerResponse(payload: WorkerResponse.failedPayload(id: 12, failure))
        #expect(read == WorkerResponse(id: 12, status: .failed, error: failure))
        #expect(WorkerRequest.id(of: Array(#"{"kind": "task", "id": 12}"#.utf8)) == 12)
        #expect(WorkerRequest.id(of: Array("not json".utf8)) == nil)
    }

    /// Each direction has one writer and one reader: no `Codable` conformance for a decoder
    /// to fall back on when the scanner's reading of a response goes wrong.
    @Test func theMessagesHaveNoCodableTwin() {
        #expect(!(WorkerResponse.self is any Decodable.Type))
        #expect(!(WorkerHello.self is any Decodable.Type))
        #expect(!(WorkerRequest.self is any Encodable.Type))
        #expect(!(WorkerTaskRequest.self is any Encodable.Type))
    }
}
