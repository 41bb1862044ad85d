"""`repr` and `dump`: one stored value, whole, for `flowspec get`.

`repr` answers the value's full repr (the store keeps only 200 characters of it); `dump` writes
`pickle.dumps(value, protocol=5)` to a file, with its buffers in-band, so that `pickle.load`
reads it back without flowspec or the store's container format. Both load the classes of the
run's own files from its code snapshot (`code`, registered by `handler`), wherever `get` runs.
"""
import os

from . import snapshot
from .failures import Failure, type_name
from .refs import Resolver


def _value(request):
    return Resolver(request["store"]).resolve(request["value"])


def answer_repr(request):
    value = _value(request)
    try:
        return {"repr": repr(value)}
    except Exception as error:
        raise Failure("exception", f"the repr of a '{type_name(value)}' raised "
                      f"{type(error).__name__}: {error}", error) from None


def answer_dump(request):
    value = _value(request)
    path = request["path"]
    try:
        data = snapshot.plain_pickle(value)
    except Exception as error:
        raise Failure("pickle", f"cannot pickle a '{type_name(value)}': {type(error).__name__}: {error}",
                      error) from None
    _check_replaceable(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        import tempfile  # here: only `get -o` needs it, and it slows every worker's start
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".flowspec-get-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise Failure("store", f"cannot write {path}: {error}", error) from None
    return {}


def _check_replaceable(path):
    """`path` may be written: it does not exist or is a regular file. A device, a folder, a
    pipe or a symbolic link is never replaced by a file."""
    import stat
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise Failure("store", f"cannot write {path}: {error}", error) from None
    if not stat.S_ISREG(mode):
        raise Failure("store", f"cannot write {path}: it exists and is not a regular file "
                      f"(only a regular file is replaced); give another path")


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


ANSWERS = {"repr": answer_repr, "dump": answer_dump}
