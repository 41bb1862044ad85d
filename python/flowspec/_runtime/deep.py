"""`check`: `flowspec lint --deep`. Finds each step's function by reading its source with `ast`
and checks that every parameter binds (docs/spec.md section 3), without running any user code:
`.py` files and notebooks are parsed, and a module is located through the import system's path
finder, which reads directories but executes nothing (not even a package's `__init__.py`).

A function whose signature cannot be known from its source (bound by an import or an
assignment, inherited by a class, a module with `__getattr__`, an extension module) is not
reported: the check errs towards silence.
"""
import ast
import builtins
import importlib.machinery
import importlib.util
import os
import sys

from .failures import Failure, too_deep
from .loading import read_source

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def check(request):
    findings, sources = [], {}
    for step in request["steps"]:
        findings.extend(check_step(step, sources))
    return {"findings": findings}


def check_step(step, sources=None):
    """The findings for one step: `{"step", "kind", "message", "parameter"?, "file"?, "line"?}`.
    `sources` keeps what was parsed for the next steps of the same request."""
    report = _Reporter(step["step"])
    try:
        _check_step(report, step, {} if sources is None else sources)
    except Failure as failure:
        report("source", failure.message)
    except (RecursionError, MemoryError) as error:  # a tree too deep to walk: a finding, not a traceback
        report("source", f"cannot check {step['function']['source']}: {too_deep(error)}")
    except Exception as error:  # a source this check cannot read: say so at the step, never a traceback
        report("source", f"cannot check {step['function']['source']}: {type(error).__name__}: {error}")
    return report.findings


def _check_step(report, step, sources):
    function = step["function"]
    key = (function["kind"], function["source"], tuple(step.get("path", [])))
    if key not in sources:
        try:
            sources[key] = _Source.open(function, step.get("path", []))
        except Failure as failure:
            sources[key] = failure
    source = sources[key]
    if isinstance(source, Failure):
        raise source
    if source is None:
        return  # not Python source: nothing can be checked without running it
    found = source.find(function["name"])
    if found is None:
        report("function", source.missing_message(function["name"]), defined=source.defined_names())
        return
    definition, drop_first, where = found
    if definition is None:
        return  # bound some other way: its signature is unknown
    _check_parameters(report, definition, drop_first, where, function["name"], step)
    if source.cells:
        _check_skipped_names(report, source, definition)


class _Reporter:
    def __init__(self, step):
        self.step, self.findings = step, []

    def __call__(self, kind, message, **fields):
        self.findings.append({"step": self.step, "kind": kind, "message": message, **fields})


def _check_parameters(report, definition, drop_first, where, label, step):
    arguments = definition.args
    positional = arguments.posonlyargs + arguments.args
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    parameters = list(zip(positional, defaults)) + list(zip(arguments.kwonlyargs, arguments.kw_defaults))
    if drop_first and parameters:
        parameters = parameters[1:]
    names = [argument.arg for argument, _ in parameters]
    bound = step.get("bound", [])
    visible = step.get("visible", [])
    location = {"file": where[0], "line": where[1]}
    if where[2] is not None:
        location["cell"] = where[2]
    if arguments.kwarg is None:
        for name in bound:
            if name not in names and name not in {a.arg for a in [arguments.vararg] if a}:
                report("unknown_parameter",
                       f"step '{step['step']}' binds '{name}', but {label} has no parameter '{name}'; "
                       f"its parameters: {', '.join(names) or 'none'}", parameter=name, **location)
    for argument, default in parameters:
        name = argument.arg
        if name in bound or name in visible or default is not None:
            continue
        report("parameter",
               f"step '{step['step']}' cannot bind parameter '{name}' of {label}: it is not bound by "
               f"'with' or 'args' and no artifact of that name is visible; visible names: "
               f"{', '.join(sorted(visible)) or 'none'}", parameter=name, **location)


class _Source:
    """The parsed statements of a module, file or notebook."""

    def __init__(self, label, filename, body_by_cell):
        self.label, self.filename = label, filename
        self.body_by_cell = body_by_cell  # [(cell number or None, [statements])]
        self.cells = []

    @classmethod
    def open(cls, function, paths):
        kind, source = function["kind"], function["source"]
        if kind == "notebook":
            from . import notebook  # on first use: most checks read no notebook
            cells = notebook.read_cells(source)
            found = cls(source, source, [(cell.number, cell.tree.body) for cell in cells
                                         if cell.tree is not None])
            found.cells = cells
            return found
        if kind == "file":
            return cls._parse(source, source)
        if kind == "module":
            origin = find_module_file(source, paths)
            return None if origin is None else cls._parse(f"module '{source}' ({origin})", origin)
        raise Failure("import", f"unknown function kind '{kind}'")

    @classmethod
    def _parse(cls, label, path):
        text = read_source(path)
        try:
            tree = ast.parse(text, path)
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None)
            raise Failure("import", f"cannot load {path}: line {line}: syntax error: "
                          f"{getattr(error, 'msg', error)}") from None
        except (RecursionError, MemoryError) as error:
            raise Failure("import", f"cannot load {path}: {too_deep(error)}") from None
        return cls(label, path, [(None, tree.body)])

    def find(self, dotted):
        """(def node or None, whether its first parameter is bound, (file, line, cell)) for the
        name, or None when the source certainly does not define it."""
        head, *rest = dotted.split(".")
        for cell, body in reversed(self.body_by_cell):  # the last definition wins
            kind, node = _binding_in(body, head)
            if kind is None:
                continue
            if kind != "def" or (rest and not isinstance(node, ast.ClassDef)):
                return None, False, (self.filename, getattr(node, "lineno", 1), cell)
            if not rest:
                if isinstance(node, ast.ClassDef):
                    return None, False, (self.filename, node.lineno, cell)  # calling a class
                return node, False, (self.filename, node.lineno, cell)
            return _method(node, rest, (self.filename, cell))
        if any(_opaque(body) for _, body in self.body_by_cell):
            return None, False, (self.filename, 1, None)
        return None

    def defined_names(self):
        """The public functions and classes at the top of the source, in order."""
        return [statement.name for _, body in self.body_by_cell for statement in body
                if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)) and not statement.name.startswith("_")]

    def missing_message(self, dotted):
        head = dotted.split(".")[0]
        if len(dotted.split(".")) > 1 and any(_binding_in(body, head)[0] for _, body in self.body_by_cell):
            return f"{self.label} has no function '{dotted}': class '{head}' defines no '{dotted.split('.', 1)[1]}'"
        defined = []
        for cell, body in self.body_by_cell:
            for statement in body:
                if isinstance(statement, _FUNCTIONS) and not statement.name.startswith("_"):
                    defined.append(statement.name if cell is None
                                   else f"{statement.name} (cell {cell}, line {statement.lineno})")
        message = f"{self.label} has no function '{dotted}'"
        left_out = None
        if self.cells:
            from . import notebook
            left_out = notebook.skipped_definition(self.cells, head)
        if left_out:
            message += f": {left_out}"
        return f"{message}; it defines: {', '.join(defined) or 'no functions'}"


def _check_skipped_names(report, source, definition):
    """A warning for each name the function (or a notebook function it calls) uses that only a
    statement the loader leaves out assigns: at run time it is a NameError."""
    from . import notebook
    cells, functions, kept_names = source.cells, {}, set(dir(builtins))
    for cell in cells:
        for statement in cell.tree.body if cell.tree is not None else []:
            if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
                functions[statement.name] = statement
            kept_names.update(_names_bound_by(statement))
    users, pending, visited = {}, [definition], {id(definition)}
    while pending:
        function = pending.pop()
        for name in sorted(_free_names(function)):
            callee = functions.get(name)
            if callee is not None and id(callee) not in visited:
                visited.add(id(callee))
                pending.append(callee)
            if name not in kept_names:
                users.setdefault(name, function)
    for name, user in sorted(users.items()):
        found = notebook.skipped_assignment(cells, name)
        if found:
            cell, line, explanation = found
            report("skipped_name", f"'{user.name}' uses '{name}', which is not defined when the notebook is "
                   f"loaded: {explanation}", parameter=name, file=source.filename,
                   cell=cell, line=line)


def _free_names(function):
    """Names a function reads that it does not bind itself."""
    read, bound = set(), set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def _names_bound_by(statement):
    if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {alias.asname or alias.name.split(".")[0] for alias in statement.names}
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _method(node, rest, where):
    """A method `Class.name` (nested classes allowed): a plain function keeps `self`, as
    `getattr(Class, name)` does; a classmethod's first parameter is bound."""
    filename, cell = where
    for index, part in enumerate(rest):
        kind, member = _binding_in(node.body, part)
        if kind is None:
            return (None, False, (filename, node.lineno, cell)) if node.bases or node.keywords else None
        if kind != "def":
            return None, False, (filename, getattr(member, "lineno", node.lineno), cell)
        if index < len(rest) - 1:
            if not isinstance(member, ast.ClassDef):
                return None, False, (filename, member.lineno, cell)
            node = member
            continue
        if isinstance(member, ast.ClassDef):
            return None, False, (filename, member.lineno, cell)
        decorators = {_name_of(d) for d in member.decorator_list}
        if decorators - {"staticmethod", "classmethod"}:
            return None, False, (filename, member.lineno, cell)
        return member, "classmethod" in decorators, (filename, member.lineno, cell)
    return None


def _name_of(expression):
    if isinstance(expression, ast.Name):
        return expression.id
    if isinstance(expression, ast.Attribute):
        return expression.attr
    return ""


def _binding_in(body, name):
    """("def", node) when `name` is last bound by a def or class at the top of `body` (blocks
    such as `if` and `try` included), ("other", node) when by anything else, (None, None)."""
    found = (None, None)
    for statement in body:
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)) and statement.name == name:
            found = ("def", statement)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound == name:
                    found = ("other", statement)
        elif isinstance(statement, (ast.If, ast.Try, ast.With, ast.For, ast.While)) \
                or type(statement).__name__ == "TryStar":
            for block in ("body", "orelse", "finalbody"):
                kind, node = _binding_in(getattr(statement, block, []), name)
                if kind is not None:
                    found = (kind, node)
            for handler in getattr(statement, "handlers", []):
                kind, node = _binding_in(handler.body, name)
                if kind is not None:
                    found = (kind, node)
        else:  # an assignment, a walrus, a `del`: not something whose signature is known
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
                    found = ("other", statement)
    return found


def _opaque(body):
    """Whether names may appear in the module in ways `ast` cannot follow: `import *`,
    a module `__getattr__`, or writes to `globals()`."""
    for statement in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(statement, ast.ImportFrom) and any(alias.name == "*" for alias in statement.names):
            return True
        if isinstance(statement, _FUNCTIONS) and statement.name == "__getattr__":
            return True
        if isinstance(statement, ast.Call) and _name_of(statement.func) in ("globals", "setattr", "exec"):
            return True
    return False


def find_module_file(name, paths):
    """The source file of module `name`, searched in `paths` then `sys.path`, without importing
    it or its parent packages; None when it is not a plain source module (built in, frozen, an
    extension, a namespace package). A module that cannot be found is a Failure."""
    if name in sys.builtin_module_names:
        return None
    search = [os.path.abspath(p) for p in paths] + [p for p in sys.path if p not in paths]
    spec, parts = None, name.split(".")
    for index in range(len(parts)):
        dotted = ".".join(parts[:index + 1])
        try:
            spec = importlib.machinery.PathFinder.find_spec(dotted, search)
        except (ImportError, ValueError):
            spec = None
        if spec is None and index == 0:
            try:
                spec = importlib.util.find_spec(dotted)  # frozen modules; top level only, imports nothing
            except (ImportError, ValueError):
                spec = None
        if spec is None:
            where = "the import roots or the environment" if index == 0 else f"package '{'.'.join(parts[:index])}'"
            raise Failure("import", f"cannot find module '{dotted}' in {where}")
        if index < len(parts) - 1:
            search = list(spec.submodule_search_locations or [])
            if not search:
                raise Failure("import", f"cannot find module '{name}': '{dotted}' is not a package")
    origin = spec.origin
    if not origin or not origin.endswith(".py") or not os.path.isfile(origin):
        return None
    return origin
