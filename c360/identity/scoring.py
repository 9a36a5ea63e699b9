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


def evidence_sql(spec: Specification, scored: str, identity_map: str, threshold: float) -> str:
    """One row per (link: a scored pair of profiles at or above the threshold in the same customer,
    comparison that had something to compare): the level, its label from the specification and the
    weight it added. Neutral comparisons (both values null) are left out by the unpivot."""
    names = [comparison.name for comparison in spec.comparisons]
    labels = ",\n        ".join(
        f"('{comparison.name}', {number}, '{level.label.replace(chr(39), chr(39) * 2)}')"
        for comparison in spec.comparisons for number, level in comparison.numbered_levels())
    columns = ", ".join(f"pairs.{name}_level, pairs.{name}_weight" for name in names)
    unpivot_on = ", ".join(f"({name}_level, {name}_weight) as {name}" for name in names)
    return f"""
with

profile_customers as (
    select distinct profile_id, customer_id from {identity_map}
),

links as (
    select
        customer_a.customer_id,
        pairs.profile_id_a,
        pairs.profile_id_b,
        pairs.match_probability,
        pairs.match_weight,
        pairs.prior_weight,
        {columns}
    from {scored} as pairs
    inner join profile_customers as customer_a on pairs.profile_id_a = customer_a.profile_id
    inner join profile_customers as customer_b on pairs.profile_id_b = customer_b.profile_id
    where customer_a.customer_id = customer_b.customer_id and pairs.match_probability >= {threshold}
),

evidence as (
    unpivot links
    on {unpivot_on}
    into name comparison value comparison_level, comparison_weight
),

level_labels as (
    select * from (values
        {labels}
    ) as level_labels(comparison, comparison_level, level_label)
)

select
    evidence.customer_id,
    evidence.profile_id_a,
    evidence.profile_id_b,
    evidence.match_probability,
    evidence.match_weight,
    evidence.prior_weight,
    evidence.comparison,
    evidence.comparison_level,
    level_labels.level_label,
    evidence.comparison_weight
from evidence
inner join level_labels
    on evidence.comparison = level_labels.comparison and evidence.comparison_level = level_labels.comparison_level
-- stored in customer order: reading one customer's evidence (the dashboard) skips the rest
order by evidence.customer_id
"""
