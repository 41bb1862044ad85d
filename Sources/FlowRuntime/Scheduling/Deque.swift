/// A first-in first-out queue with O(1) pops.
public struct Deque<Element> {
    public var count: Int { items.count - head }
    private var items: [Element] = []
    private var head = 0

    public init() {}

    public var isEmpty: Bool { head >= items.count }
    public var first: Element? { isEmpty ? nil : items[head] }

    public mutating func append(_ item: Element) { items.append(item) }

    public mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        defer {
            head += 1
            if head > 1024, head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
        }
        return items[head]
    }
}
extension Deque: Sendable where Element: Sendable {}
