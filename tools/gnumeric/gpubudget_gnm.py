"""Gnumeric functions for gpubudget (a Python function plugin).

Every function of gpbcells.FUNCTIONS becomes the Gnumeric function of the
same name (GPB_TRAIN_COST, ...), with help text built from the same table.
A failure becomes an error value that carries the library's sentence.
Installed by tools/gnumeric/install.sh with gpbcells.py and plugin.xml.
"""

import ctypes
import os
import sys
import urllib.parse

import Gnumeric


def _plugin_dir():
    # Gnumeric runs this module with __file__ set to the bare module name
    # and without its directory on sys.path; the plugin object it adds to
    # the Gnumeric module (plugin_<name>_info) knows the directory.
    for name in dir(Gnumeric):
        if name.startswith("plugin_") and name.endswith("_info"):
            plugin = getattr(Gnumeric, name)
            try:
                # Through the type: the object's own attribute look-up is
                # broken in Gnumeric 1.12.55.
                d = type(plugin).get_dir_name(plugin)
            except Exception:
                continue
            if os.path.exists(os.path.join(d, "gpbcells.py")):
                return d
    here = globals().get("__file__") or ""
    if os.path.isfile(here):
        return os.path.dirname(os.path.abspath(here))
    return None


_dir = _plugin_dir()
if _dir and _dir not in sys.path:
    sys.path.insert(0, _dir)

import gpbcells  # noqa: E402


# Gnumeric's own C API, for what its Python module does not offer: the
# symbols of libspreadsheet and libgoffice are in the process's global
# scope. Each use below is optional: without it the plugin still works.
try:
    _gnm = ctypes.CDLL(None)
except OSError:
    _gnm = None


def _c(name, restype, *argtypes):
    """Gnumeric's C function `name` (AttributeError when it has none)."""
    if _gnm is None:
        raise AttributeError(name)
    f = getattr(_gnm, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


def _keep_plugin_loaded():
    """Works around a crash at exit in Gnumeric's Python loader.

    Gnumeric 1.12.50 to at least 1.12.55 end every ssconvert or gnumeric
    run that called a Python function with a segmentation fault (exit
    status 139), after the output is written. At shutdown it deactivates
    the plugin, which clears the loader's reference to our function table
    (gplp_unload_service_function_group: Py_CLEAR) and unloads
    python_loader.so; then it releases the plugin's service objects, whose
    destroy notifier (gplp_loader_data_fngroup_free) lives in the unloaded
    module and would Py_DECREF the cleared (NULL) pointer. Any Python
    function plugin crashes so (docs/spreadsheets.md shows one in ten
    lines). Holding one more reference to our plugin object keeps its
    services alive to the end of the process, so the notifier never runs;
    the process is exiting, and the memory goes back with it.
    """
    try:
        get = _c("go_plugins_get_plugin_by_id", ctypes.c_void_p,
                 ctypes.c_char_p)
        ref = _c("g_object_ref", ctypes.c_void_p, ctypes.c_void_p)
        plugin = get(b"Gnumeric_gpubudget")
        if plugin:
            ref(plugin)
            return True
    except (AttributeError, OSError):
        pass
    return False


_keep_plugin_loaded()


def _workbook_dirs():
    """The folders of the open workbooks, in Gnumeric's order.

    Gnumeric's Python loader does not say which workbook a function is
    computing, so a relative scenario file is looked for beside each open
    workbook: under ssconvert that is the one being converted.
    """
    dirs = []
    try:
        nth = _c("gnm_app_workbook_get_by_index", ctypes.c_void_p,
                 ctypes.c_int)
        uri_of = _c("go_doc_get_uri", ctypes.c_char_p, ctypes.c_void_p)
        for i in range(1000):
            wb = nth(i)
            if not wb:
                break
            uri = uri_of(wb)
            if not uri:
                continue
            parts = urllib.parse.urlsplit(uri.decode("utf-8", "replace"))
            if parts.scheme != "file":
                continue
            d = os.path.dirname(urllib.parse.unquote(parts.path))
            if d and d not in dirs:
                dirs.append(d)
    except (AttributeError, OSError):
        pass
    return dirs


class _Named(type):
    # Gnumeric 1.12 shows an exception as "Python exception (<type>: <text>)"
    # with str(<type>): make that read "gpubudget".
    def __str__(cls):
        return "gpubudget"

    __repr__ = __str__


class GpubudgetError(Gnumeric.GnumericError, metaclass=_Named):
    pass


def _help_text(f):
    # Every line must start with a @GNM_FUNC_HELP_...@ tag: Gnumeric
    # crashes on any other line.
    def one_line(s):
        return " ".join(s.split())

    lines = ["@GNM_FUNC_HELP_NAME@%s:%s" % (f.name, one_line(f.summary))]
    for a in f.args:
        lines.append("@GNM_FUNC_HELP_ARG@%s:%s%s" % (
            a.name, one_line(a.help), " (optional)" if a.optional else ""))
    lines.append("@GNM_FUNC_HELP_DESCRIPTION@%s Result: %s. Arguments may "
                 "be numbers or text such as \"70B\" or \"$2.5/h\". An "
                 "optional argument that is empty, \"\" or 0 takes its "
                 "default; zero itself is the text \"0\"."
                 % (one_line(f.description), one_line(f.result)))
    lines.append("@GNM_FUNC_HELP_EXAMPLES@%s" % f.example.replace(";", ","))
    lines.append("@GNM_FUNC_HELP_SEEALSO@GPB_WHY")
    return "\n".join(lines)


def _make(f):
    wants_dirs = f.kind == "why" or any(a.name == "file" for a in f.args)

    def fn(*args):
        # Every function takes any number of arguments (see _table): then
        # Gnumeric passes an empty argument or cell as 0.0, which
        # gpbcells.call reads as "not given" in an optional argument, and
        # an error value as None.
        for i, a in enumerate(args):
            if a is None:
                name = f.args[i].name if i < len(f.args) else str(i + 1)
                raise GpubudgetError("%s: the argument is an error value"
                                     % name)
        try:
            return gpbcells.call(f.name, args,
                                 _workbook_dirs() if wants_dirs else [])
        except gpbcells.GpbError as e:
            raise GpubudgetError(str(e))
        except Exception as e:  # never let a bug take Gnumeric down
            raise GpubudgetError("internal error: %r" % (e,))

    fn.__name__ = f.name.lower()
    fn.__doc__ = _help_text(f)
    return fn


def _table():
    # Plain functions, not (argument types, names, function) tuples: with
    # typed arguments Gnumeric 1.12.55 stops passing arguments at the first
    # empty one, so =GPB_TRAIN_COST(...; ; "$2/h") would silently lose the
    # price. gpbcells.call checks the count itself.
    return {f.name.lower(): _make(f) for f in gpbcells.FUNCTIONS}


gpubudget_functions = _table()
