"""Each compared pair's match weight and probability, explainable comparison by comparison: the
`<comparison>_weight` columns (the level's log2(m/u) plus its term-frequency adjustment) add up,
with the prior, to `match_weight`. One pass over the pairs: the weights are one row of lists
indexed by level."""

from __future__ import annotations

from c360.identity.specification import Specification


def scored_pairs_sql(spec: Specification, compared: str, weights: str) -> str:
    tf = {comparison.name for comparison in spec.comparisons
          if any(level.tf_column for level in comparison.levels)}
    lists = ",\n        ".join(
        f"list(match_weight order by comparison_level) filter (where comparison = '{comparison.name}') "
        f"as {comparison.name}_weights" for comparison in spec.comparisons)
    weighted = ",\n        ".join(
        f"level_weights.{comparison.name}_weights[pairs.{comparison.name}_level + 1]"
        + (f" + pairs.{comparison.name}_tf_bits" if comparison.name in tf else "")
        + f" as {comparison.name}_weight" for comparison in spec.comparisons)
    total = "\n        + ".join(f"coalesce({comparison.name}_weight, 0)" for comparison in spec.comparisons)
    return f"""
with

level_weights as (
    select
        {lists},
        any_value(match_weight) filter (where comparison = 'prior') as prior_weight
    from {weights}
),

weighted as (
    select
        pairs.* exclude ({', '.join(f'{name}_tf_bits' for name in sorted(tf))}),
        {weighted},
        level_weights.prior_weight
    from {compared} as pairs
    cross join level_weights
),

scored as (
    select
        *,
        prior_weight
        + {total} as match_weight
    from weighted
)

select
    *,
    1 / (1 + pow(2, -match_weight)) as match_probability
from scored
"""
