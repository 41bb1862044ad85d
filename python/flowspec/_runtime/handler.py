"""`handle(request_json) -> response_json`: one request of the worker protocol, answered."""
import json
import os
import time

from . import binding, blobs, capture, context, loading, outputs, reprs, snapshot, values
from .failures import Failure, error_record, type_name
from .refs import Resolver


def handle(request_json):
    """The response to one request, as JSON; "" for `exit`, which has none."""
    request = json.loads(request_json)
    if request["kind"] == "exit":
        return ""
    response = {"id": request.get("id")}
    if request.get("code"):
        snapshot.register(request["store"], request["code"])
    try:
        response.update(_ANSWERS[request["kind"]](request))
        response["status"] = "ok"
    except Failure as failure:
        response.update(status="failed", error=error_record(failure))
    except Exception as error:  # a bug here, not in user code: say so with the full traceback
        import traceback
        response.update(status="failed", error={
            "kind": "exception", "type": type_name(error), "message": f"flowspec worker: {error}",
            "traceback": traceback.format_exc()})
    finally:
        capture.flush()
    return json.dumps(response)


def _put(request):
    store, stored = request["store"], {}
    for name, source in request["values"].items():
        value, mode = _param_value(name, source)
        stored[name] = _store(store, name, value, mode)
    return {"outputs": stored}


def _param_value(name, source):
    """The param's value, and the permissions its blob may have: a file param's blob is no
    more readable than the file it was read from."""
    if "json" in source:
        return source["json"], blobs.BLOB_MODE
    path = source.get("text_file") or source.get("bytes_file")
    try:
        if "text_file" in source:
            with open(path, encoding="utf-8") as file:
                return file.read(), blobs.BLOB_MODE & os.fstat(file.fileno()).st_mode
        with open(path, "rb") as file:
            return file.read(), blobs.BLOB_MODE & os.fstat(file.fileno()).st_mode
    except (OSError, UnicodeDecodeError) as error:
        raise Failure("store", f"cannot read param '{name}' from {path}: {error}", error) from None


def _length(request):
    """How many items a foreach fans out to, the way Python iterates the value. A list, tuple,
    range or numpy array is indexed in place; any other iterable (a dict: its keys) is made a
    list once and stored, and the scheduler indexes that. Values whose iteration is not what a
    fan-out means (a string's characters) or not reproducible (a set's order) are refused."""
    value = Resolver(request["store"]).resolve(request["value"])
    refusal = _refusal(value)
    if refusal:
        raise Failure("foreach", f"cannot fan out over a value of type '{type_name(value)}': {refusal}")
    if isinstance(value, (list, tuple, range)) or _is_array(value):
        try:
            return {"length": len(value)}
        except TypeError as error:  # a 0-d array
            raise Failure("foreach", f"cannot fan out over a value of type '{type_name(value)}': {error}") from None
    try:
        items = list(value)
    except TypeError:
        raise Failure("foreach", f"cannot fan out over a value of type '{type_name(value)}': it is not "
                      f"iterable; return a list of the items") from None
    return {"length": len(items), "items": _store(request["store"], "foreach items", items)}


def _refusal(value):
    if isinstance(value, (str, bytes, bytearray)):
        return "it would make one task per character; return a list (list(text) if characters are meant)"
    if isinstance(value, (set, frozenset)):
        return "a set's order can change from run to run; return sorted(values) or a list"
    return None


def _is_array(value):
    kind = type(value)
    return kind.__name__ == "ndarray" and kind.__module__ == "numpy"


def _task(request):
    step, function = request["step"], request["function"]
    label = f"{function['name']} ({function['source']})"
    with capture.applied_env(request.get("env", {})), context.running(request):
        callable_ = loading.load_function(function, request.get("path", []))
        resolver = Resolver(request["store"])
        bound = {name: _named(name, resolver, ref) for name, ref in request.get("bound", {}).items()}
        available = _LazyNames(resolver, request.get("available", {}))
        args, kwargs = binding.bind(callable_, (step, label), bound, available)
        started = time.perf_counter()
        try:
            value = callable_(*args, **kwargs)
        except BaseException as error:  # SystemExit from user code fails the task, not the worker
            if isinstance(error, KeyboardInterrupt):
                raise
            raise Failure("exception", _message(error) + _explained(error), error) from None
        seconds = time.perf_counter() - started
    values = outputs.split(step, request["outputs"], value)
    stored = {name: _store(request["store"], name, item) for name, item in values.items()}
    return {"seconds": seconds, "outputs": stored, "parameters": binding.implicit_names(callable_)}


def _explained(error):
    """What the notebook loader says about a NameError (it may have left the name out)."""
    if not isinstance(error, NameError):
        return ""
    from . import notebook
    return notebook.explain(error)


def _message(error):
    """`str(exc)`, the exception's own message (its type is reported apart)."""
    try:
        return str(error)
    except Exception as failure:  # a broken __str__ must not hide the exception itself
        return f"<str() failed: {type(failure).__name__}>"


class _LazyNames(dict):
    """The visible names; a ref is resolved only when a parameter takes it."""

    def __init__(self, resolver, refs):
        super().__init__(refs)
        self._resolver = resolver

    def __getitem__(self, name):
        return _named(name, self._resolver, super().__getitem__(name))


def _named(name, resolver, ref):
    """The value `ref` names, a store failure saying which argument it was for."""
    try:
        return resolver.resolve(ref)
    except Failure as failure:
        if failure.kind != "store":
            raise
        raise Failure("store", f"cannot read '{name}': {failure.message}", failure.cause) from None


def _store(store, name, value, mode=None):
    hex_digest, size = blobs.write_value(store, name, value, mode)
    try:
        text = reprs.short(value)
    except Exception as error:
        text = f"<{type_name(value)}: repr failed: {type(error).__name__}>"
    return {"blob": hex_digest, "size": size, "type": type_name(value), "repr": text}


def _match(request):
    value = Resolver(request["store"]).resolve(request["value"])
    for index, case in enumerate(request["cases"]):
        # YAML's `true` must not select the value 1, nor `1` the value True.
        if isinstance(case, bool) == isinstance(value, bool) and value == case:
            return {"index": index, "repr": reprs.short(value)}
    return {"repr": reprs.short(value)}


def _check(request):
    # Imported on first use: only `lint --deep` asks, and its imports (ast) slow every worker's start.
    from . import deep
    return deep.check(request)


def _preview(request):
    # Imported on first use, like `check`: only the UI and reports ask.
    from . import previews
    return previews.answer(request)


_ANSWERS = {"put": _put, "length": _length, "match": _match, "task": _task,
            "check": _check, "preview": _preview, **values.ANSWERS}
