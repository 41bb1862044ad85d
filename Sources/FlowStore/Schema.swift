/// The SQLite schema of store format version 1. `specs/store-format.md` documents every table;
/// keep the two in step.
enum Schema {
    static let formatVersion = 1

    /// Applied to every connection that writes.
    static let writerPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA foreign_keys = ON;
        """

    /// Applied to every read-only connection.
    static let readerPragmas = """
        PRAGMA foreign_keys = ON;
        PRAGMA query_only = ON;
        """

    /// Columns added after format version 1 was first released: a writer adds them to an older
    /// store's table; readers treat them as NULL where they are missing.
    static let addedColumns: [(table: String, column: String, type: String)] = [
        ("attempts", "stdout_blob", "TEXT"), ("attempts", "stderr_blob", "TEXT"),
        ("code_files", "module", "TEXT"),
        ("steps", "in_loop", "INTEGER CHECK (in_loop IN (0, 1))"),
        ("runs", "failure", "TEXT"), ("tasks", "cache_key", "TEXT"),
        ("tasks", "item", "TEXT"),
        ("steps", "fingerprint", "TEXT"), ("steps", "key_parts", "TEXT"), ("steps", "parameters", "TEXT"),
        ("tasks", "inputs", "TEXT"), ("tasks", "reason", "TEXT"), ("tasks", "reason_code", "TEXT"),
        ("steps", "report", "TEXT"),
        ("attempts", "job_id", "TEXT"), ("attempts", "job_node", "TEXT"), ("attempts", "job_state", "TEXT"),
    ]

    /// Indexes on added columns, made once they exist.
    static let addedIndexes = """
        -- An earlier run's step with the same code and environment: what its function takes.
        CREATE INDEX IF NOT EXISTS steps_by_fingerprint ON steps (fingerprint) WHERE fingerprint IS NOT NULL;
        -- The nearest earlier task of a step, to say what changed since.
        CREATE INDEX IF NOT EXISTS tasks_by_step ON tasks (step, index_key, iteration);
        """

    static let tables = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE IF NOT EXISTS flows (
            name       TEXT PRIMARY KEY,
            project    TEXT,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS runs (
            id                TEXT PRIMARY KEY,
            flow              TEXT NOT NULL REFERENCES flows(name),
            status            TEXT NOT NULL
                              CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
            params            TEXT NOT NULL DEFAULT '{}',
            tags              TEXT NOT NULL DEFAULT '[]',
            user              TEXT,
            spec_path         TEXT,
            spec_blob         TEXT,
            code_fingerprint  TEXT,
            python_version    TEXT,
            python_executable TEXT,
            environment       TEXT NOT NULL DEFAULT '{}',
            created_at        INTEGER NOT NULL,
            finished_at       INTEGER,
            heartbeat_at      INTEGER NOT NULL,
            scheduler_pid     INTEGER NOT NULL,
            scheduler_host    TEXT NOT NULL,
            scheduler_start   INTEGER,
            origin_run        TEXT REFERENCES runs(id),
            resume_from       TEXT,
            failure           TEXT
        );
        CREATE INDEX IF NOT EXISTS runs_by_flow ON runs (flow, created_at);
        CREATE INDEX IF NOT EXISTS runs_by_time ON runs (created_at);
        CREATE INDEX IF NOT EXISTS runs_running ON runs (status) WHERE status = 'running';

        CREATE TABLE IF NOT EXISTS steps (
            run      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name     TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind     TEXT NOT NULL,
            is_end   INTEGER NOT NULL DEFAULT 0 CHECK (is_end IN (0, 1)),
            in_loop  INTEGER CHECK (in_loop IN (0, 1)),
            fingerprint TEXT,
            key_parts   TEXT,
            parameters  TEXT,
            report      TEXT,
            PRIMARY KEY (run, name)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS tasks (
            id            INTEGER PRIMARY KEY,
            run           TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step          TEXT NOT NULL,
            index_path    TEXT NOT NULL,
            index_key     TEXT NOT NULL,
            foreach_index INTEGER,
            iteration     INTEGER NOT NULL DEFAULT 0,
            status        TEXT NOT NULL
                          CHECK (status IN ('pending', 'running', 'completed', 'failed', 'reused')),
            origin_task   INTEGER REFERENCES tasks(id),
            item          TEXT,
            created_at    INTEGER NOT NULL,
            started_at    INTEGER,
            finished_at   INTEGER,
            cache_key     TEXT,
            inputs        TEXT,
            reason        TEXT,
            reason_code   TEXT,
            FOREIGN KEY (run, step) REFERENCES steps(run, name) ON DELETE CASCADE,
            UNIQUE (run, step, index_key, iteration)
        );
        -- The tasks reused from a task (resume, the cache): what `gc` checks before deleting one.
        CREATE INDEX IF NOT EXISTS tasks_by_origin ON tasks (origin_task) WHERE origin_task IS NOT NULL;

        CREATE TABLE IF NOT EXISTS task_parents (
            task     INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            parent   INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            PRIMARY KEY (task, position)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS attempts (
            id              INTEGER PRIMARY KEY,
            task            INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            number          INTEGER NOT NULL CHECK (number >= 1),
            status          TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
            started_at      INTEGER NOT NULL,
            finished_at     INTEGER,
            seconds         REAL,
            worker_pid      INTEGER,
            exit_status     INTEGER,
            signal          INTEGER,
            error_kind      TEXT,
            error_type      TEXT,
            error_message   TEXT,
            error_traceback TEXT,
            stdout          TEXT NOT NULL DEFAULT '',
            stderr          TEXT NOT NULL DEFAULT '',
            stdout_blob     TEXT,
            stderr_blob     TEXT,
            job_id          TEXT,
            job_node        TEXT,
            job_state       TEXT,
            UNIQUE (task, number)
        );

        CREATE TABLE IF NOT EXISTS artifacts (
            task INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            blob TEXT NOT NULL,
            type TEXT NOT NULL,
            size INTEGER NOT NULL,
            repr TEXT NOT NULL,
            PRIMARY KEY (task, name)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS artifacts_by_blob ON artifacts (blob);

        CREATE TABLE IF NOT EXISTS code_files (
            run  TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            blob TEXT NOT NULL,
            size INTEGER NOT NULL,
            module TEXT,
            PRIMARY KEY (run, path)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS run_environments (
            run               TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position          INTEGER NOT NULL,
            kind              TEXT NOT NULL CHECK (kind IN ('path', 'venv', 'requirements')),
            location          TEXT,
            hash              TEXT,
            requirements      TEXT NOT NULL DEFAULT '[]',
            python_version    TEXT,
            python_executable TEXT,
            packages          TEXT,
            steps             TEXT NOT NULL DEFAULT '[]',
            built             INTEGER NOT NULL DEFAULT 0 CHECK (built IN (0, 1)),
            build_seconds     REAL,
            PRIMARY KEY (run, position)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS cache_entries (
            key        TEXT PRIMARY KEY,
            task       INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL
        );
        """
}
