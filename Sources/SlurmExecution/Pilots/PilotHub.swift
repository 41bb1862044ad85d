import Dispatch
import Glibc
import Synchronization

/// The listening socket a run's pilots connect back to, on every interface of this machine at
/// a port the kernel picks. A connection is a pilot's once its hello carries the run's secret
/// (random, 256 bits, given to the pilots in a file only the user can read); anything else is
/// closed. Accepted pilots go to `onPilot`.
final class PilotHub: Sendable {
    /// Where pilots connect: this machine's name, as the nodes resolve it.
    let host: String
    let port: UInt16
    let secret: String
    private let listener: Int32
    private let closed = Atomic(false)

    init(onPilot: @escaping @Sendable (PilotSocket, PilotHello) -> Void) throws(PilotSocketError) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw .failed("cannot open a socket for pilots: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                Glibc.bind(listener, raw, length) == 0 && listen(listener, 128) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            Glibc.close(listener)
            throw .failed("cannot listen for pilots: \(reason)")
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        host = Self.hostName()
        secret = Self.randomSecret()
        DispatchQueue(label: "flowspec.pilots.accept").async { [self] in acceptPilots(onPilot) }
    }

    private func acceptPilots(_ onPilot: @escaping @Sendable (PilotSocket, PilotHello) -> Void) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if closed.load(ordering: .relaxed) { return }
                if errno != EINTR { usleep(10_000) }
                continue
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // no worker started later inherits it
            let connection = PilotSocket(descriptor: fd)
            DispatchQueue.global().async { [secret] in Self.greet(connection, secret: secret, onPilot: onPilot) }
        }
    }

    /// Stops taking connections; pilots already connected keep theirs.
    func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    /// Reads the hello (within 10 s) and hands over a pilot that knows the secret.
    private static func greet(_ connection: PilotSocket, secret: String,
                              onPilot: @Sendable (PilotSocket, PilotHello) -> Void) {
        connection.receiveTimeout(10)
        guard let frame = try? connection.receive(), let hello = try? PilotHello(payload: frame),
              hello.version == PilotHello.version, Self.same(hello.secret, secret) else {
            return connection.close()
        }
        connection.receiveTimeout(0)
        onPilot(connection, hello)
    }

    /// Compares in time that does not depend on where the two differ.
    private static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
