"""pytest plugin (the ``pytest11`` entry point ``hypo_contracts``): registers the
``hypo-ci`` and ``hypo-thorough`` Hypothesis profiles before pytest reads
``--hypothesis-profile``, so ``pytest --hypothesis-profile=hypo-ci`` works without a
``conftest.py`` that imports hypo_contracts. It does nothing else.

>>> from hypothesis import settings
>>> import hypo_contracts._pytest_plugin
>>> settings.get_profile("hypo-ci").max_examples
20
"""

from __future__ import annotations

from . import _profiles as _profiles  # registering the profiles is the import's side effect

__all__: list[str] = []
