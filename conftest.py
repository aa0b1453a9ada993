"""Test-suite settings: CI runs Hypothesis derandomized, so a submission's result does not
depend on luck; local runs stay random and keep exploring."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("hypo-contracts-ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("hypo-contracts-ci")
