"""Read-only access to a store (specs/store-format.md): the SQLite metadata and the value blobs.

Nothing here writes: the database is opened with a `mode=ro` URI and `query_only`, and blobs are
read with `flowspec._runtime.blobs.read_value`, which only opens files for reading.
"""
import difflib
import errno
import os
import socket
import sqlite3
import threading
import time
import urllib.parse
from datetime import datetime, timezone

FORMAT_VERSION = "1"
STALE_HEARTBEAT_MS = 120_000
RUN_STATUSES = ("running", "completed", "failed", "interrupted")
TASK_STATUSES = ("pending", "running", "completed", "failed", "reused", "interrupted")


class FlowspecError(Exception):
    """Base class of the client's errors."""


class StoreNotFoundError(FlowspecError, FileNotFoundError):
    """No store at the given path."""

    def __str__(self):
        return self.args[0] if self.args else ""


class StoreFormatError(FlowspecError):
    """The store has another format version, or is not a flowspec store."""


class NotFoundError(FlowspecError, KeyError):
    """An unknown flow, run, step, task or artifact; the message names the nearest known ones."""

    def __str__(self):  # KeyError would print the repr of its argument
        return self.args[0] if self.args else ""


class NamespaceMismatchError(NotFoundError):
    """A flow with no run, or a run, outside the namespace in force (`namespace()`); the
    message says which namespace and how to see every run."""


class InvalidPathspecError(FlowspecError, ValueError):
    """A pathspec of the wrong shape (`Run("MovieStats")`: a run's is `FLOW/RUN`)."""


class ArtifactLoadError(FlowspecError):
    """An artifact's blob could not be read or unpickled."""


def nearest(name, candidates, n=3):
    """The candidates closest to `name`, best first."""
    candidates = [str(c) for c in candidates]
    return difflib.get_close_matches(str(name), candidates, n=n, cutoff=0.5)


def not_found(what, name, candidates, where=""):
    """A NotFoundError: `no step 'x' in run R; did you mean 'y'? (steps: a, b, c)`."""
    candidates = list(candidates)
    message = f"no {what} {name!r}{where}"
    close = nearest(name, candidates)
    if close:
        message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    if candidates:
        shown = ", ".join(str(c) for c in candidates[:20])
        if len(candidates) > 20:
            shown += f", … ({len(candidates)} in all)"
        message += f" (known: {shown})"
    else:
        message += " (there are none)"
    return NotFoundError(message)


def to_datetime(milliseconds):
    """INTEGER milliseconds since the epoch → an aware UTC datetime (None stays None)."""
    if milliseconds is None:
        return None
    return datetime.fromtimestamp(milliseconds / 1000, tz=timezone.utc)


def default_store_path():
    """Inside a running step, the run's own store; else `$FLOWSPEC_STORE`, else `.flowspec`."""
    from flowspec._runtime.context import current
    if current.is_running_flow:
        return current.store
    return os.environ.get("FLOWSPEC_STORE") or ".flowspec"


class Store:
    """A store folder opened for reading. Thread-safe; one SQLite connection, opened read-only."""

    def __init__(self, path=None):
        if isinstance(path, Store):
            path = path.path
        given = default_store_path() if path is None else os.fspath(path)
        # realpath, not abspath: `link/..` is where the kernel goes, the link target's parent.
        self.path = os.path.realpath(os.path.expanduser(given))
        self.database_path = os.path.join(self.path, "flowspec.db")
        if not os.path.isdir(self.path):
            raise StoreNotFoundError(
                f"no flowspec store at {self.path} (a store is made by `flowspec run`; pass "
                f"store=PATH or set $FLOWSPEC_STORE to read another one)")
        if not os.path.isfile(self.database_path):
            raise StoreNotFoundError(
                f"{self.path} is not a flowspec store: it has no flowspec.db")
        self._lock = threading.RLock()
        self._snapshots = set()  # runs whose code snapshot is registered
        self._connection = self._connect("mode=ro")
        try:
            version = self._read_version()
        except sqlite3.OperationalError as error:
            # A store in a folder this user cannot write (another user's, a read-only mount or
            # copy): SQLite cannot make the -shm file WAL readers share. Read it immutable,
            # unless a write-ahead log holds what that would miss.
            if not _is_read_only_folder(error):
                raise StoreFormatError(f"{self.database_path} is not a flowspec store: {error}") from None
            if _size(self.database_path + "-wal") > 0:
                raise StoreFormatError(
                    f"cannot read {self.database_path}: {error}; its write-ahead log (flowspec.db-wal) "
                    f"can only be read with write access to {self.path}") from None
            self._connection.close()
            self._connection = self._connect("immutable=1")
            version = self._read_version()
        self._check_version(version)

    def _connect(self, mode):
        uri = "file:" + urllib.parse.quote(self.database_path) + "?" + mode
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=10.0, check_same_thread=False,
                                         isolation_level=None)
            connection.execute("PRAGMA query_only = ON")
            connection.execute("PRAGMA busy_timeout = 10000")
        except sqlite3.Error as error:
            raise StoreFormatError(f"cannot open {self.database_path} for reading: {error}") from None
        connection.row_factory = sqlite3.Row
        return connection

    def _read_version(self):
        try:
            row = self.query_one("SELECT value FROM meta WHERE key = 'format_version'")
        except sqlite3.OperationalError:
            raise
        except sqlite3.Error as error:
            raise StoreFormatError(f"{self.database_path} is not a flowspec store: {error}") from None
        return None if row is None else str(row[0])

    def _check_version(self, version):
        if version != FORMAT_VERSION:
            raise StoreFormatError(
                f"store {self.path} has format version {version}; this client reads version "
                f"{FORMAT_VERSION}")

    def query(self, sql, parameters=()):
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def query_one(self, sql, parameters=()):
        with self._lock:
            return self._connection.execute(sql, parameters).fetchone()

    def snapshot(self):
        """A context manager: every query inside sees one consistent state of the database."""
        return _Snapshot(self)

    def close(self):
        with self._lock:
            self._connection.close()

    def blob_path(self, hex_digest):
        return os.path.join(self.path, "blobs", hex_digest[:2], hex_digest)

    def load_value(self, hex_digest, what, run=None):
        """Unpickles a value blob of run `run`, whose code snapshot provides the modules of its
        step files; `what` names it in errors (`artifact 'x' of task s/0`)."""
        from flowspec._runtime import blobs, snapshot
        from flowspec._runtime.failures import Failure
        if run is not None and run not in self._snapshots:
            snapshot.register(self.path, self.code_files(run))
            self._snapshots.add(run)
        try:
            return blobs.read_value(self.path, hex_digest)
        except Failure as failure:
            raise ArtifactLoadError(f"cannot load {what}: {failure.message}") from failure.cause

    def code_files(self, run):
        """The code the run's values need: its `code_files` rows as dicts of `path`, `blob`,
        `module`, then those of the run it resumed, and so on (a reused task's values were
        pickled with its origin's code)."""
        columns = {row[1] for row in self.query("PRAGMA table_info(code_files)")}
        module = "module" if "module" in columns else "NULL AS module"  # a store older than it
        files, seen = [], set()
        while run is not None and run not in seen:
            seen.add(run)
            rows = self.query(f"SELECT path, blob, {module} FROM code_files WHERE run = ?", (run,))
            files += [dict(row) for row in rows]
            origin = self.query_one("SELECT origin_run FROM runs WHERE id = ?", (run,))
            run = origin[0] if origin else None
        return files

    def read_raw(self, hex_digest):
        with open(self.blob_path(hex_digest), "rb") as file:
            return file.read()

    def __repr__(self):
        return f"Store({self.path!r})"


class _Snapshot:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        self.store._lock.acquire()
        self.store._connection.execute("BEGIN")  # a read transaction: one view of the database
        return self.store

    def __exit__(self, *exc):
        try:
            self.store._connection.execute("COMMIT")
        finally:
            self.store._lock.release()


def _is_read_only_folder(error):
    text = str(error)
    return "readonly database" in text or "unable to open database" in text


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _process_start(pid):
    """Field 22 of /proc/PID/stat (clock ticks since boot), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            text = file.read().decode("utf-8", "replace")
    except OSError:
        return None
    fields = text[text.rfind(")") + 1:].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def _is_alive(pid, start):
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as error:
        if error.errno == errno.ESRCH:
            return False
    if start is not None:
        current = _process_start(pid)
        if current is not None and current != start:
            return False
    return True


def observed_status(row):
    """A run's status as readers show it: `running` becomes `interrupted` when the scheduler is
    gone (same host: no such process, or one that started at another time; another host: a
    heartbeat older than two minutes)."""
    status = row["status"]
    if status != "running":
        return status
    if row["scheduler_host"] == socket.gethostname():
        return "running" if _is_alive(row["scheduler_pid"], row["scheduler_start"]) else "interrupted"
    now = int(time.time() * 1000)
    return "interrupted" if now - row["heartbeat_at"] > STALE_HEARTBEAT_MS else "running"
