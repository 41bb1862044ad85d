// <sys/select.h> must come before <Python.h>: otherwise importing CPython beside
// Foundation fails with a clash over the definition of fd_set.
#include <sys/select.h>
#include <Python.h>

// C's stdout line-buffered, so what C code prints reaches fd 1 line by line (Swift 6 will not
// touch the global `stdout`).
static inline void flowspec_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

// Swift cannot call function-like macros; this wraps one.
static inline int flowspec_py_unicode_check(PyObject *o) { return PyUnicode_Check(o); }

// The exception being raised, normalized, with its traceback attached; NULL if none. Clears it.
static inline PyObject *flowspec_err_take(void) {
#if PY_VERSION_HEX >= 0x030C0000
    return PyErr_GetRaisedException();
#else
    PyObject *type = NULL, *value = NULL, *traceback = NULL;
    PyErr_Fetch(&type, &value, &traceback);
    if (type == NULL) return NULL;
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL && traceback != NULL) PyException_SetTraceback(value, traceback);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    return value;
#endif
}

// PyConfig fields by pointer: Swift cannot take &config->field of an imported struct member safely.
static inline PyStatus flowspec_config_set_executable(PyConfig *config, const char *path) {
    PyStatus status = PyConfig_SetBytesString(config, &config->executable, path);
    if (PyStatus_Exception(status)) return status;
    return PyConfig_SetBytesString(config, &config->program_name, path);
}
