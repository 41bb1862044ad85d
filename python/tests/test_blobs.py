import fcntl
import hashlib
import os
import pathlib
import shutil
import struct
import threading
import time

import pytest

from flowspec._runtime import blobs
from flowspec._runtime.failures import Failure


def blob_files(store):
    return sorted(p for p in pathlib.Path(store, "blobs").rglob("*") if p.is_file())


def test_round_trip_and_layout(tmp_path):
    hex_digest, size = blobs.write_value(str(tmp_path), "x", {"a": [1, 2.5, "three"]})
    path = tmp_path / "blobs" / hex_digest[:2] / hex_digest
    data = path.read_bytes()
    assert len(data) == size
    assert hashlib.sha256(data).hexdigest() == hex_digest
    magic, count, stream_length = struct.unpack_from("<4sIQ", data)
    assert (magic, count, stream_length) == (b"FSB1", 0, size - 16)
    assert blobs.read_value(str(tmp_path), hex_digest) == {"a": [1, 2.5, "three"]}
    assert list((tmp_path / "tmp").iterdir()) == []


def test_same_value_twice_is_one_file(tmp_path):
    first = blobs.write_value(str(tmp_path), "a", list(range(100)))
    second = blobs.write_value(str(tmp_path), "b", list(range(100)))
    assert first == second
    assert len(blob_files(tmp_path)) == 1


def test_numpy_array_round_trips_out_of_band_and_writable(tmp_path):
    np = pytest.importorskip("numpy")
    array = np.arange(100_000, dtype=np.float64).reshape(1000, 100)
    hex_digest, size = blobs.write_value(str(tmp_path), "array", array)
    data = (tmp_path / "blobs" / hex_digest[:2] / hex_digest).read_bytes()
    assert struct.unpack_from("<I", data, 4)[0] == 1  # one out-of-band buffer
    assert size > array.nbytes
    back = blobs.read_value(str(tmp_path), hex_digest)
    assert back.dtype == array.dtype and (back == array).all()
    back[0, 0] = -1  # a slice of the bytearray: writable
    assert back[0, 0] == -1


def test_corrupt_blob_is_a_store_failure_naming_it(tmp_path):
    hex_digest, _ = blobs.write_value(str(tmp_path), "x", "some text")
    path = tmp_path / "blobs" / hex_digest[:2] / hex_digest
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(Failure) as caught:
        blobs.read_value(str(tmp_path), hex_digest)
    assert caught.value.kind == "store"
    assert hex_digest in caught.value.message and "corrupt" in caught.value.message


def test_missing_blob_is_a_store_failure_naming_it(tmp_path):
    with pytest.raises(Failure) as caught:
        blobs.read_value(str(tmp_path), "ab" * 32)
    assert caught.value.kind == "store" and "ab" * 32 in caught.value.message
    assert "missing" in caught.value.message


def test_unpicklable_value_names_artifact_and_type(tmp_path):
    with pytest.raises(Failure) as caught:
        blobs.write_value(str(tmp_path), "handle", lambda: 1)
    assert caught.value.kind == "pickle"
    assert "'handle'" in caught.value.message and "builtins.function" in caught.value.message
    assert not os.path.exists(tmp_path / "blobs")


def test_a_blob_is_written_after_its_folders_were_removed(tmp_path):
    store = tmp_path / "store"
    first, _ = blobs.write_value(str(store), "a", 1)
    shutil.rmtree(store)
    second, _ = blobs.write_value(str(store), "b", 2)
    assert blobs.read_value(str(store), second) == 2


def test_a_stored_blob_written_again_is_claimed_its_time_set_to_now(tmp_path):
    """gc leaves a blob modified since a running run began: the writer that reuses one says so."""
    hex_digest, _ = blobs.write_value(str(tmp_path), "a", "claimed")
    path = tmp_path / "blobs" / hex_digest[:2] / hex_digest
    os.utime(path, (1_000_000, 1_000_000))
    assert blobs.write_value(str(tmp_path), "b", "claimed")[0] == hex_digest
    assert path.stat().st_mtime > time.time() - 60
    assert len(blob_files(tmp_path)) == 1


def test_a_writer_waits_for_gc_and_writes_again_what_gc_removed(tmp_path):
    """gc deletes a blob only under an exclusive lock; a writer that opened it before takes its
    shared lock after, finds it gone and writes it anew: never names a file that is not there."""
    hex_digest, _ = blobs.write_value(str(tmp_path), "a", "contended")
    path = tmp_path / "blobs" / hex_digest[:2] / hex_digest
    gc = os.open(path, os.O_RDWR)
    fcntl.flock(gc, fcntl.LOCK_EX)
    written = []
    writer = threading.Thread(target=lambda: written.append(blobs.write_value(str(tmp_path), "b", "contended")))
    writer.start()
    time.sleep(0.05)  # the writer opens the file and waits for the lock, most times
    os.unlink(path)
    os.close(gc)
    writer.join()
    assert written[0][0] == hex_digest
    assert blobs.read_value(str(tmp_path), hex_digest) == "contended"
