"""What ``hypo-contracts infer``, ``generate`` and ``validate`` do (:mod:`hypo_contracts.cli`
declares their options). Each returns the exit status; unusable inputs raise
:class:`~hypo_contracts._cli_shrink.InputError` (status 2, message on stderr), and nothing
is written on failure: outputs go to a temporary file that is renamed at the end.

>>> import pandas as pd
>>> spec_kind("orders.yaml"), spec_kind("contracts.py:Orders"), spec_kind("contracts:Orders")
('document', 'file', 'module')
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import click
import numpy as np
import pandas as pd
import yaml

from .._cli_shrink import (
    InputError,
    file_format,
    load_object,
    read_frame,
    timestamp_like_columns,
    write_atomically,
    write_frame,
)
from ..contract import Contract
from ..errors import ContractError, ContractViolation, InvalidArgument
from .build import Unsupported
from .frictionless import from_frictionless
from .infer import infer
from .odcs import from_odcs
from .pandera_in import from_pandera

__all__ = [
    "CHUNK_ROWS",
    "load_contract",
    "run_generate",
    "run_generate_dask",
    "run_infer",
    "run_validate",
    "spec_kind",
]

#: ``generate`` draws this many rows per step of its progress bar (contracts without unique
#: columns; a contract with one is drawn at once, so that uniqueness holds across the frame)
CHUNK_ROWS = 100_000
_DOCUMENTS = (".yaml", ".yml", ".json")


def spec_kind(spec: str) -> str:
    """``"document"`` (a YAML/JSON contract file, optionally ``:schema``), ``"file"`` (a
    Python file, optionally ``:Class``) or ``"module"`` (``module:Class``)."""
    path = spec.rsplit(":", 1)[0] if ":" in spec else spec
    if path.lower().endswith(_DOCUMENTS):
        return "document"
    if path.lower().endswith(".py"):
        return "file"
    return "module"


def _is_contract(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, Contract) and "__contract__" in vars(obj)


def _from_file(spec: str) -> type[Contract]:
    head, sep, attr = spec.rpartition(":")
    path = Path(head) if sep and head.lower().endswith(".py") else Path(spec)
    if not (sep and head.lower().endswith(".py")):
        attr = ""
    if not path.exists():
        raise InputError(f"--contract {spec}: no such file {str(path)!r}")
    module_spec = importlib.util.spec_from_file_location(f"_contract_{path.stem}", path)
    if module_spec is None or module_spec.loader is None:  # pragma: no cover
        raise InputError(f"--contract {spec}: cannot import {str(path)!r}")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:
        raise InputError(f"--contract {spec}: {str(path)!r} fails to import: {exc}") from None
    if attr:
        obj = getattr(module, attr, None)
        if not _is_contract(obj):
            raise InputError(f"--contract {spec}: {str(path)!r} has no contract {attr!r}")
        return obj  # type: ignore[return-value]
    found = [v for v in vars(module).values() if _is_contract(v)]
    if len(found) != 1:
        names = [c.__name__ for c in found]
        raise InputError(
            f"--contract {spec}: {str(path)!r} declares {len(found)} contracts {names!r}; "
            "name one as FILE.py:Class"
        )
    return found[0]


def _from_document(spec: str, unsupported: Unsupported) -> type[Contract]:
    text, sep, schema = spec.rpartition(":")
    if not sep or not text.lower().endswith(_DOCUMENTS):
        text, schema = spec, ""
    path = Path(text)
    if not path.exists():
        raise InputError(f"--contract {spec}: no such file {str(path)!r}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{str(path)!r}: malformed YAML/JSON: {exc}") from None
    try:
        if isinstance(data, dict) and "schema_type" in data:
            return from_pandera(path, unsupported=unsupported)
        if isinstance(data, dict) and "fields" in data:
            return from_frictionless(path, unsupported=unsupported)
        if isinstance(data, dict) and "resources" in data:
            found = from_frictionless(path, resource=schema or None, unsupported=unsupported)
            if isinstance(found, dict):
                raise InputError(
                    f"--contract {spec}: the Data Package has {len(found)} resources "
                    f"{sorted(found)!r}; choose one as {text}:NAME"
                )
            return found
        found = from_odcs(path, schema or None, unsupported=unsupported)
    except (ContractError, FileNotFoundError, ImportError) as exc:
        message = str(exc).replace("Pass unsupported='ignore'", "Pass --ignore-unsupported")
        raise InputError(message) from None
    if isinstance(found, dict):
        raise InputError(
            f"--contract {spec}: the document has {len(found)} schemas {sorted(found)!r}; "
            f"choose one as {text}:NAME"
        )
    return found


def load_contract(spec: str, unsupported: Unsupported = "error") -> type[Contract]:
    """The contract named on the command line: ``module:Class``, ``file.py[:Class]``, or a
    pandera, Frictionless or ODCS document ``file.yaml[:schema]`` (told apart by content;
    ``unsupported`` as in the readers)."""
    kind = spec_kind(spec)
    if kind == "document":
        return _from_document(spec, unsupported)
    if kind == "file":
        return _from_file(spec)
    obj = load_object(spec, "--contract")
    if not _is_contract(obj):
        raise InputError(f"--contract {spec}: {obj!r} is not a @data_contract class")
    return obj


def _parse_text(df: pd.DataFrame) -> pd.DataFrame:
    """What CSV leaves as text or objects: booleans with blanks as ``boolean``, ISO
    dates/timestamps as datetimes (with offsets: in UTC)."""
    for name in df.columns:
        values = df[name].dropna()
        if df[name].dtype == object and len(values) and all(type(v) is bool for v in values):
            df[name] = df[name].astype("boolean")
    for name in timestamp_like_columns(df):
        text = df[name]
        try:
            parsed = pd.to_datetime(text, format="ISO8601")
        except (ValueError, TypeError):
            parsed = pd.to_datetime(text, format="ISO8601", utc=True)
        if not pd.api.types.is_datetime64_any_dtype(parsed):
            parsed = pd.to_datetime(text, format="ISO8601", utc=True)
        df[name] = parsed
    return df


def run_infer(data: Path, out: Path | None, name: str, margin: float, max_values: int) -> int:
    """Infer a contract from DATA; write its Python source (or ODCS YAML for .yaml)."""
    fmt = file_format(data, "DATA")
    if not data.exists():
        raise InputError(f"DATA {str(data)!r}: no such file")
    df = read_frame(data, fmt, None)
    if fmt == "csv":
        df = _parse_text(df)
    try:
        contract = infer(df, name=name, margin=margin, max_values=max_values)
    except (ContractError, ValueError) as exc:
        raise InputError(f"{str(data)!r}: {exc}") from None
    as_yaml = out is not None and out.suffix.lower() in (".yaml", ".yml")
    text = contract.to_odcs() if as_yaml else contract.to_source()
    if out is None:
        click.echo(text, nl=False)
        return 0
    write_atomically(out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    click.echo(
        f"{out}: contract {contract.__name__} with {len(contract.columns)} columns", err=True
    )
    return 0


def _has_unique(contract: type[Contract]) -> bool:
    return any(c.unique for c in contract.__contract__.canonical.values())


def run_generate(
    spec: str,
    rows: int,
    seed: int | None,
    out: Path,
    progress: bool | None,
    unsupported: Unsupported = "error",
) -> int:
    """Write ROWS rows that satisfy the contract to OUT (.csv or .parquet)."""
    fmt = file_format(out, "the output")
    contract = load_contract(spec, unsupported)
    rng = np.random.default_rng(seed)
    chunk = rows if _has_unique(contract) or rows <= CHUNK_ROWS else CHUNK_ROWS
    show = sys.stderr.isatty() if progress is None else progress
    parts: list[pd.DataFrame] = []
    if show and rows > chunk:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"generating {contract.__name__}", total=rows)
            for start in range(0, rows, chunk):
                parts.append(contract.example(min(chunk, rows - start), seed=rng))
                bar.advance(task, len(parts[-1]))
    else:
        for start in range(0, max(rows, 1), max(chunk, 1)):
            parts.append(contract.example(min(chunk, rows - start), seed=rng))
    df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    write_frame(df, out, fmt)
    click.echo(f"{out}: {len(df):,} rows of {contract.__name__}", err=True)
    return 0


def run_generate_dask(
    spec: str,
    rows: int,
    seed: int | None,
    out: Path,
    partition_rows: int | None,
    scheduler: str | None,
    progress: bool | None,
    unsupported: Unsupported = "error",
) -> int:
    """Write ROWS rows of the contract to the new folder OUT, one Parquet file per partition,
    on a dask.distributed cluster (:func:`hypo_contracts.engines.parquet.write_parquet_dataset`;
    without ``seed``, a random one, reported so that the dataset can be written again)."""
    try:
        file_format(out, "the output")
    except click.UsageError:
        pass  # not a .csv/.parquet file name: a folder
    else:
        raise click.UsageError(
            f"--engine dask writes a folder of Parquet files (one per partition), not the "
            f"single file {str(out)!r}: name a folder, e.g. -o {out.name.split('.')[0]}/"
        )
    if out.exists():
        raise click.UsageError(
            f"-o {str(out)!r} already exists; name a new folder (the dataset is moved there "
            "once every partition is written)"
        )
    contract = load_contract(spec, unsupported)
    try:
        from distributed import KilledWorker
    except ImportError:  # pragma: no cover - the extra is installed in the test venv
        raise InputError(
            "--engine dask needs dask.distributed, an optional extra: "
            "pip install 'hypo-contracts[dask]'"
        ) from None
    from ..engines.parquet import write_parquet_dataset

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, np.uint32)[0])
    try:
        report = write_parquet_dataset(
            contract,
            rows,
            out,
            seed=seed,
            partition_rows=1_000_000 if partition_rows is None else partition_rows,
            scheduler=scheduler,
            progress=progress,
        )
    except InvalidArgument as exc:
        raise InputError(str(exc)) from None
    except OSError as exc:  # no scheduler at the address, or none in time
        raise InputError(f"--scheduler {scheduler}: {exc}") from None
    except KilledWorker as exc:
        raise click.ClickException(
            f"a worker died on every try of a partition ({exc}); {str(out)!r} was not written"
        ) from None
    click.echo(
        f"{out}: {report.rows:,} rows of {contract.__name__} in {report.files:,} Parquet "
        f"files (seed {seed}, {report.seconds:.1f} s)",
        err=True,
    )
    return 0


def run_validate(data: Path, spec: str, unsupported: Unsupported = "error") -> int:
    """Validate DATA against the contract: 0 valid, 1 violations (the report on stdout)."""
    fmt = file_format(data, "DATA")
    if not data.exists():
        raise InputError(f"DATA {str(data)!r}: no such file")
    contract = load_contract(spec, unsupported)
    try:
        df = contract.read_csv(data) if fmt == "csv" else contract.read_parquet(data)
    except ContractViolation as exc:  # a value that cannot be cast violates the contract
        click.echo(str(exc))
        return 1
    except Exception as exc:
        raise InputError(
            f"cannot read {str(data)!r} as {fmt}: {type(exc).__name__}: {exc}"
        ) from None
    try:
        contract.validate(df)
    except ContractViolation as exc:
        click.echo(str(exc))
        return 1
    click.echo(f"{data}: {len(df):,} rows satisfy {contract.__name__}")
    return 0
