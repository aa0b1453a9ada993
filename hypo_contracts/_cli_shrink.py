"""The body of ``hypo-contracts shrink`` (see docs/shrinking.md).

Reads DATA (CSV or Parquet, by extension), imports ``--test module:function`` (and
``--contract module:Class``) with the current directory on ``sys.path``, shrinks, and writes
the minimal frame to OUT atomically (a temporary file in OUT's directory, then ``os.replace``).
DATA is only ever read. Exit codes: 0 shrunk, 1 the test does not fail on DATA, 2 usage errors
and unusable inputs (unreadable file, import error, data that breaks the contract), 130 Ctrl-C
before the first call ended.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import click
import pandas as pd

from .coercion import coerce, csv_dtypes
from .compiled import ContractInfo, own_info
from .errors import ContractViolation
from .shrinking import NothingToShrink, ShrinkResult, describe_failure, origin, shape_text, shrink

_CSV = (".csv", ".csv.gz", ".csv.bz2", ".csv.xz", ".csv.zst", ".csv.zip")
_PARQUET = (".parquet", ".pq")


class InputError(click.ClickException):
    """An input the command cannot use: exit status 2, message on stderr."""

    exit_code = 2


def file_format(path: Path, what: str) -> str:
    """``"csv"`` or ``"parquet"`` from ``path``'s extension."""
    name = path.name.lower()
    if name.endswith(_CSV):
        return "csv"
    if name.endswith(_PARQUET):
        return "parquet"
    raise click.UsageError(
        f"cannot tell the format of {what} {str(path)!r} from its extension: use .csv "
        "(optionally compressed, e.g. .csv.gz) or .parquet"
    )


def load_object(spec: str, option: str) -> Any:
    """Import ``module:attribute`` with the current directory first on ``sys.path``."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise click.BadParameter(
            f"{spec!r} is not of the form module:name (e.g. my_pipeline:train)", param_hint=option
        )
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as exc:
        raise InputError(
            f"{option} {spec}: cannot import module {module_name!r} (searched the current "
            f"directory {cwd} and sys.path): {type(exc).__name__}: {exc}"
        ) from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise InputError(f"{option} {spec}: module {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    return obj


def read_frame(
    path: Path, fmt: str, info: ContractInfo | None, parse_dates: list[str] | None = None
) -> pd.DataFrame:
    """Read ``path``; with a contract, give every contract column the contract's dtype
    (:func:`hypo_contracts.coercion.coerce`: Parquet keeps most dtypes, but not categories of
    numbers). ``parse_dates``: CSV columns to read as timestamps."""
    try:
        if fmt == "parquet":
            df = pd.read_parquet(path)
        else:
            dtypes = csv_dtypes(info) if info is not None else {}
            for name in parse_dates or ():
                dtypes.pop(name, None)
            header = pd.read_csv(path, nrows=0).columns if parse_dates else ()
            missing = [name for name in parse_dates or () if name not in header]
            if not missing:
                df = pd.read_csv(path, dtype=dtypes or None, parse_dates=parse_dates or None)
    except Exception as exc:
        raise InputError(
            f"cannot read {str(path)!r} as {fmt}: {type(exc).__name__}: {exc}"
        ) from None
    if parse_dates:
        if missing:
            raise InputError(f"--parse-dates: {str(path)!r} has no column {missing[0]!r}")
        unparsed = [n for n in parse_dates if not pd.api.types.is_datetime64_any_dtype(df[n])]
        if unparsed:
            raise InputError(
                f"--parse-dates: column {unparsed[0]!r} of {str(path)!r} is not made of "
                "timestamps pandas can parse"
            )
    if info is None:
        return df
    try:
        return coerce(info, df, blank_strings=fmt == "csv")
    except ContractViolation as exc:
        raise InputError(f"{str(path)!r}: {exc}") from None


#: An ISO 8601 date or timestamp, as CSV writes datetime columns.
_TIMESTAMP_TEXT = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?"
)


def timestamp_like_columns(df: pd.DataFrame) -> list[str]:
    """Text columns whose every non-null value looks like an ISO timestamp or date."""
    found = []
    for name in df.columns:
        s = df[name]
        if isinstance(s, pd.DataFrame) or not (
            s.dtype == object or pd.api.types.is_string_dtype(s.dtype)
        ):
            continue
        text = s.dropna()
        if len(text) and text.map(lambda v: isinstance(v, str)).all():
            if text.astype(str).str.fullmatch(_TIMESTAMP_TEXT).all():
                found.append(str(name))
    return found


def write_atomically(path: Path, write: Any) -> None:
    """Call ``write(tmp_path)`` on a temporary file next to ``path``, then rename it."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".hypo-contracts-", suffix=path.name)
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would make the output private
        try:
            write(tmp)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except Exception as exc:
        raise InputError(f"cannot write {str(path)!r}: {type(exc).__name__}: {exc}") from None


def write_frame(df: pd.DataFrame, path: Path, fmt: str) -> None:
    def write(tmp: str) -> None:
        if fmt == "csv":
            df.to_csv(tmp, index=False)
        else:
            df.to_parquet(tmp)

    write_atomically(path, write)


def run(
    data: Path,
    test_spec: str,
    contract_spec: str | None,
    any_failure: bool,
    max_calls: int | None,
    timeout: float | None,
    out: Path,
    pytest_out: Path | None,
    progress: bool | None,
    parse_dates: list[str] | None = None,
) -> int:
    """Run the command; returns the exit status (raises click exceptions for status 2)."""
    in_fmt = file_format(data, "DATA")
    out_fmt = file_format(out, "OUT")
    if parse_dates and in_fmt != "csv":
        raise click.UsageError("--parse-dates is for CSV DATA (Parquet keeps timestamps)")
    if not data.is_file():
        raise InputError(f"DATA {str(data)!r} does not exist or is not a file")
    if out.resolve() == data.resolve():
        raise click.UsageError("OUT must be another file than DATA (DATA is never written)")
    if pytest_out is not None and pytest_out.resolve() in (data.resolve(), out.resolve()):
        raise click.UsageError(
            "DATA, OUT and --pytest must be three different files (DATA is never written)"
        )
    for path, what in ((out, "OUT"), (pytest_out, "--pytest")):
        if path is not None and not path.parent.is_dir():  # fail now, not after shrinking
            raise InputError(f"{what} {str(path)!r}: no directory {str(path.parent)!r}")
    test = load_object(test_spec, "--test")
    if not callable(test):
        raise InputError(f"--test {test_spec}: {test!r} is not callable")
    contract = None
    info = None
    if contract_spec is not None:
        contract = load_object(contract_spec, "--contract")
        info = getattr(contract, "__contract__", None)
        if isinstance(info, ContractInfo) and isinstance(contract, type):
            try:
                info = own_info(contract, "--contract")
            except TypeError as exc:  # an undecorated subclass of a contract
                raise InputError(f"--contract {contract_spec}: {exc}") from None
        if not isinstance(info, ContractInfo):
            raise InputError(
                f"--contract {contract_spec}: {contract!r} is not a @data_contract class"
            )
    frame = read_frame(data, in_fmt, info, parse_dates)
    if info is None and in_fmt == "csv":
        _warn_timestamp_text(frame, data)
    options = {
        "same_failure": not any_failure,
        "max_calls": max_calls,
        "timeout": timeout,
        "progress": progress,
    }
    with warnings.catch_warnings(record=True) as caught:
        code, result = _shrink(frame, test, test_spec, contract, contract_spec, data, options)
        if result is not None:
            write_frame(result.frame, out, out_fmt)
            _report(result, frame, data, out)
            _check_round_trip(
                result, out, out_fmt, info, test, not any_failure, parse_dates or None
            )
    _report_warnings(caught)
    if result is None:
        return code
    if pytest_out is not None:
        try:
            source = result.to_pytest(target=test_spec)
        except ValueError as exc:
            raise InputError(f"cannot write the pytest file: {exc}") from None
        write_atomically(pytest_out, lambda tmp: Path(tmp).write_text(source, encoding="utf-8"))
        click.echo(f"Wrote {pytest_out}")
    return 0


def _shrink(
    frame: pd.DataFrame,
    test: Any,
    test_spec: str,
    contract: Any,
    contract_spec: str | None,
    data: Path,
    options: dict[str, Any],
) -> tuple[int, ShrinkResult | None]:
    """``(0, result)``, or ``(exit status, None)`` when there is nothing to write."""
    try:
        result = shrink(
            frame,
            test,
            contract=contract,
            **options,
        )
    except NothingToShrink:
        click.echo(
            f"hypo-contracts shrink: {test_spec} does not fail on {data} "
            f"({shape_text(frame)}): nothing to shrink.",
            err=True,
        )
        return 1, None
    except KeyboardInterrupt:  # during the first call: nothing found yet
        click.echo("hypo-contracts shrink: interrupted; nothing written.", err=True)
        return 130, None
    except ContractViolation as exc:
        raise InputError(f"{data} does not satisfy --contract {contract_spec}:\n{exc}") from None
    return 0, result


def _warn_timestamp_text(frame: pd.DataFrame, data: Path) -> None:
    """Without a contract, CSV timestamps are text: the test may then fail another way
    (on strings), and that other failure is what gets shrunk."""
    columns = timestamp_like_columns(frame)
    if columns:
        names = ", ".join(repr(c) for c in columns)
        click.echo(
            f"warning: {data} is read without --contract, so column(s) {names} that look like "
            "timestamps are text (str), not datetime64: the test sees strings and may fail "
            "differently than on your pipeline's frames. Pass --parse-dates "
            f"{','.join(columns)} (or --contract MODULE:CLASS) to read them as timestamps.",
            err=True,
        )


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    """One line for the warnings the test raised on odd candidate frames, instead of a
    traceback-like block per warning: they are not what is being debugged."""
    kinds: dict[tuple[str, str, int], str] = {}  # one per place a warning comes from
    for w in caught:
        key = (w.category.__name__, w.filename, w.lineno)
        kinds.setdefault(key, f"{w.category.__name__}: {w.message}".splitlines()[0])
    if not kinds:
        return
    first = next(iter(kinds.values()))
    more = f", and {len(kinds) - 1} other kind(s)" if len(kinds) > 1 else ""
    click.echo(
        f"note: the test emitted warnings on some candidate frames ({first}{more}); they are "
        "not failures. Run the test on OUT to see them.",
        err=True,
    )


def _report(result: ShrinkResult, frame: pd.DataFrame, data: Path, out: Path) -> None:
    state = "" if result.complete else f" (stopped by {result.stopped_by}: best frame so far)"
    click.echo(
        f"Shrunk {data}: {shape_text(frame)} -> {shape_text(result.frame)} in {result.calls} calls "
        f"({result.elapsed:.1f} s){state}."
    )
    click.echo(f"Failure: {describe_failure(result.error)}")
    click.echo(f"Wrote {out}")


def _check_round_trip(
    result: ShrinkResult,
    out: Path,
    fmt: str,
    info: ContractInfo | None,
    test: Any,
    same_failure: bool,
    parse_dates: list[str] | None = None,
) -> None:
    """Re-read OUT and run the test once more: CSV loses dtypes and empty strings."""
    try:
        again = read_frame(out, fmt, info, parse_dates if fmt == "csv" else None)
        test(again)
    except InputError:
        error: BaseException | None = None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit too: shrink counts it as a failure
        error = exc
    else:
        error = None
    if error is not None and (not same_failure or origin(error) == origin(result.error)):
        return
    click.echo(
        f"warning: {out} does not reproduce the failure when read back ({fmt} does not keep "
        "every dtype and value, e.g. empty strings become NaN in CSV); use a .parquet OUT or "
        "--pytest for an exact copy.",
        err=True,
    )
