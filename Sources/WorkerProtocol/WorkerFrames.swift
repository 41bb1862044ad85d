import Glibc

/// The protocol's framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
public enum WorkerFrames {
    /// Larger messages are a protocol error.
    public static let maximumSize = 64 << 20

    /// Writes one frame, retrying short writes and interrupted calls.
    public static func write(_ payload: [UInt8], to descriptor: Int32) throws {
        guard payload.count <= maximumSize else { throw WorkerFrameError.tooLarge(payload.count) }
        let length = UInt32(payload.count)
        var frame = [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
                     UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        frame.append(contentsOf: payload)
        try frame.withUnsafeBytes { bytes throws in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WorkerFrameError.io("write", errno)
                }
                offset += written
            }
        }
    }

    /// Reads one frame; nil when the other side closed the pipe before a frame began.
    public static func read(from descriptor: Int32) throws -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 4)
        guard try readExactly(&header, from: descriptor, endAllowed: true) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= maximumSize else { throw WorkerFrameError.tooLarge(length) }
        var payload = [UInt8](repeating: 0, count: length)
        _ = try readExactly(&payload, from: descriptor, endAllowed: false)
        return payload
    }

    /// Fills `buffer`; false if the pipe ended before the first byte and `endAllowed`.
    private static func readExactly(_ buffer: inout [UInt8], from descriptor: Int32,
                                    endAllowed: Bool) throws -> Bool {
        let count = buffer.count
        return try buffer.withUnsafeMutableBytes { bytes throws -> Bool in
            var offset = 0
            while offset < count {
                let got = Glibc.read(descriptor, bytes.baseAddress! + offset, count - offset)
                if got < 0 {
                    if errno == EINTR { continue }
                    throw WorkerFrameError.io("read", errno)
                }
                if got == 0 {
                    if offset == 0 && endAllowed { return false }
                    throw WorkerFrameError.truncated(expected: count, got: offset)
                }
                offset += got
            }
            return true
        }
    }
}

/// A frame that could not be read or written.
public enum WorkerFrameError: Error, CustomStringConvertible, Sendable {
    case tooLarge(Int)
    case truncated(expected: Int, got: Int)
    case io(String, Int32)

    public var description: String {
        switch self {
        case let .tooLarge(size): "a worker message of \(size) bytes is larger than the 64 MiB limit"
        case let .truncated(expected, got): "a worker message ended after \(got) of \(expected) bytes"
        case let .io(call, code): "\(call) on the worker pipe failed: \(String(cString: strerror(code)))"
        }
    }
}
