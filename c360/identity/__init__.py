"""Identity resolution: one engine, one specification (see `specification` and `comparisons`).

The dbt models in models/intermediate/identity/ are thin adapters over `pipeline`'s stages.
"""
