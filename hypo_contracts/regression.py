"""The one writer of pytest modules: Python literals that rebuild frames exactly
(:func:`frame_literal`), where the function under test is imported from
(:func:`resolve_target`), and a whole regression test module (:func:`regression_module`),
used by :meth:`hypo_contracts.shrinking.ShrinkResult.to_pytest`."""

from __future__ import annotations

import cmath
import datetime as dt
import decimal
import math
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .engines.polars import is_polars_frame
from .values import is_null

__all__ = ["ImportTarget", "first_line", "frame_literal", "regression_module", "resolve_target"]


# ------------------------------------------------------------------------------------------
# what the generated module imports


@dataclass(frozen=True)
class ImportTarget:
    """A function (or other object) a generated test module imports: ``module``, its
    ``qualname`` there, and ``root``, the directory ``module`` was imported from (the
    ``sys.path`` entry), when known. In the generated module it is called ``name``: names
    pytest would collect again (``test_*``, ``Test*``) are imported under a ``_`` alias.

    >>> t = resolve_target(None, "pkg.train:test_pipeline.fit")
    >>> t.import_lines(), t.name
    (['from pkg.train import test_pipeline as _test_pipeline'], '_test_pipeline.fit')
    """

    module: str
    qualname: str
    root: str | None = None

    @property
    def head(self) -> str:
        """The name imported from ``module``: the first part of ``qualname``."""
        return self.qualname.split(".")[0]

    @property
    def alias(self) -> str:
        """The name ``head`` is bound to in the generated module (one pytest does not
        collect)."""
        return f"_{self.head}" if self.head.lower().startswith("test") else self.head

    @property
    def name(self) -> str:
        """The expression that refers to the target in the generated module."""
        rest = self.qualname.partition(".")[2]
        return self.alias + (f".{rest}" if rest else "")

    @property
    def modules(self) -> set[str]:
        """The modules :meth:`import_lines` needs imported before them."""
        return {"sys"} if self.root is not None else set()

    def import_lines(self) -> list[str]:
        """The source lines that import the target. With a known ``root`` a test module run
        from elsewhere (outside the project, another checkout) falls back to importing it
        from ``root``."""
        as_clause = f" as {self.alias}" if self.alias != self.head else ""
        line = f"from {self.module} import {self.head}{as_clause}"
        if self.root is None:
            return [line]
        return [
            "try:",
            f"    {line}",
            "except ModuleNotFoundError:  # not importable from here: from where it was found",
            f"    sys.path.insert(0, {self.root!r})",
            f"    {line}",
        ]


def _import_root(module: str) -> str | None:
    """The ``sys.path`` entry ``module`` (already imported) was found under, if any."""
    file = getattr(sys.modules.get(module), "__file__", None)
    if not isinstance(file, str):
        return None
    path = Path(file).resolve()
    depth = module.count(".") + 1 + (path.stem == "__init__")
    if len(path.parents) < depth:
        return None
    return str(path.parents[depth - 1])


def resolve_target(obj: Any, target: str | None = None) -> ImportTarget:
    """Where a generated module imports ``obj`` from: ``target`` (``"module:qualname"``) when
    given, else ``obj.__module__`` and ``obj.__qualname__``; the root directory is found
    when the module is already imported. Raises ValueError for objects a module cannot import
    (defined in ``__main__`` or inside a function)."""
    if target is not None:
        module, sep, qualname = target.partition(":")
        if not sep or not module or not qualname.replace(".", "_").isidentifier():
            raise ValueError(f"target must look like 'module:function', not {target!r}")
        return ImportTarget(module, qualname, _import_root(module))
    found_module = getattr(obj, "__module__", None)
    found_qualname = getattr(obj, "__qualname__", None)
    if not isinstance(found_module, str) or not isinstance(found_qualname, str):
        raise ValueError(
            f"cannot tell where {obj!r} is defined; pass to_pytest(target='module:function')"
        )
    module, qualname = found_module, found_qualname
    if "<" in qualname or module == "__main__":
        where = "in __main__" if module == "__main__" else f"as {qualname}"
        raise ValueError(
            f"{qualname} is defined {where}, so a test module cannot import it: move it to an "
            "importable module or pass to_pytest(target='module:function')"
        )
    return ImportTarget(module, qualname, _import_root(module))


def first_line(exc: BaseException) -> str:
    """``"ValueError: message"`` cut to one line of at most 90 characters."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 90 else line[:87] + "..."


# ------------------------------------------------------------------------------------------
# the module


def regression_module(
    name: str,
    frames: Mapping[str, pd.DataFrame],
    body: Sequence[str],
    *,
    targets: Sequence[ImportTarget] = (),
    doc: str | None = None,
    comments: Sequence[str] = (),
    imports: Iterable[str] = (),
    fixtures: Sequence[str] = (),
) -> str:
    """The source of a pytest module with one test function, ``name(*fixtures)``.

    The test first binds each of ``frames`` (variable name -> frame, written with
    :func:`frame_literal`, dtypes preserved), then runs ``body`` (statements, one per item,
    indented for the function). ``targets`` are imported (see :class:`ImportTarget`; refer to
    them in ``body`` by their ``name``), ``imports`` are further import lines
    (``"from x import y"``), ``doc`` the module docstring, ``comments`` comment lines at the
    top of the test (without ``#``).

    >>> import pandas as pd
    >>> print(regression_module(
    ...     "test_small", {"df": pd.DataFrame({"x": [1]})}, ["assert len(df) == 1"]
    ... ))
    import pandas as pd
    <BLANKLINE>
    <BLANKLINE>
    def test_small() -> None:
        df = pd.DataFrame(
            {
                "x": pd.Series([1], dtype="int64"),
            }
        )
        assert len(df) == 1
    <BLANKLINE>
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"a test function name must be a Python identifier, not {name!r}")
    polars_only = bool(frames) and all(is_polars_frame(f) for f in frames.values())
    needed: set[str] = set() if polars_only else {"pandas as pd"}
    for target in targets:
        needed |= target.modules
    literals = {var: frame_literal(frame, needed) for var, frame in frames.items()}
    lines: list[str] = [f'"""{doc}"""', ""] if doc else []
    lines += [f"import {i}" for i in sorted(i for i in needed if not i.startswith("from "))]
    froms = list(dict.fromkeys([*sorted(i for i in needed if i.startswith("from ")), *imports]))
    blocks: list[list[str]] = []
    for target in targets:  # a try block per target: de-duplicated whole
        if target.import_lines() not in blocks:
            blocks.append(target.import_lines())
    froms += [line for block in blocks for line in block]
    if froms:
        lines += ["", *froms]
    lines += ["", "", f"def {name}({', '.join(fixtures)}) -> None:"]
    lines += [f"    # {comment}" for comment in comments]
    for var, literal in literals.items():
        lines.append(f"    {var} = " + textwrap.indent(literal, "    ").lstrip())
    lines += [f"    {statement}" for statement in body]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------
# frame literals


def frame_literal(df: pd.DataFrame, imports: set[str] | None = None) -> str:
    """Python source that rebuilds ``df`` exactly (values, dtypes, index, column names).

    ``imports`` collects the modules the source needs (``"numpy as np"``, ...).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"k": pd.Categorical(["b", None], categories=["a", "b"])})
    >>> print(frame_literal(df))
    pd.DataFrame(
        {
            "k": pd.Series(["b", None], dtype=pd.CategoricalDtype(["a", "b"], ordered=False)),
        }
    )
    >>> pd.testing.assert_frame_equal(eval(frame_literal(df)), df)
    >>> import pyarrow as pa
    >>> arrow = pd.DataFrame({"s": pd.Series(["a", None], dtype=pd.ArrowDtype(pa.string()))})
    >>> print(frame_literal(arrow))
    pd.DataFrame(
        {
            "s": pd.Series(["a", None], dtype=pd.ArrowDtype(pa.string())),
        }
    )
    >>> pd.testing.assert_frame_equal(eval(frame_literal(arrow)), arrow)

    A polars frame is written as ``pl.DataFrame([pl.Series(...), ...])``, dtypes exact.
    """
    imports = imports if imports is not None else set()
    if is_polars_frame(df):
        return _polars_literal(df, imports)
    imports.add("pandas as pd")
    n = len(df)
    names = list(df.columns)
    plain = df.columns.is_unique and all(_literal_ok(name) for name in names)  # dict keys
    if df.shape[1] == 0:
        rows = _index_literal(df.index, imports) or f"pd.RangeIndex({n})"
        columns = _index_literal(df.columns, imports)
        return f"pd.DataFrame(index={rows}" + (f", columns={columns})" if columns else ")")
    entries = []
    for pos, name in enumerate(names):
        key = _py_literal(name, imports) if plain else str(pos)
        entries.append(f"        {key}: {_series_literal(df.iloc[:, pos], imports)},")
    body = "pd.DataFrame(\n    {\n" + "\n".join(entries) + "\n    }\n)"
    if not plain or any(level is not None for level in df.columns.names):
        body += f".set_axis({_index_literal(df.columns, imports)}, axis=1)"
    index = _index_literal(df.index, imports)
    if index is not None:
        body += f".set_axis({index}, axis=0)"
    return body


def _polars_literal(df: Any, imports: set[str]) -> str:
    """``pl.DataFrame([pl.Series(...), ...])`` rebuilding a polars frame with its exact
    dtypes; datetimes and durations are written as their integer ticks (nanoseconds kept)."""
    imports.add("polars as pl")
    if df.width == 0:
        return "pl.DataFrame()"
    entries = []
    for s in df.get_columns():
        if s.dtype.is_nested():
            raise ValueError(f"cannot write the polars column {s.name!r} ({s.dtype}) as a literal")
        name, dtype = _py_literal(s.name, imports), f"pl.{s.dtype!r}"
        if type(s.dtype).__name__ in ("Datetime", "Duration"):
            ticks = ", ".join("None" if v is None else str(v) for v in s.to_physical().to_list())
            entries.append(f"pl.Series({name}, [{ticks}], dtype=pl.Int64).cast({dtype})")
        else:
            values = ", ".join(_py_literal(v, imports) for v in s.to_list())
            entries.append(f"pl.Series({name}, [{values}], dtype={dtype})")
    return "pl.DataFrame(\n    [\n" + "".join(f"        {e},\n" for e in entries) + "    ]\n)"


def _literal_ok(value: Any) -> bool:
    try:
        _py_literal(value, set())
    except ValueError:
        return False
    return True


def _index_literal(index: pd.Index, imports: set[str]) -> str | None:
    if isinstance(index, pd.RangeIndex) and index.name is None:
        if index.start == 0 and index.step == 1:
            return None
        return f"pd.RangeIndex({index.start}, {index.stop}, {index.step})"
    if isinstance(index, pd.MultiIndex):
        levels = ", ".join(
            _series_literal(pd.Series(index.get_level_values(i)), imports)
            for i in range(index.nlevels)
        )
        names = ", ".join(_py_literal(nm, imports) for nm in index.names)
        return f"pd.MultiIndex.from_arrays([{levels}], names=[{names}])"
    name = f", name={_py_literal(index.name, imports)}" if index.name is not None else ""
    return f"pd.Index({_series_literal(pd.Series(index), imports)}{name})"


#: Arrow types written as ``pd.ArrowDtype(pa.<function>())``: their name -> the function.
_ARROW_TYPES = {
    "string": "string",
    "large_string": "large_string",
    "bool": "bool_",
    "int64": "int64",
    "double": "float64",
}


def _dtype_literal(dtype: Any, imports: set[str]) -> str:
    if isinstance(dtype, pd.CategoricalDtype):
        cats = ", ".join(_py_literal(c, imports) for c in dtype.categories)
        return f"pd.CategoricalDtype([{cats}], ordered={bool(dtype.ordered)})"
    text = str(dtype)
    try:
        same = pd.api.types.pandas_dtype(text) == dtype
    except TypeError:
        same = False
    if same:
        return f'"{text}"'
    if isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) in _ARROW_TYPES:
        imports.add("pyarrow as pa")  # e.g. string[pyarrow] columns made by astype(ArrowDtype)
        return f"pd.ArrowDtype(pa.{_ARROW_TYPES[str(dtype.pyarrow_dtype)]}())"
    if isinstance(dtype, pd.StringDtype):  # "string" means another storage than dtype's
        na_value = "pd.NA" if dtype.na_value is pd.NA else _py_literal(dtype.na_value, imports)
        return f'pd.StringDtype("{dtype.storage}", na_value={na_value})'
    raise ValueError(f"cannot write dtype {dtype!r} as a literal")


def _series_literal(s: pd.Series, imports: set[str]) -> str:
    none_for_missing = isinstance(s.dtype, pd.CategoricalDtype) or (
        pd.api.types.is_string_dtype(s.dtype) and s.dtype != object
    )
    values = ", ".join(
        "None" if none_for_missing and is_null(v) else _py_literal(v, imports) for v in s.tolist()
    )
    return f"pd.Series([{values}], dtype={_dtype_literal(s.dtype, imports)})"


def _tz_name_ok(value: pd.Timestamp) -> bool:
    try:
        return pd.Timestamp(value.isoformat(), tz=str(value.tz)) == value
    except Exception:
        return False


def _py_literal(value: Any, imports: set[str]) -> str:
    if value is None or value is pd.NA:
        return "None" if value is None else "pd.NA"
    if value is pd.NaT:
        return "pd.NaT"
    if isinstance(value, (np.datetime64, np.timedelta64)):  # .item() may give a bare int
        imports.add("numpy as np")
        unit, count = np.datetime_data(value.dtype)
        args = f'"{value}"' if isinstance(value, np.datetime64) else str(value.astype(np.int64))
        if np.isnat(value):
            args = '"NaT"'
        unit_arg = "" if unit == "generic" else f', "{"" if count == 1 else count}{unit}"'
        return f"np.{type(value).__name__}({args}{unit_arg})"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        text = repr(value)
        return f'"{text[1:-1]}"' if text.startswith("'") and '"' not in value else text
    if isinstance(value, (bool, int, bytes)):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            imports.add("numpy as np")
            return "np.nan"
        if math.isinf(value):
            imports.add("numpy as np")
            return "np.inf" if value > 0 else "-np.inf"
        return repr(value)
    if isinstance(value, complex):
        if cmath.isfinite(value):
            return repr(value)
        return f"complex({_py_literal(value.real, imports)}, {_py_literal(value.imag, imports)})"
    if isinstance(value, pd.Timestamp):
        tz = ""
        if value.tz is not None and _tz_name_ok(value):
            tz = f', tz="{value.tz}"'
        return f'pd.Timestamp("{value.isoformat()}"{tz})'
    if isinstance(value, pd.Timedelta):
        return f'pd.Timedelta("{value}")'
    if isinstance(value, (pd.Period, pd.Interval)):
        return "pd." + repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        tzinfo = getattr(value, "tzinfo", None)
        if tzinfo is not None and not isinstance(tzinfo, dt.timezone):
            raise ValueError(
                f"cannot write the aware {type(value).__name__} {value!r} as a literal"
            )
        imports.add("datetime")
        return repr(value)
    if isinstance(value, decimal.Decimal):
        imports.add("decimal")
        return f"decimal.{value!r}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        inner = ", ".join(_py_literal(v, imports) for v in items)
        if isinstance(value, tuple):
            return f"({inner}{',' if len(value) == 1 else ''})"
        if isinstance(value, (set, frozenset)):
            text = "{" + inner + "}" if value else "()"
            return text if type(value) is set and value else f"{type(value).__name__}({text})"
        return f"[{inner}]"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_py_literal(k, imports)}: {_py_literal(v, imports)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    raise ValueError(f"cannot write {value!r} ({type(value).__name__}) as a Python literal")
