"""Write a big dataset of a contract to a folder of Parquet files on a ``dask.distributed``
cluster: :func:`write_parquet_dataset`.

Each partition (rows ``[start, stop)``, drawn by
:func:`hypo_contracts.engines.dask.partition_frame`, so the files hold exactly the rows of
``C.to_dask(rows, seed=...)``) is generated and written by a worker as
``part.000000.parquet``, ``part.000001.parquet``... into a hidden temporary folder next to
``out_dir``. Only when every partition is written is the folder renamed to ``out_dir`` (one
``os.replace`` on the same file system), so a failing partition or a killed worker never
leaves a partial dataset where a complete one is expected: on an error the temporary folder
is removed and the error raised; if the calling process itself is killed, the hidden
``.<name>.partial-*`` folder stays behind, never ``out_dir``.

>>> import tempfile, pandas as pd
>>> from hypo_contracts.examples import WineQuality
>>> folder = tempfile.mkdtemp()
>>> report = write_parquet_dataset(
...     WineQuality, 2_500, f"{folder}/wine", seed=0, partition_rows=1_000,
...     scheduler="synchronous")
>>> report.rows, report.files
(2500, 3)
>>> back = pd.read_parquet(f"{folder}/wine")
>>> back.equals(WineQuality.to_dask(2_500, seed=0).compute().reset_index(drop=True))
True
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..arguments import call_head
from ..compiled import contract_info
from ..constraints import Canonical
from ..errors import InvalidArgument
from ..rules import Rule
from . import dask as dask_engine

__all__ = [
    "DatasetReport",
    "local_cluster",
    "partition_key",
    "write_parquet_dataset",
    "write_partition",
]


@dataclass(frozen=True)
class DatasetReport:
    """What :func:`write_parquet_dataset` wrote: the folder, rows, files, wall time, the
    largest peak resident memory of a worker process (bytes, as the OS counts it) and the
    CPU time the partitions took (all workers, all threads)."""

    path: Path
    rows: int
    files: int
    seconds: float
    peak_worker_memory: int
    cpu_seconds: float

    @property
    def rows_per_cpu_second(self) -> float:
        """The machine-load-free rate: rows per second of one core."""
        return self.rows / self.cpu_seconds if self.cpu_seconds > 0 else float("inf")

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


def _peak_memory() -> int:
    """This process's peak resident set size in bytes: ``VmHWM`` on Linux (reset when a
    worker process starts, unlike ``ru_maxrss``, which a spawned worker inherits from the
    process that started it), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # pragma: no cover
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024  # pragma: no cover


def write_partition(
    columns: Sequence[Canonical],
    seed: int,
    folder: str,
    k: int,
    bounds: tuple[int, int],
    rules: Sequence[Rule] = (),
) -> tuple[int, int, float]:
    """Generate partition ``k`` (rows ``bounds``) and write it to ``folder``; returns its row
    count, the worker's peak memory and the CPU seconds it took. The folder must exist: a
    partition finishing after the write was abandoned (and the folder removed) fails instead
    of recreating it. The file is written under a name of its own (``.part.K.<pid>``) and
    renamed when complete, so a worker killed mid-write leaves no truncated
    ``part.K.parquet``, and the retry of the partition on another worker writes the same
    bytes (see :func:`partition_key`)."""
    cpu = time.process_time()
    df = dask_engine.partition_frame(columns, seed, bounds, rules)
    final = os.path.join(folder, f"part.{k:06d}.parquet")
    partial = os.path.join(folder, f".part.{k:06d}.{os.getpid()}")
    with open(partial, "xb") as fh:
        df.to_parquet(fh, index=False)
    os.replace(partial, final)
    return len(df), _peak_memory(), time.process_time() - cpu


def partition_key(name: str, k: int, token: str) -> str:
    """The task key of partition ``k`` of a dataset of contract ``name`` (``token`` tells
    one call's tasks from another's): what the dashboard shows and a worker plugin sees.

    >>> partition_key("Wine", 3, "ab12")
    'hypo-contracts-Wine-part-000003-ab12'
    """
    return f"hypo-contracts-{name}-part-{k:06d}-{token}"


def local_cluster(n_workers: int | None = None) -> Any:
    """A ``distributed.LocalCluster`` of ``n_workers`` (default: one per core)
    single-threaded worker processes on loopback, without the dashboard, and without
    distributed's ``MALLOC_TRIM_THRESHOLD_`` for the workers: that setting turns off
    glibc's adaptive mmap threshold, so every column-sized array is a fresh mmap and its
    page faults cost about a third of a worker's CPU time when generating (measured with
    benchmarks/bench_engines.py).

    >>> import tempfile
    >>> from hypo_contracts.examples import WineQuality
    >>> with local_cluster(1) as cluster:
    ...     report = write_parquet_dataset(
    ...         WineQuality, 1_000, f"{tempfile.mkdtemp()}/wine", seed=0, scheduler=cluster)
    >>> report.files
    1
    """
    import dask
    from distributed import LocalCluster

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(
            n_workers=n_workers or _cores(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )


def _cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1  # pragma: no cover - not Linux


@contextlib.contextmanager
def _client(scheduler: Any) -> Iterator[Any]:
    """A ``distributed.Client`` on ``scheduler`` (an address, a cluster or a client), or on
    a new ``LocalCluster`` of one single-threaded worker process per core on loopback."""
    from distributed import Client

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    with local_cluster() as cluster, Client(cluster) as client:
        yield client


def _progress(total: int, show: bool | None) -> Any:
    """A rich progress bar on a terminal (or when asked), else nothing."""
    if show is False or (show is None and not sys.stderr.isatty()):
        return contextlib.nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=False,
    )


def write_parquet_dataset(
    contract: Any,
    rows: int,
    out_dir: str | os.PathLike[str],
    *,
    seed: int,
    partition_rows: int = 1_000_000,
    scheduler: Any = None,
    progress: bool | None = None,
) -> DatasetReport:
    """Write ``rows`` rows of ``contract`` to the new folder ``out_dir`` as one Parquet file
    per partition of ``partition_rows`` rows (the rows of ``contract.to_dask(rows,
    seed=seed)``, row order = file order), on a ``dask.distributed`` cluster: ``scheduler``
    is an address, a ``LocalCluster`` or a ``Client``; ``None`` starts a ``LocalCluster`` of
    one worker process per core on loopback; ``"synchronous"`` writes in this process
    (no cluster, for small jobs and tests). A rich progress bar is shown on a terminal
    (``progress=True`` / ``False`` forces it). The folder appears only once complete."""
    where = "write_parquet_dataset()"
    info = contract_info(contract, where)
    columns = dask_engine.check_dataset_arguments(info, rows, seed, partition_rows, where)
    dask_engine.import_dask(where)
    out = Path(out_dir)
    if out.exists():
        raise InvalidArgument(
            f"{call_head(where, info)}out_dir={str(out)!r} already exists; pass a new "
            "folder (the dataset is moved there once every partition is written)."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    bounds = dask_engine.partition_bounds(int(rows), int(partition_rows))
    tmp = tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent)
    start = time.perf_counter()
    written, peak, cpu = 0, 0, 0.0
    try:
        with _progress(len(bounds), progress) as bar:
            task = None if bar is None else bar.add_task(f"{info.name} -> {out}", total=len(bounds))
            if scheduler == "synchronous":
                results: Iterator[tuple[int, int, float]] = (
                    write_partition(columns, int(seed), tmp, k, b, info.rules)
                    for k, b in enumerate(bounds)
                )
                for n, memory, seconds in results:
                    written, peak, cpu = written + n, max(peak, memory), cpu + seconds
                    if bar is not None:
                        bar.advance(task)
            else:
                written, peak, cpu = _on_cluster(
                    scheduler, info.name, columns, info.rules, int(seed), tmp, bounds, bar, task
                )
        for leftover in Path(tmp).glob(".part.*"):  # a killed worker's unfinished file
            leftover.unlink()
        os.replace(tmp, out)
    except BaseException:
        _remove(tmp)
        raise
    return DatasetReport(out, written, len(bounds), time.perf_counter() - start, peak, cpu)


def _remove(folder: str, tries: int = 50) -> None:
    """Remove ``folder`` and what is in it, again while files still land in it: a cancelled
    partition that was already running finishes on its worker and may write its file
    between ``rmtree``'s listing and its ``rmdir``. Once the folder is gone it stays gone
    (:func:`write_partition` never creates it)."""
    for _ in range(tries):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):
            return
        time.sleep(0.1)


def _on_cluster(
    scheduler: Any,
    name: str,
    columns: Sequence[Canonical],
    rules: Sequence[Rule],
    seed: int,
    folder: str,
    bounds: Sequence[tuple[int, int]],
    bar: Any,
    task: Any,
) -> tuple[int, int, float]:
    from distributed import as_completed

    written, peak, cpu = 0, 0, 0.0
    with _client(scheduler) as client:
        token = uuid.uuid4().hex
        futures = [
            client.submit(
                write_partition,
                columns,
                seed,
                folder,
                k,
                b,
                rules,
                key=partition_key(name, k, token),
            )
            for k, b in enumerate(bounds)
        ]
        try:
            for future in as_completed(futures):
                n, memory, seconds = future.result()
                written, peak, cpu = written + n, max(peak, memory), cpu + seconds
                if bar is not None:
                    bar.advance(task)
        except BaseException:
            client.cancel(futures)
            raise
    return written, peak, cpu
