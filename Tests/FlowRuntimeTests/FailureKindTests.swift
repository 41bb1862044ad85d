import FlowRuntime
import Testing

/// README "Choices": `retry` after an exception, a timeout or a lost worker (or one that could
/// not start); `catch` also takes outputs that do not fit or cannot be pickled. The raw values
/// are the store's `error_kind`.
@Suite struct FailureKindTests {
    private static let all: [FailureKind] = [.exception, .import, .binding, .outputs, .pickle, .foreach, .store, .timeout,
                                             .lost, .interrupted, .worker, .switch, .loop, .resources, .unreached, .scheduler]

    @Test func retryAndCatchTakeTheUsersFailuresOnly() {
        #expect(Self.all.filter(\.isRetryable) == [.exception, .timeout, .lost, .worker])
        #expect(Self.all.filter(\.isCatchable) == [.exception, .outputs, .pickle, .timeout, .lost, .worker])
    }

    @Test func rawValuesAreTheStoredKinds() {
        #expect(Self.all.map(\.rawValue) == ["exception", "import", "binding", "outputs", "pickle", "foreach", "store", "timeout",
                                             "lost", "interrupted", "worker", "switch", "loop", "resources", "unreached", "scheduler"])
    }
}
