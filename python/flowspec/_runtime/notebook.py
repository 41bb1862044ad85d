"""Notebook steps (docs/spec.md section 2): a `.ipynb` file loaded as a module built from its code
cells' imports, `def`/`class` statements and assignments of literal constants.

Every other statement (plots, training loops, prints), IPython magics (`%...` lines, `%%...`
cells), shell escapes (`!...` lines) and cells tagged `flowspec-skip` are left out, so loading
never runs the notebook's exploration. An import of a module the environment lacks (say, a
plotting library) does not fail the loading: the name stands for the missing module and using it
raises ModuleNotFoundError naming the cell. Cells are numbered from 1 in notebook order, markdown
cells included, the way notebook editors show them; lines from 1 within a cell.
"""
import ast
import json
import linecache
import sys
import types

from .failures import Failure, too_deep
from .loading import content_module_name, hex_sha256, read_source

SKIP_TAG = "flowspec-skip"
_KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_notebooks = {}  # absolute path -> module


class Cell:
    """One code cell: its number, the file name its code is compiled under, and its statements."""

    def __init__(self, number, filename, source, tree, skipped, dropped=None):
        self.number, self.filename, self.source = number, filename, source
        self.tree = tree          # ast.Module of the kept statements; None when the cell is skipped
        self.skipped = skipped    # None, or why the whole cell is left out
        self.dropped = dropped or {}  # name -> (line, statement) for names only left-out statements bind

    def where(self, line):
        return f"cell {self.number}, line {line}"


def module_name_for_notebook(path, hex_digest):
    """`_flowspec_notebook_<stem>_<hash>`: named after the notebook and its bytes, as a `.py`
    file's module is (`loading.module_name_for_file`)."""
    return content_module_name("notebook", path, hex_digest)


def cell_filename(path, number):
    """The name a cell's code is compiled under, so tracebacks say where: `nb.ipynb, cell 3`."""
    return f"{path}, cell {number}"


def read_cells(path, data=None):
    """The notebook's code cells, each parsed and filtered, from its bytes `data` (read from
    `path` when not given). A syntax error in a cell that is not skipped is a Failure of kind
    `import` naming the cell and line."""
    try:
        document = json.loads(read_source(path) if data is None else data)
    except ValueError as error:  # UnicodeDecodeError too
        raise Failure("import", f"cannot load {path}: not a readable notebook: {error}", error) from None
    raw_cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(raw_cells, list):
        raise Failure("import", f"cannot load {path}: not a Jupyter notebook (no 'cells' list)")
    cells = []
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict) or raw.get("cell_type") != "code":
            continue
        source = raw.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        filename = cell_filename(path, number)
        tags = (raw.get("metadata") or {}).get("tags") or []
        if SKIP_TAG in tags:
            cells.append(Cell(number, filename, source, None, f"it is tagged {SKIP_TAG}"))
            continue
        if source.lstrip().startswith("%%"):
            cells.append(Cell(number, filename, source, None, "it is a cell magic"))
            continue
        code = strip_magics(source)
        try:
            tree = ast.parse(code, filename)
        except SyntaxError as error:
            raise Failure("import", f"cannot load {path}: cell {number}, line {error.lineno}: "
                          f"syntax error: {error.msg}", error) from None
        except (RecursionError, MemoryError) as error:
            raise Failure("import", f"cannot load {path}: cell {number}: {too_deep(error)}") from None
        dropped = {}
        for statement in tree.body:
            if not is_kept(statement):
                dropped.update({name: (line, statement) for name, line in _bound_names(statement)})
        tree.body = [statement for statement in tree.body if is_kept(statement)]
        cells.append(Cell(number, filename, code, tree, None, dropped))
    return cells


def strip_magics(source):
    """The cell's code with its `%...` and `!...` lines blanked, so line numbers stay the same.
    As in IPython, only a line that starts a logical line is a magic: inside brackets or a
    string, or after a backslash, a `%` is Python's (the modulo operator). A line continued with
    a backslash after a magic is blanked with it."""
    lines = source.split("\n")
    if not any(line.lstrip().startswith(("%", "!")) for line in lines):
        return source
    kept, start, dropping = [], 0, False  # lines[start:] begin at a known logical line start
    for index, line in enumerate(lines):
        if dropping or (line.lstrip().startswith(("%", "!")) and _complete("\n".join(lines[start:index]))):
            dropping = line.rstrip().endswith("\\")
            kept.append("")
            start = index + 1
        else:
            kept.append(line)
    return "\n".join(kept)


def _complete(code):
    """Whether `code` ends at the end of a logical line (no bracket, string or backslash open)."""
    import io
    import tokenize  # here: most cells have no magic, and most workers load no notebook
    try:
        for _ in tokenize.generate_tokens(io.StringIO(code + "\n").readline):
            pass
    except tokenize.TokenError:
        return False
    except (SyntaxError, ValueError):
        return True  # a real error: `ast` reports it where it is
    return True


def is_kept(statement):
    """Imports, defs, classes, and assignments whose value is a literal constant."""
    if isinstance(statement, _KEPT):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        try:
            ast.literal_eval(statement.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
        return True
    return False


def _bound_names(statement):
    """(name, line) for each name a top-level statement assigns."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id, node.lineno


def load(path):
    """The module for the notebook at `path`, built once per worker."""
    module = _notebooks.get(path)
    if module is not None:
        return module
    data = read_source(path)
    name = module_name_for_notebook(path, hex_sha256(data))
    if name in sys.modules:  # the same bytes, loaded from the snapshot to read a value
        _notebooks[path] = sys.modules[name]
        return _notebooks[path]
    cells = read_cells(path, data)
    module = types.ModuleType(name, f"Loaded by flowspec from {path}")
    sys.modules[name] = module  # before running it, so its classes pickle by reference
    try:
        run_cells(module, path, cells)
    except (Exception, SystemExit) as error:
        del sys.modules[name]
        raise Failure("import", f"cannot load {path}: {_where(error, path)}"
                      f"{type(error).__name__}: {error}{explain(error)}", error) from None
    _notebooks[path] = module
    return module


def run_cells(module, path, cells):
    """Runs the kept statements of `cells` as `module`'s code."""
    module.__file__ = path
    module.__flowspec_cells__ = cells
    for cell in cells:
        if cell.tree is None:
            continue
        # Tracebacks show the cell's lines.
        linecache.cache[cell.filename] = (len(cell.source), None, cell.source.splitlines(True),
                                          cell.filename)
        for statement in cell.tree.body:
            _run(statement, cell, module)


def _run(statement, cell, module):
    code = compile(ast.Module(body=[statement], type_ignores=[]), cell.filename, "exec")
    if not isinstance(statement, (ast.Import, ast.ImportFrom)):
        exec(code, module.__dict__)
        return
    try:
        exec(code, module.__dict__)
    except ModuleNotFoundError as error:
        # A notebook often imports what only its plots need; a module missing from the step's
        # environment fails the function that uses it, not the loading.
        where = f"{module.__file__}, {cell.where(statement.lineno)}"
        for alias in statement.names:
            if alias.name != "*":
                name = alias.asname or alias.name.split(".")[0]
                module.__dict__.setdefault(name, MissingModule(name, f"{error} (imported in {where})"))


class MissingModule:
    """Stands for a module a notebook imports that the environment lacks; any use raises."""

    def __init__(self, name, message):
        self.__dict__["_flowspec_missing"] = (name, message)

    def __getattr__(self, attribute):
        raise ModuleNotFoundError(self.__dict__["_flowspec_missing"][1])

    def __call__(self, *args, **kwargs):
        raise ModuleNotFoundError(self.__dict__["_flowspec_missing"][1])

    def __repr__(self):
        return f"<missing module {self.__dict__['_flowspec_missing'][0]!r}>"


def _where(error, path):
    """`cell N, line L: ` for the innermost frame of the notebook's own code."""
    where, prefix = "", path + ", cell "
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.startswith(prefix):
            where = f"cell {filename[len(prefix):]}, line {traceback.tb_lineno}: "
        traceback = traceback.tb_next
    return where


def check_defined(module, path, name):
    """A Failure naming what the notebook defines (with cells) when `name` is not there."""
    head = name.split(".")[0]
    if head in vars(module):
        return
    cells = getattr(module, "__flowspec_cells__", [])
    defined = []
    for cell in cells:
        for statement in (cell.tree.body if cell.tree is not None else []):
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defined.append(f"{statement.name} ({cell.where(statement.lineno)})")
    message = f"{path} has no function '{name}'"
    left_out = skipped_definition(cells, head)
    if left_out:
        message += f": {left_out}"
    raise Failure("import", f"{message}; it defines: {', '.join(defined) or 'no functions'}")


def skipped_definition(cells, name):
    """Why `name` is not in the module when the notebook defines it somewhere that is skipped."""
    for cell in cells:
        if cell.skipped is None:
            continue
        try:
            tree = ast.parse(strip_magics(cell.source.split("\n", 1)[1]
                                          if cell.source.lstrip().startswith("%%") else cell.source))
        except SyntaxError:
            continue
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                    and statement.name == name:
                return f"'{name}' is defined in cell {cell.number}, which is skipped because {cell.skipped}"
    return None


def explain(error):
    """For a NameError in a notebook's code whose name a left-out statement assigns: `; ` and
    where that statement is, why it was left out and what to do. Else ""."""
    if not isinstance(error, NameError) or error.__traceback__ is None:
        return ""
    traceback = error.__traceback__
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    cells = traceback.tb_frame.f_globals.get("__flowspec_cells__")
    found = skipped_assignment(cells or [], getattr(error, "name", None))
    return f"; {found[2]}" if found else ""


def skipped_assignment(cells, name):
    """(cell, line, why and what to do) for the left-out statement that assigns `name`, or None."""
    for cell in reversed(cells):  # the last assignment is the one the notebook's code would see
        if name in cell.dropped:
            line, statement = cell.dropped[name]
            why = ("its value is not a literal" if isinstance(statement, (ast.Assign, ast.AnnAssign))
                   else "it is not an import, a def, a class or a literal assignment")
            return cell.number, line, (
                f"cell {cell.number}, line {line} assigns '{name}', but loading a notebook skips that "
                f"statement because {why} (only imports, defs, classes and literal constants are kept, "
                f"so no exploration runs); compute '{name}' inside the function that uses it, pass it "
                f"in as a param or an earlier step's output, or write it as a literal")
    return None
