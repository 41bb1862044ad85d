import CSQLite

/// One connection to an SQLite database: prepared statements, transactions and errors that carry
/// SQLite's own message. A connection is used from one thread at a time; open one per thread.
public final class Database {
    /// How a connection opens its file.
    public enum Mode: Sendable {
        /// Read and write; create the file when `create` is true.
        case readWrite(create: Bool)
        /// Read only: the connection never writes the database.
        case readOnly
        /// Read only, trusting that nothing changes the file while it is open: SQLite takes no
        /// locks and needs no `-shm` file, so a database in a folder one cannot write is readable.
        /// A write-ahead log beside it is not read.
        case immutable
    }

    /// How a transaction starts: `immediate` takes the write lock at once, so two writers queue
    /// on `busy_timeout` instead of failing when a read would be upgraded to a write.
    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED"
        case immediate = "IMMEDIATE"
    }

    public let path: String
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    private var transactionDepth = 0

    /// Opens the database at `path`. `busyTimeout` is how long a statement waits for another
    /// connection's lock before failing with `SQLITE_BUSY`, in milliseconds.
    public init(path: String, mode: Mode, busyTimeout: Int32 = 10_000) throws {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite(let create): flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .immutable: flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
        }
        var pointer: OpaquePointer?
        let name = if case .immutable = mode { Self.uri(path) + "?immutable=1" } else { path }
        let code = sqlite3_open_v2(name, &pointer, flags, nil)
        guard let pointer else {
            throw DatabaseError(code: code, message: "out of memory opening '\(path)'")
        }
        guard code == SQLITE_OK else {
            let error = DatabaseError(code: code, message: String(cString: sqlite3_errmsg(pointer)) + " ('\(path)')")
            sqlite3_close_v2(pointer)
            throw error
        }
        handle = pointer
        sqlite3_busy_timeout(handle, busyTimeout)
    }

    /// `path` as a `file:` URI, the characters URIs reserve escaped.
    private static func uri(_ path: String) -> String {
        let escaped = path.utf8.map { byte -> String in
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"): "%" + String(byte, radix: 16, uppercase: true)
            default: String(decoding: [byte], as: UTF8.self)
            }
        }
        return "file:" + escaped.joined()
    }

    deinit {
        for statement in statements.values { statement.finalize() }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters and return no rows of interest.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw DatabaseError(code: code, message: text, sql: sql)
        }
    }

    /// A new prepared statement, finalized when released.
    public func prepare(_ sql: String) throws -> Statement {
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &pointer, nil)
        guard code == SQLITE_OK, let pointer else {
            throw error(code, sql: sql)
        }
        return Statement(pointer, sql: sql)
    }

    /// The prepared statement for `sql`, kept for the connection's life and reset for reuse.
    public func cached(_ sql: String) throws -> Statement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `sql` with `bindings`, ignoring any rows.
    public func run(_ sql: String, _ bindings: [any SQLConvertible] = []) throws {
        try cached(sql).run(bindings)
    }

    /// Every row `sql` returns, each turned into a value by `read`.
    public func query<T>(_ sql: String, _ bindings: [any SQLConvertible] = [], _ read: (Row) throws -> T) throws -> [T] {
        try cached(sql).query(bindings, read)
    }

    /// The first row `sql` returns, or nil.
    public func queryFirst<T>(_ sql: String, _ bindings: [any SQLConvertible] = [], _ read: (Row) throws -> T) throws -> T? {
        try cached(sql).queryFirst(bindings, read)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// Nested calls (and calls while a transaction is held) are savepoints of the outer
    /// transaction: a body that throws undoes only its own writes. `beforeCommit` runs just
    /// before the commit; if it throws, the transaction is rolled back.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T,
                               beforeCommit: () throws -> Void = {}) throws -> T {
        if transactionDepth > 0 {
            let savepoint = "s\(transactionDepth)"
            try run("SAVEPOINT \(savepoint)")
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            do {
                let result = try body()
                try run("RELEASE \(savepoint)")
                return result
            } catch {
                try? run("ROLLBACK TO \(savepoint)")
                try? run("RELEASE \(savepoint)")
                throw error
            }
        }
        try hold(kind)
        let result: T
        do {
            result = try body()
        } catch {
            rollBackHeld()
            throw error
        }
        try commitHeld(beforeCommit: beforeCommit)
        return result
    }

    /// Opens a transaction that stays open across `transaction` calls until `commitHeld`: many
    /// small writes then share one commit. Does nothing while one is open.
    public func hold(_ kind: TransactionKind = .immediate) throws {
        guard transactionDepth == 0 else { return }
        try execute("BEGIN \(kind.rawValue)")
        transactionDepth = 1
    }

    /// Commits the held transaction, if any, after `beforeCommit`; when either fails it is
    /// rolled back.
    public func commitHeld(beforeCommit: () throws -> Void = {}) throws {
        guard transactionDepth == 1 else { return }
        do {
            try beforeCommit()
            try execute("COMMIT")
            transactionDepth = 0
        } catch {
            rollBackHeld()
            throw error
        }
    }

    private func rollBackHeld() {
        try? execute("ROLLBACK")
        transactionDepth = 0
    }

    /// The rowid of the last row inserted through this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How many rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ code: Int32, sql: String? = nil) -> DatabaseError {
        DatabaseError(code: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// A failure reported by SQLite: its result code and message, and the statement that failed.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code.
    public var code: Int32
    public var message: String
    public var sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, …).
    public var primaryCode: Int32 { code & 0xFF }

    /// Another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// The connection needed to write a file it may not: a WAL database's `-shm` in a folder
    /// the reader cannot write.
    public var isReadOnlyFile: Bool { primaryCode == SQLITE_READONLY || primaryCode == SQLITE_CANTOPEN }

    /// A UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint failed.
    public var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        let text = message == name ? message : "\(message) (\(name))"
        return sql.map { "\(text) in: \($0)" } ?? text
    }
}
