import CSQLite

/// A prepared statement. `run`, `query` and `queryFirst` bind their values, step through the
/// rows and leave the statement reset for the next use.
public final class Statement {
    private var pointer: OpaquePointer?
    public let sql: String

    /// A statement keeps its connection open: `sqlite3_close_v2` waits for it to be finalized.
    init(_ pointer: OpaquePointer, sql: String) {
        self.pointer = pointer
        self.sql = sql
    }

    private func error(_ code: Int32, _ pointer: OpaquePointer) -> DatabaseError {
        let message = sqlite3_db_handle(pointer).map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return DatabaseError(code: code, message: message, sql: sql)
    }

    deinit { finalize() }

    func finalize() {
        if let pointer { sqlite3_finalize(pointer) }
        pointer = nil
    }

    func reset() {
        guard let pointer else { return }
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// Runs the statement to its end, ignoring any rows.
    public func run(_ bindings: [any SQLConvertible] = []) throws {
        _ = try query(bindings) { _ in () }
    }

    /// Every row, each turned into a value by `read`.
    public func query<T>(_ bindings: [any SQLConvertible] = [], _ read: (Row) throws -> T) throws -> [T] {
        var results: [T] = []
        try each(bindings) { results.append(try read($0)); return true }
        return results
    }

    /// The first row turned into a value by `read`, or nil when there is none.
    public func queryFirst<T>(_ bindings: [any SQLConvertible] = [], _ read: (Row) throws -> T) throws -> T? {
        var result: T?
        try each(bindings) { result = try read($0); return false }
        return result
    }

    /// Calls `body` with each row until it returns false.
    private func each(_ bindings: [any SQLConvertible], _ body: (Row) throws -> Bool) throws {
        guard let pointer else { throw DatabaseError(code: SQLITE_MISUSE, message: "statement already finalized", sql: sql) }
        defer { reset() }
        try bind(bindings, to: pointer)
        while true {
            let code = sqlite3_step(pointer)
            switch code {
            case SQLITE_ROW:
                if try !body(Row(pointer: pointer)) { return }
            case SQLITE_DONE:
                return
            default:
                throw error(code, pointer)
            }
        }
    }

    private func bind(_ bindings: [any SQLConvertible], to pointer: OpaquePointer) throws {
        let expected = Int(sqlite3_bind_parameter_count(pointer))
        guard bindings.count == expected else {
            throw DatabaseError(code: SQLITE_RANGE, message: "\(bindings.count) values bound to \(expected) parameters", sql: sql)
        }
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value.sqlValue {
            case .null: code = sqlite3_bind_null(pointer, index)
            case .integer(let number): code = sqlite3_bind_int64(pointer, index, number)
            case .real(let number): code = sqlite3_bind_double(pointer, index, number)
            case .text(let text): code = sqlite3_bind_text(pointer, index, text, -1, csqlite_transient())
            case .blob(let bytes):
                code = bytes.withUnsafeBytes {
                    sqlite3_bind_blob64(pointer, index, $0.baseAddress, sqlite3_uint64($0.count), csqlite_transient())
                }
            }
            guard code == SQLITE_OK else { throw error(code, pointer) }
        }
    }
}

/// One result row, valid only inside the closure it is passed to. Columns are 0-based.
public struct Row {
    fileprivate let pointer: OpaquePointer

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(pointer, column)) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }
    public func bool(_ column: Int32) -> Bool { sqlite3_column_int64(pointer, column) != 0 }

    /// The column as text; NULL reads as the empty string.
    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(pointer, column) else { return "" }
        let count = Int(sqlite3_column_bytes(pointer, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(pointer, column))
        guard count > 0, let raw = sqlite3_column_blob(pointer, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: raw, count: count))
    }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
    public func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    public func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
}
