import Glibc
import WorkerProtocol

/// A TCP connection between the scheduler and a pilot, framed as the worker protocol frames its
/// pipe. Keepalive probes find a peer that vanished without closing (a lost node) in about 25 s.
public final class PilotSocket: Sendable {
    public let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
        Self.keepAlive(descriptor)
    }

    /// Connects to `host:port`.
    public static func connect(host: String, port: UInt16) throws(PilotSocketError) -> PilotSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw .failed("cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = ECONNREFUSED
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let address = next {
            next = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return PilotSocket(descriptor: fd) }
            lastError = errno
            Glibc.close(fd)
        }
        throw .failed("cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    public func send(_ payload: [UInt8]) throws {
        try WorkerFrames.write(payload, to: descriptor)
    }

    /// The next frame; nil when the other side closed the connection.
    public func receive() throws -> [UInt8]? {
        try WorkerFrames.read(from: descriptor)
    }

    /// Ends the connection both ways: a thread blocked reading it returns.
    public func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    deinit { Glibc.close(descriptor) }

    /// Blocks until the other side closes the connection (or it breaks); data waiting to be
    /// read does not end the wait.
    public func waitForHangUp() {
        let peerClosed: Int16 = 0x2000  // POLLRDHUP, which Glibc's module leaves out
        var watched = pollfd(fd: descriptor, events: peerClosed, revents: 0)
        while true {
            let ready = poll(&watched, 1, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || watched.revents & (peerClosed | Int16(POLLHUP | POLLERR | POLLNVAL)) != 0 { return }
        }
    }

    /// Gives up receiving after `seconds` (a pilot that connects and says nothing).
    func receiveTimeout(_ seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func keepAlive(_ fd: Int32) {
        var on: Int32 = 1, idle: Int32 = 10, interval: Int32 = 5, count: Int32 = 3
        let size = socklen_t(MemoryLayout<Int32>.size)
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &interval, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &count, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size)
    }
}

public struct PilotSocketError: Error, CustomStringConvertible, Sendable {
    public let description: String
    static func failed(_ description: String) -> PilotSocketError { PilotSocketError(description: description) }
}
