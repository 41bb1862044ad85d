import Glibc

/// Opening a store's database, shared by the writer and the reader.
enum StoreOpening {
    /// SQLite opens a database file it may not write read-only, without a word, and the first
    /// write fails deep inside a run: a writer checks the store's folders and database first.
    static func requireWritable(_ layout: StoreLayout) throws {
        for path in [layout.root, layout.database, layout.blobs, layout.temporary]
        where FileIO.exists(path) && access(path, W_OK) != 0 {
            let reason = System.errorText(errno)
            throw StoreError.readOnly(path: layout.root, reason: path == layout.root ? reason : "\(path): \(reason)")
        }
    }

    /// Opens (creating if needed) the store at `layout` for writing and checks its format.
    static func openForWriting(_ layout: StoreLayout, busyTimeout: Int32) throws -> Database {
        try FileIO.makeDirectory(layout.root)
        try FileIO.makeDirectory(layout.blobs)
        try FileIO.makeDirectory(layout.temporary)
        try requireWritable(layout)
        return try StoreError.wrapping {
            let database = try Database(path: layout.database, mode: .readWrite(create: true), busyTimeout: busyTimeout)
            // Switching to WAL needs a moment alone with the file; two schedulers creating the
            // same store at once may both get here.
            try retryingWhileBusy { try database.execute(Schema.writerPragmas) }
            try database.transaction(.immediate) {
                try database.execute(Schema.tables)
                for added in Schema.addedColumns where try !hasColumn(added.column, of: added.table, database) {
                    try database.execute("ALTER TABLE \(added.table) ADD COLUMN \(added.column) \(added.type)")
                }
                try database.execute(Schema.addedIndexes)
                let found = try database.queryFirst("SELECT value FROM meta WHERE key = 'format_version'") { $0.string(0) }
                if let found {
                    guard found == String(Schema.formatVersion) else {
                        throw StoreError.unsupportedFormat(path: layout.root, found: found)
                    }
                } else {
                    try database.run("INSERT INTO meta (key, value) VALUES ('format_version', ?), ('created_at', ?)",
                                     [String(Schema.formatVersion), String(System.nowMilliseconds())])
                }
            }
            return database
        }
    }

    /// Opens the store at `layout` read-only; fails if there is none or its format is unknown.
    /// A store in a folder this user cannot write (another user's, a read-only mount or copy)
    /// is opened immutable, unless a write-ahead log beside it holds what that would miss.
    static func openForReading(_ layout: StoreLayout, busyTimeout: Int32) throws -> Database {
        guard FileIO.exists(layout.database) else { throw StoreError.noStore(path: layout.root) }
        do {
            return try connectChecked(layout, mode: .readOnly, busyTimeout: busyTimeout)
        } catch StoreError.database(let error) where error.isReadOnlyFile {
            guard (FileIO.size(layout.database + "-wal") ?? 0) == 0 else {
                throw StoreError.io(path: layout.database, reason: "\(error.message); its write-ahead log "
                    + "(flowspec.db-wal) can only be read with write access to \(layout.root)")
            }
            return try connectChecked(layout, mode: .immutable, busyTimeout: busyTimeout)
        }
    }

    private static func connectChecked(_ layout: StoreLayout, mode: Database.Mode, busyTimeout: Int32) throws -> Database {
        try StoreError.wrapping {
            let database = try Database(path: layout.database, mode: mode, busyTimeout: busyTimeout)
            try database.execute(Schema.readerPragmas)
            let found = try retryingWhileBusy {
                // A database without `meta` is one a writer has just created and not yet filled.
                let hasMeta = try database.queryFirst("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'") { _ in true }
                guard hasMeta != nil else { return String?.none }
                return try database.queryFirst("SELECT value FROM meta WHERE key = 'format_version'") { $0.string(0) }
            }
            guard let found else { throw StoreError.noStore(path: layout.root) }
            guard found == String(Schema.formatVersion) else {
                throw StoreError.unsupportedFormat(path: layout.root, found: found)
            }
            return database
        }
    }

    /// Whether `table` has `column` (a store made before the column was added may not).
    static func hasColumn(_ column: String, of table: String, _ database: Database) throws -> Bool {
        try database.queryFirst("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", [table, column]) { _ in true } ?? false
    }

    private static func retryingWhileBusy<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.isBusy && attempt < 50 {
                attempt += 1
                System.sleep(milliseconds: 20 * min(attempt, 10))
            }
        }
    }
}
