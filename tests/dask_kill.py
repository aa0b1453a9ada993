"""A ``dask.distributed`` worker plugin that kills its own worker process (``SIGKILL``, as
the OOM killer would) when it starts partition ``k`` of a dataset written by
:func:`hypo_contracts.engines.parquet.write_parquet_dataset`: tests of what a lost worker
leaves behind. A module of its own, so that worker processes import it by name."""

from __future__ import annotations

import os
import signal
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin


class KillOnPartition(WorkerPlugin):
    """Kill the worker when partition ``k`` starts executing: once (the first worker to
    create ``marker``), or on every try when ``marker`` is None."""

    def __init__(self, k: int, marker: str | None) -> None:
        self.k = k
        self.marker = marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish != "executing" or f"-part-{self.k:06d}-" not in str(key):
            return
        if self.marker is not None:
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return  # killed once already: let the retry run
        os.kill(os.getpid(), signal.SIGKILL)
