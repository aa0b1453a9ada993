"""Hypothesis settings profiles for ML smoke tests, registered when hypo_contracts is imported
(and by its pytest plugin, :mod:`hypo_contracts._pytest_plugin`).

``hypo-ci``
    Few examples (:data:`CI_EXAMPLES`), no deadline (fitting a model is slow and its time
    varies), ``derandomize=True`` (the same examples on every run, so CI never flakes; this
    also turns the example database off), ``print_blob=True`` (a failure prints the
    ``@reproduce_failure`` line) and no explain phase (it re-runs a failing test hundreds of
    times only to annotate the report: with a model fit per example, that costs minutes).
``hypo-thorough``
    Many examples (:data:`THOROUGH_EXAMPLES`), no deadline, random as usual: for a nightly job
    or before a release.

Both suppress only the ``too_slow`` health check, which large frames (thousands of rows per
example) trip without anything being wrong. Load one with ``pytest --hypothesis-profile=hypo-ci``
(the installed package's pytest plugin registers the profiles before pytest reads the option;
no ``conftest.py`` needed) or ``settings.load_profile("hypo-ci")``.
:func:`hypo_contracts.sklearn.check_pipeline` takes its example count from the loaded profile
unless you pass ``max_examples``.

>>> from hypothesis import settings
>>> import hypo_contracts
>>> ci = settings.get_profile("hypo-ci")
>>> (ci.max_examples, ci.deadline, ci.derandomize, ci.database)
(20, None, True, None)
>>> settings.get_profile("hypo-thorough").max_examples
500
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings

__all__ = ["CI", "CI_EXAMPLES", "THOROUGH", "THOROUGH_EXAMPLES"]

#: Profile names.
CI = "hypo-ci"
THOROUGH = "hypo-thorough"
#: Examples per test in each profile.
CI_EXAMPLES = 20
THOROUGH_EXAMPLES = 500

settings.register_profile(
    CI,
    max_examples=CI_EXAMPLES,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
    # no explain phase: it re-runs the failing test hundreds of times on variations of the
    # minimal frame only to print "or any other generated value"
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)
settings.register_profile(
    THOROUGH,
    max_examples=THOROUGH_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
