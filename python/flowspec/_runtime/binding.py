"""Binding a function's parameters (docs/spec.md section 3): `bound` first, then by name from
`available`; defaults may stay unbound; *args and **kwargs are never bound implicitly."""
import types

from .failures import Failure

# Parameter kinds, as inspect.Parameter numbers them.
POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = range(5)
_CO_VARARGS, _CO_VARKEYWORDS = 0x04, 0x08
_signatures = {}  # step functions live for the worker's life


def bind(function, context, bound, available):
    """(args, kwargs) for calling `function`; `bound`/`available` map names to resolved values.

    `context` is (step, function label) for messages."""
    step, label = context
    try:
        parameters = _parameters(function)
    except (TypeError, ValueError):
        return (), dict(bound)  # a builtin without a signature: pass what was bound explicitly
    var_keyword = next((name for name, (kind, _) in parameters.items() if kind == VAR_KEYWORD), None)
    for name in bound:
        if name not in parameters and var_keyword is None:
            raise Failure("binding", f"step '{step}' binds '{name}', but {label} has no parameter "
                          f"'{name}'; its parameters: {', '.join(parameters) or 'none'}")
    args, kwargs, skipped = [], {}, None
    for name, (kind, has_default) in parameters.items():
        if kind == VAR_POSITIONAL:
            args.extend(bound.get(name, ()))
            continue
        if kind == VAR_KEYWORD:
            kwargs.update(bound.get(name, {}))
            continue
        if name in bound:
            value = bound[name]
        elif name in available:
            value = available[name]
        elif has_default:
            skipped = name
            continue
        else:
            visible = ", ".join(sorted(available)) or "none"
            raise Failure("binding", f"step '{step}' cannot bind parameter '{name}' of {label}: "
                          f"it is not bound by 'with' or 'args' and no artifact of that name is "
                          f"visible; visible names: {visible}")
        if kind == POSITIONAL_ONLY:
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


def implicit_names(function):
    """The names `function` would take from `available` by its own name (all but *args and
    **kwargs), for the task's key: the scheduler hashes only those visible names."""
    try:
        parameters = _parameters(function)
    except (TypeError, ValueError):
        return []
    return [name for name, (kind, _) in parameters.items() if kind not in (VAR_POSITIONAL, VAR_KEYWORD)]


def _parameters(function):
    """{name: (kind, has_default)} in declaration order."""
    try:
        return _signatures[function]
    except (KeyError, TypeError):  # TypeError: an unhashable callable
        parameters = _plain_parameters(function) or _inspected_parameters(function)
    try:
        _signatures[function] = parameters
    except TypeError:
        pass
    return parameters


def _plain_parameters(function):
    """A plain function's parameters, read off its code object; None for any other callable.

    This spares a worker importing `inspect` (with ast, dis and tokenize) for the usual case."""
    if type(function) is not types.FunctionType or hasattr(function, "__wrapped__") \
            or hasattr(function, "__signature__"):
        return None
    code = function.__code__
    names, positional, keyword_only = code.co_varnames, code.co_argcount, code.co_kwonlyargcount
    first_default = positional - len(function.__defaults__ or ())
    keyword_defaults = function.__kwdefaults__ or {}
    parameters = {}
    for index in range(positional):
        kind = POSITIONAL_ONLY if index < code.co_posonlyargcount else POSITIONAL_OR_KEYWORD
        parameters[names[index]] = (kind, index >= first_default)
    extra = positional + keyword_only  # *args, then **kwargs, follow the keyword-only names
    if code.co_flags & _CO_VARARGS:
        parameters[names[extra]] = (VAR_POSITIONAL, False)
        extra += 1
    for name in names[positional:positional + keyword_only]:
        parameters[name] = (KEYWORD_ONLY, name in keyword_defaults)
    if code.co_flags & _CO_VARKEYWORDS:
        parameters[names[extra]] = (VAR_KEYWORD, False)
    return parameters


def _inspected_parameters(function):
    import inspect  # only for classes, partials, builtins and decorated functions
    return {name: (int(parameter.kind), parameter.default is not inspect.Parameter.empty)
            for name, parameter in inspect.signature(function).parameters.items()}
