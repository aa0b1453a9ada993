"""Put the example project (``shop``) on sys.path,
as if the tests ran from the project's own folder."""

import sys
from pathlib import Path

PROJECT = str(Path(__file__).resolve().parents[1])
if PROJECT not in sys.path:
    sys.path.insert(0, PROJECT)
