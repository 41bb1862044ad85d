"""The blob container of specs/worker-protocol.md: pickle protocol 5 with out-of-band buffers,
content-addressed by the SHA-256 of the whole file, written once through STORE/tmp."""
import os
import pickle
import struct

from .failures import Failure, type_name

try:
    from _sha256 import sha256 as _builtin_sha256  # Python 3.11
except ImportError:
    from _sha2 import sha256 as _builtin_sha256  # Python 3.12 and later

_OPENSSL_FROM = 1 << 20


def sha256(size):
    """A SHA-256 hasher for `size` bytes. Small values use CPython's own, so a worker's start
    does not load OpenSSL (hashlib's `_hashlib`, ~5 ms); large ones OpenSSL's, ~7x faster."""
    if size < _OPENSSL_FROM:
        return _builtin_sha256()
    import hashlib
    return hashlib.sha256()

MAGIC = b"FSB1"
_HEADER = struct.Struct("<4sIQ")


def blob_path(store, hex_digest):
    return os.path.join(store, "blobs", hex_digest[:2], hex_digest)


BLOB_MODE = 0o644


def write_value(store, name, value, mode=None):
    """Pickles `value` into the store; returns (hex, size). Equal bytes are written once. A new
    blob file gets permissions `mode` (default BLOB_MODE); an existing one that is more readable
    than `mode` is narrowed to it."""
    buffers = []
    try:
        stream = pickle.dumps(_out_of_band(value), protocol=5, buffer_callback=buffers.append)
    except Exception as error:  # pickle raises many types: PicklingError, TypeError, AttributeError...
        raise Failure("pickle", f"cannot pickle artifact '{name}' of type '{type_name(value)}': {error}",
                      error) from None
    views = [buffer.raw() for buffer in buffers]
    header = _HEADER.pack(MAGIC, len(views), len(stream))
    header += b"".join(struct.pack("<Q", view.nbytes) for view in views)
    parts = [header, stream, *views]
    size = sum(memoryview(part).nbytes for part in parts)
    digest = sha256(size)
    for part in parts:
        digest.update(part)
    hex_digest = digest.hexdigest()
    path = blob_path(store, hex_digest)
    mode = BLOB_MODE if mode is None else mode
    try:
        existing = _claim(path)
        try:
            if existing is None or not _holds(existing, size, parts) or not _touch(existing):
                try:
                    _write_atomically(store, path, hex_digest, parts, mode)
                except FileNotFoundError:  # a folder removed under a long-lived worker
                    _folders.clear()
                    _write_atomically(store, path, hex_digest, parts, mode)
            elif mode != BLOB_MODE:
                _narrow(path, mode)
        finally:
            if existing is not None:
                os.close(existing)
    except OSError as error:
        raise Failure("store", f"cannot write blob {hex_digest} of artifact '{name}' to "
                      f"{path}: {error}", error) from None
    return hex_digest, size


def _narrow(path, mode):
    current = os.stat(path).st_mode & 0o777
    if current & ~mode:
        os.chmod(path, current & mode)


def _claim(path):
    """The blob file at `path`, open and locked shared, or None when there is none (or `flowspec
    gc` has just removed it). Held while the blob is checked and claimed or replaced, so gc,
    which deletes a blob only under an exclusive lock, cannot delete it meanwhile
    (specs/store-format.md, "Collecting garbage")."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    import fcntl  # here, not at the top: a worker's start does not load it

    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink:  # not unlinked by gc, nor renamed over, before the lock
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _holds(fd, size, parts):
    """Whether the open blob file `fd` is whole: its size, and up to 1 MiB its bytes. A damaged
    one is then written again; a larger one damaged within is caught when it is read."""
    if os.fstat(fd).st_size != size:
        return False
    if size >= _OPENSSL_FROM:
        return True
    chunks = []
    while chunk := os.read(fd, size + 1):
        chunks.append(chunk)
    return b"".join(chunks) == b"".join(parts)


def _touch(fd):
    """Claims a stored blob for the run about to name it: its modification time set to now,
    which gc sees. False when this user may not (another's blob): it is then written anew."""
    try:
        os.utime(fd)
        return True
    except OSError:
        return False


class _Binary:
    """A large bytes or bytearray pickled as `type(buffer)` over an out-of-band buffer, so the
    pickle stream holds no copy of it. Loading it needs only builtins."""

    def __init__(self, value):
        self.value = value

    def __reduce_ex__(self, protocol):
        return type(self.value), (pickle.PickleBuffer(self.value),)


def _out_of_band(value):
    kind = type(value)
    return _Binary(value) if (kind is bytes or kind is bytearray) and len(value) >= _OPENSSL_FROM else value


_folders = set()  # folders known to exist: a blob written costs no mkdir calls


def _make_folder(folder):
    if folder not in _folders:
        os.makedirs(folder, exist_ok=True)
        _folders.add(folder)


def _write_atomically(store, path, hex_digest, parts, mode):
    tmp_folder = os.path.join(store, "tmp")
    _make_folder(tmp_folder)
    _make_folder(os.path.dirname(path))
    tmp = os.path.join(tmp_folder, f"{hex_digest}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        for part in parts:
            view = memoryview(part).cast("B")
            while view:
                written = os.write(fd, view)
                view = view[written:]
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)


def read_value(store, hex_digest):
    """Unpickles a blob from one bytearray; out-of-band buffers are writable slices of it."""
    path = blob_path(store, hex_digest)
    try:
        with open(path, "rb", buffering=0) as file:
            data = bytearray(os.fstat(file.fileno()).st_size)
            view = memoryview(data)
            filled = 0
            while filled < len(data):
                count = file.readinto(view[filled:])
                if not count:
                    break
                filled += count
    except FileNotFoundError:
        raise Failure("store", f"blob {hex_digest} is missing from the store ({path})") from None
    except OSError as error:
        raise Failure("store", f"cannot read blob {hex_digest} ({path}): {error}", error) from None
    digest = sha256(filled)
    digest.update(view[:filled])
    actual = digest.hexdigest()
    if filled != len(data) or actual != hex_digest:
        raise Failure("store", f"blob {hex_digest} is corrupt: its bytes hash to {actual} ({path})")
    return _unpack(view, hex_digest, path)


def _unpack(view, hex_digest, path):
    if len(view) < _HEADER.size or bytes(view[:4]) != MAGIC:
        raise Failure("store", f"blob {hex_digest} is not a flowspec blob ({path})")
    _, count, stream_length = _HEADER.unpack_from(view)
    offset = _HEADER.size + 8 * count
    lengths = struct.unpack_from(f"<{count}Q", view, _HEADER.size)
    stream = view[offset:offset + stream_length]
    offset += stream_length
    buffers = []
    for length in lengths:
        buffers.append(view[offset:offset + length])
        offset += length
    if offset != len(view):
        raise Failure("store", f"blob {hex_digest} has a damaged container ({path})")
    try:
        return pickle.loads(stream, buffers=buffers)
    except ImportError as error:
        raise Failure("import", f"cannot unpickle blob {hex_digest}: {error}", error) from None
    except Exception as error:
        raise Failure("store", f"cannot unpickle blob {hex_digest} ({path}): {error}", error) from None
