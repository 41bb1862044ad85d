import FlowRuntime
import LocalExecution
import Testing
import WorkerProtocol

/// The worker's failure kinds keep their names as the scheduler's (and the store's) kinds.
@Suite struct FailureKindTranslationTests {
    @Test func aWorkersFailureKeepsItsKind() {
        let kinds: [WorkerFailure.Kind] = [.exception, .import, .binding, .outputs, .pickle, .foreach, .store]
        #expect(kinds.map { FailureKind($0).rawValue } == kinds.map(\.rawValue))
    }
}
