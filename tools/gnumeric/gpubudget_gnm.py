"""Gnumeric functions for gpubudget (a Python function plugin).

Every function of gpbcells.FUNCTIONS becomes the Gnumeric function of the
same name (GPB_TRAIN_COST, ...), with help text built from the same table.
A failure becomes an error value that carries the library's sentence.
Installed by tools/gnumeric/install.sh with gpbcells.py and plugin.xml.
"""

import os
import sys

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
                 "be numbers or text such as \"70B\" or \"$2.5/h\"; \"\" "
                 "skips an optional one (an empty cell counts as 0)."
                 % (one_line(f.description), one_line(f.result)))
    lines.append("@GNM_FUNC_HELP_EXAMPLES@%s" % f.example.replace(";", ","))
    lines.append("@GNM_FUNC_HELP_SEEALSO@GPB_WHY")
    return "\n".join(lines)


def _make(f):
    def fn(*args):
        # Every function takes any number of arguments (see _table): then
        # Gnumeric passes an empty argument or cell as 0.0, as LibreOffice
        # does, and an error value as None.
        for i, a in enumerate(args):
            if a is None:
                name = f.args[i].name if i < len(f.args) else str(i + 1)
                raise GpubudgetError("%s: the argument is an error value"
                                     % name)
        try:
            return gpbcells.call(f.name, args)
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
