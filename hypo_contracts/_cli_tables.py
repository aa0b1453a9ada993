"""``hypo-contracts shrink`` with several DATA files: related tables (see docs/tables.md).

Each DATA file is read with the ``--contract`` at the same position (CSV columns cast to
it), the test is called with the mapping contract -> frame (a
:class:`~hypo_contracts.Tables`), and the minimal tables are written to the directory OUT,
one file per table under its input file's name. Exit codes as for one file: 0 shrunk, 1 the
test does not fail, 2 usage errors and unusable inputs, 130 Ctrl-C before the first call
ended.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ._cli_shrink import (
    _CSV,
    _PARQUET,
    InputError,
    file_format,
    load_object,
    read_frame,
    write_atomically,
    write_frame,
)
from .compiled import ContractInfo
from .errors import ContractViolation
from .shrinking import NothingToShrink, describe_failure, shrink

__all__ = ["run_tables"]


def run_tables(
    data: list[Path],
    test_spec: str,
    contract_specs: list[str],
    any_failure: bool,
    max_calls: int | None,
    timeout: float | None,
    out: Path,
    progress: bool | None,
    pytest_out: Path | None = None,
) -> int:
    """Shrink several related tables; returns the exit status (raises click exceptions for
    status 2)."""
    if len(contract_specs) != len(data):
        raise click.UsageError(
            f"{len(data)} DATA files need {len(data)} --contract options, one per file in the "
            f"same order (got {len(contract_specs)})."
        )
    formats = [file_format(path, "DATA") for path in data]
    for path in data:
        if not path.is_file():
            raise InputError(f"DATA {str(path)!r} does not exist or is not a file")
    names = [path.name for path in data]
    if len(set(names)) != len(names):
        raise click.UsageError("the DATA files need different names (OUT keeps the names)")
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"with several DATA files OUT is a directory, not {str(out)!r}")
    if not out.is_dir() and out.name.lower().endswith(_CSV + _PARQUET):
        raise click.UsageError(
            f"with several DATA files OUT is a directory that receives one file per table, "
            f"not a file name like {str(out)!r}; pass e.g. -o {out.parent / out.name.split('.')[0]}"
        )
    if any(out.resolve() == path.resolve().parent for path in data):
        raise click.UsageError("OUT must be another directory than the DATA files' own")
    if pytest_out is not None and not pytest_out.parent.is_dir():
        raise InputError(f"--pytest {str(pytest_out)!r}: no directory {str(pytest_out.parent)!r}")
    test = load_object(test_spec, "--test")
    if not callable(test):
        raise InputError(f"--test {test_spec}: {test!r} is not callable")
    contracts: list[Any] = []
    for spec in contract_specs:
        contract = load_object(spec, "--contract")
        if not isinstance(getattr(contract, "__contract__", None), ContractInfo):
            raise InputError(f"--contract {spec}: {contract!r} is not a @data_contract class")
        if contract in contracts:
            raise click.UsageError(
                f"--contract {spec} is given twice: each DATA file is a table of its own "
                "contract (one --contract per file, in the same order)"
            )
        contracts.append(contract)
    frames = {
        contract: read_frame(path, fmt, contract.__contract__)
        for contract, path, fmt in zip(contracts, data, formats, strict=True)
    }
    try:
        result = shrink(
            frames,
            test,
            same_failure=not any_failure,
            max_calls=max_calls,
            timeout=timeout,
            progress=progress,
        )
    except NothingToShrink:
        click.echo(
            f"hypo-contracts shrink: {test_spec} does not fail on "
            f"{', '.join(map(str, data))}: nothing to shrink.",
            err=True,
        )
        return 1
    except KeyboardInterrupt:
        click.echo("hypo-contracts shrink: interrupted; nothing written.", err=True)
        return 130
    except ContractViolation as exc:
        raise InputError(str(exc)) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create OUT {str(out)!r}: {exc}") from None
    state = "" if result.complete else f" (stopped by {result.stopped_by}: best so far)"
    sizes = ", ".join(
        f"{path.name}: {len(frames[c])} -> {len(result.tables[c])} rows"
        for c, path in zip(contracts, data, strict=True)
    )
    click.echo(f"Shrunk {sizes} in {result.calls} calls ({result.elapsed:.1f} s){state}.")
    click.echo(f"Failure: {describe_failure(result.error)}")
    for contract, path, fmt in zip(contracts, data, formats, strict=True):
        target = out / path.name
        write_frame(result.tables[contract], target, fmt)
        click.echo(f"Wrote {target}")
    if pytest_out is not None:
        try:
            source = result.to_pytest(target=test_spec)
        except ValueError as exc:
            raise InputError(f"cannot write the pytest file: {exc}") from None
        write_atomically(pytest_out, lambda tmp: Path(tmp).write_text(source, encoding="utf-8"))
        click.echo(f"Wrote {pytest_out}")
    return 0
