import FlowBasics

/// How long to wait before an attempt: `delay`, multiplied by `backoff` for every retry before
/// it, at most `max_delay`; with `jitter`, a random half to the whole of that, so tasks that
/// failed together do not all come back at once.
enum RetryDelay {
    static func seconds(before attempt: Int, policy: RetryPolicy,
                        random: () -> Double = { Double.random(in: 0.5...1) }) -> Double {
        guard attempt > 1, let delay = policy.delay?.seconds else { return 0 }
        var seconds = delay * pow(policy.backoff ?? 1, Double(attempt - 2))
        if let cap = policy.maxDelay?.seconds { seconds = min(seconds, cap) }
        return policy.jitter == true ? seconds * random() : seconds
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        (0..<Int(exponent)).reduce(1) { product, _ in product * base }
    }
}
