#!/usr/bin/env python3
"""The raw floor: the least a durable engine must do per task, in one Python process, no engine.

usage: floor.py [--fsync] startup | linear | foreach N | bigartifact

Runs the benchmark's step functions (bench/flows/steps.py) in order, and stores every task's
return value: pickles it (protocol 5, straight into the file), hashes the bytes with SHA-256 on
the way, writes them to a temporary file renamed to `.floor/blobs/<sha256>`, and inserts one
row into `.floor/floor.db` (SQLite, WAL, one transaction per 100 tasks). Without --fsync nothing
is synced (synchronous=OFF); with it each blob is fsynced before its rename and each commit
syncs the WAL (synchronous=FULL). The 400 MB array is read back from its blob by the next step.
"""

import hashlib
import os
import pickle
import sqlite3
import sys

import steps  # bench/flows on PYTHONPATH

BATCH = 100


class HashingFile:
    """A file that hashes what is written to it, so the value is pickled once, without a copy."""

    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha256()

    def write(self, data):
        self.sha.update(data)
        return self.f.write(data)


class Store:
    def __init__(self, root, fsync):
        self.blobs, self.fsync, self.pending, self.tmp = os.path.join(root, "blobs"), fsync, 0, 0
        os.makedirs(self.blobs)
        self.db = sqlite3.connect(os.path.join(root, "floor.db"), isolation_level=None)
        self.db.execute("PRAGMA synchronous = " + ("FULL" if fsync else "OFF"))  # first: the switch to WAL syncs too
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("CREATE TABLE results (task INTEGER PRIMARY KEY, step TEXT, idx INTEGER, sha256 TEXT, "
                        "size INTEGER)")

    def put(self, step, idx, value):
        """Stores one task's value; returns its blob's path."""
        self.tmp += 1
        tmp = os.path.join(self.blobs, f".tmp-{self.tmp}")
        with open(tmp, "wb") as f:
            out = HashingFile(f)
            pickle.Pickler(out, protocol=5).dump(value)
            if self.fsync:
                f.flush()
                os.fsync(f.fileno())
            size = f.tell()
        digest = out.sha.hexdigest()
        path = os.path.join(self.blobs, digest)
        os.rename(tmp, path)
        if self.pending == 0:
            self.db.execute("BEGIN")
        self.db.execute("INSERT INTO results (step, idx, sha256, size) VALUES (?, ?, ?, ?)", (step, idx, digest, size))
        self.pending += 1
        if self.pending == BATCH:
            self.commit()
        return path

    def commit(self):
        if self.pending:
            self.db.execute("COMMIT")
            self.pending = 0


def load(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def linear(store):
    x = steps.start()
    store.put("start", None, x)
    for step in ("a", "b"):
        x = steps.increment(x)
        store.put(step, None, x)
    store.put("end", None, steps.check(x))


def foreach(store, n):
    xs = steps.items(n)
    store.put("start", None, xs)
    ys = []
    for i, x in enumerate(xs):
        ys.append(steps.work(x))
        store.put("work", i, ys[-1])
    total = steps.join(ys)
    store.put("join", None, total)
    store.put("end", None, steps.check_total(total, n))


def bigartifact(store):
    arr, expected = steps.make_array("random")
    path = store.put("start", None, arr)
    store.put("start", None, expected)
    del arr  # the next step reads the array back from its blob
    total = steps.reduce(load(path))
    store.put("reduce", None, total)
    store.put("end", None, steps.check_sum(total, expected, "random"))


def main(argv):
    fsync = "--fsync" in argv
    args = [a for a in argv if a != "--fsync"]
    store = Store(".floor", fsync)
    if args == ["startup"]:
        store.put("start", None, steps.noop())
    elif args == ["linear"]:
        linear(store)
    elif len(args) == 2 and args[0] == "foreach":
        foreach(store, int(args[1]))
    elif args == ["bigartifact"]:
        bigartifact(store)
    else:
        sys.exit(__doc__)
    store.commit()


if __name__ == "__main__":
    main(sys.argv[1:])
