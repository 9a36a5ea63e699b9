"""Each compared pair's match weight and probability, explainable comparison by comparison: the
`<comparison>_weight` columns (the level's log2(m/u) plus its term-frequency adjustment) add up,
with the prior, to `match_weight`. A comparison with a conditional u (the address between two
people with the same surname) takes its weight from the conditional row. One pass over the pairs:
the weights are one row of lists indexed by level."""

from __future__ import annotations

from c360.identity.specification import Specification


def scored_pairs_sql(spec: Specification, compared: str, weights: str) -> str:
    tf = {comparison.name for comparison in spec.comparisons
          if any(level.tf_column for level in comparison.levels)}
    conditionals = {conditional.comparison: conditional for conditional in spec.conditional_u}
    lists = ",\n        ".join(
        f"list(match_weight order by comparison_level) filter (where comparison = '{comparison.name}' "
        f"and given_comparison is null) as {comparison.name}_weights" for comparison in spec.comparisons)
    lists += "".join(
        f",\n        list(match_weight order by comparison_level) filter (where comparison = '{name}' "
        f"and given_comparison = '{conditional.label}') as {name}_given_weights"
        for name, conditional in conditionals.items())

    def level_weight(name: str) -> str:
        plain = f"level_weights.{name}_weights[pairs.{name}_level + 1]"
        if name not in conditionals:
            return plain
        agree = " and ".join(f"pairs.{given}_level = {spec.comparison(given).level_count - 1}"
                             for given in conditionals[name].given)
        return f"case when {agree} then level_weights.{name}_given_weights[pairs.{name}_level + 1] else {plain} end"
    weighted = ",\n        ".join(
        level_weight(comparison.name) + (f" + pairs.{comparison.name}_tf_bits" if comparison.name in tf else "")
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


def evidence_sql(spec: Specification, scored: str, identity_map: str) -> str:
    """One row per (scored pair of profiles in the same customer, comparison that had something to
    compare): the level, its label from the specification and the weight it added."""
    parts = []
    for comparison in spec.comparisons:
        labels = " ".join(f"when {number} then '{level.label.replace(chr(39), chr(39) * 2)}'"
                          for number, level in comparison.numbered_levels())
        parts.append(f"""
    select
        customer_pairs.*,
        '{comparison.name}' as comparison,
        pairs.{comparison.name}_level as comparison_level,
        case pairs.{comparison.name}_level {labels} end as level_label,
        pairs.{comparison.name}_weight as comparison_weight
    from customer_pairs
    inner join pairs on customer_pairs.pair_row = pairs.pair_row
    where pairs.{comparison.name}_level is not null""")
    return f"""
with

pairs as (
    select row_number() over () as pair_row, * from {scored}
),

profile_customers as (
    select distinct profile_id, customer_id from {identity_map}
),

customer_pairs as (
    select
        customer_a.customer_id,
        pairs.pair_row,
        pairs.profile_id_a,
        pairs.profile_id_b,
        pairs.match_probability,
        pairs.match_weight,
        pairs.prior_weight
    from pairs
    inner join profile_customers as customer_a on pairs.profile_id_a = customer_a.profile_id
    inner join profile_customers as customer_b on pairs.profile_id_b = customer_b.profile_id
    where customer_a.customer_id = customer_b.customer_id
),

evidence as ({' union all'.join(parts)}
)

select * exclude (pair_row) from evidence
order by customer_id, match_probability desc, profile_id_a, profile_id_b, comparison
"""
