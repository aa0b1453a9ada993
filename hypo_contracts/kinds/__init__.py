"""Column kinds: one :class:`~hypo_contracts.kinds.base.Kind` per column type, registered
under the kind string its columns carry (``Column.kind``, ``Canonical.kind``).

Adding a kind is a module here with its ``Kind`` subclass plus one registration line below
(and its declaration class in :mod:`hypo_contracts.declaration`); ``docs/design.md`` shows
the Decimal kind as the worked example.

>>> sorted(KINDS)
['bool', 'category', 'date', 'decimal', 'float', 'int', 'string', 'timedelta', 'timestamp']
"""

from __future__ import annotations

from .base import KINDS, BadValue, Kind, kind_of, register
from .boolean import BoolKind
from .category import CategoryKind
from .date import DateKind
from .decimal import DecimalKind
from .floating import FloatKind
from .integer import IntKind
from .string import StringKind
from .timedelta import TimedeltaKind
from .timestamp import TimestampKind

__all__ = ["KINDS", "BadValue", "Kind", "kind_of", "register"]

register(BoolKind())
register(IntKind())
register(FloatKind())
register(StringKind())
register(CategoryKind())
register(TimestampKind())
register(DateKind())
register(TimedeltaKind())
register(DecimalKind())
