// <sys/select.h> must come before <Python.h>: otherwise importing CPython beside
// Foundation fails with a clash over the definition of fd_set.
#include <sys/select.h>
#include <Python.h>

// Swift cannot see Py_None or call function-like macros; these wrap them.
static inline PyObject *flowspec_py_none(void) { return Py_None; }
static inline int flowspec_py_unicode_check(PyObject *o) { return PyUnicode_Check(o); }
static inline int flowspec_py_tuple_check(PyObject *o) { return PyTuple_Check(o); }
