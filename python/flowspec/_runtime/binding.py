"""Binding a function's parameters (SPEC.md section 3): `bound` first, then by name from
`available`; defaults may stay unbound; *args and **kwargs are never bound implicitly."""
import inspect

from .failures import Failure

_P = inspect.Parameter
_signatures = {}  # step functions live for the worker's life; inspecting one costs ~15 µs


def bind(function, context, bound, available):
    """(args, kwargs) for calling `function`; `bound`/`available` map names to resolved values.

    `context` is (step, function label) for messages."""
    step, label = context
    try:
        parameters = _parameters(function)
    except (TypeError, ValueError):
        return (), dict(bound)  # a builtin without a signature: pass what was bound explicitly
    var_keyword = next((p for p in parameters.values() if p.kind is _P.VAR_KEYWORD), None)
    for name in bound:
        if name not in parameters and var_keyword is None:
            raise Failure("binding", f"step '{step}' binds '{name}', but {label} has no parameter "
                          f"'{name}'; its parameters: {', '.join(parameters) or 'none'}")
    args, kwargs, skipped = [], {}, None
    for parameter in parameters.values():
        name = parameter.name
        if parameter.kind is _P.VAR_POSITIONAL:
            args.extend(bound.get(name, ()))
            continue
        if parameter.kind is _P.VAR_KEYWORD:
            kwargs.update(bound.get(name, {}))
            continue
        if name in bound:
            value = bound[name]
        elif name in available:
            value = available[name]
        elif parameter.default is not _P.empty:
            skipped = name
            continue
        else:
            visible = ", ".join(sorted(available)) or "none"
            raise Failure("binding", f"step '{step}' cannot bind parameter '{name}' of {label}: "
                          f"it is not bound by 'with' or 'args' and no artifact of that name is "
                          f"visible; visible names: {visible}")
        if parameter.kind is _P.POSITIONAL_ONLY:
            if skipped is not None:
                raise Failure("binding", f"step '{step}' cannot bind positional-only parameter "
                              f"'{name}' of {label} after '{skipped}' was left to its default")
            args.append(value)
        else:
            kwargs[name] = value
    for name, value in bound.items():
        if name not in parameters:
            kwargs[name] = value
    return args, kwargs


def _parameters(function):
    try:
        return _signatures[function]
    except (KeyError, TypeError):  # TypeError: an unhashable callable
        parameters = inspect.signature(function).parameters
    try:
        _signatures[function] = parameters
    except TypeError:
        pass
    return parameters
