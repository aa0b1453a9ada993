"""Other data-frame engines: Polars frames (:mod:`hypo_contracts.engines.polars`) and big
datasets generated lazily with Dask (:mod:`hypo_contracts.engines.dask`). Both are extras
(``pip install 'hypo-contracts[polars]'``, ``[dask]``): nothing here is imported until used.
See docs/engines.md.
"""
