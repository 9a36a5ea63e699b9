"""Fellegi-Sunter parameters estimated from the data at hand: m and u per comparison level, and the prior.

- u (how often two different people agree at a level by chance) from random profile pairs, each
  pattern weighted by its probability of being a non-match: a person has several profiles, so
  random pairs hold some true matches, which would otherwise inflate u for e-mail and phone.
- A level whose pairs all share a blocking rule's keys (`counted_by_rule`: the same e-mail,
  phone, identifier, address) has its u counted on all pairs instead: blocking pairs every two
  profiles that agree so (up to the block size; larger blocks count as non-matches), so the
  expected non-matches among the candidate pairs at that level, over all possible pairs, is the
  rate itself. A random sample cannot see a rate this small.
- m (how often one person's records agree at a level) by EM in training sessions: the candidate
  pairs one blocking rule finds that agree fully on the comparisons it blocks on, which are held
  out. A comparison's m is the mean over the sessions in which it was free and seen; sessions
  run on whatever columns the data has (a session with no pairs teaches nothing).
- The prior: the share of matches among all candidate pairs by EM with m and u fixed, scaled to
  the probability that two random profiles match (the weights are likelihood ratios against
  random pairs).

EM runs on comparison-pattern counts (a few hundred rows), never on the pairs themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from c360.identity.specification import Specification

SMOOTHING = 1.0  # pseudo-count per level: a level never seen gets a small, not a zero, probability


@dataclass
class Parameters:
    m: list[np.ndarray]
    u: list[np.ndarray]
    prior: float
    # per conditional u of the specification (by comparison): u among namesakes
    u_given: dict[str, np.ndarray] = field(default_factory=dict)

    def weights(self) -> list[np.ndarray]:
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]


def level_counts(relation: duckdb.DuckDBPyRelation, spec: Specification) -> tuple[np.ndarray, np.ndarray]:
    """(patterns, counts): each distinct pattern of levels (-1 = neutral) and how many pairs have it."""
    columns = ", ".join(f"coalesce({comparison.name}_level, -1)" for comparison in spec.comparisons)
    table = relation.aggregate(f"{columns}, count(*) as pairs", columns).to_arrow_table()
    if table.num_rows == 0:
        return np.zeros((0, len(spec.comparisons)), dtype=np.int64), np.zeros(0)
    patterns = np.column_stack([table.column(i).to_numpy() for i in range(len(spec.comparisons))]).astype(np.int64)
    return patterns, table.column(len(spec.comparisons)).to_numpy().astype(np.float64)


def level_shares(patterns: np.ndarray, weights: np.ndarray, index: int, levels: int,
                 prior: np.ndarray | None = None) -> np.ndarray:
    """Each level's share of the weighted pairs, smoothed by SMOOTHING pseudo-pairs per level (u),
    or for m by SMOOTHING pseudo-pairs in all, spread like `prior` (u): a level no match was seen at
    is evidence against, never for, and a small session is not pulled towards "different"."""
    column = patterns[:, index]
    pseudo = (SMOOTHING * prior / prior.sum()) if prior is not None else np.full(levels, SMOOTHING)
    totals = np.bincount(column[column >= 0], weights=weights[column >= 0], minlength=levels)[:levels] + pseudo
    return totals / totals.sum()


def posterior(patterns: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], prior: float,
              active: list[int]) -> np.ndarray:
    log_odds = np.full(len(patterns), np.log(prior / (1 - prior)))
    for index in active:
        column = patterns[:, index]
        present = column >= 0
        log_odds[present] += np.log(m[index][column[present]]) - np.log(u[index][column[present]])
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))


def em(patterns: np.ndarray, counts: np.ndarray, m: list[np.ndarray], u: list[np.ndarray], active: list[int],
       free: list[int], iterations: int = 300) -> tuple[list[np.ndarray], float]:
    """EM over the `active` comparisons, updating m only for `free` ones; u stays fixed."""
    prior = 0.5
    m = [level.copy() for level in m]
    if counts.sum() == 0:
        return m, 0.0
    for _ in range(iterations):
        matched = posterior(patterns, m, u, prior, active) * counts
        new_prior = float(np.clip(matched.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        for index in free:
            m[index] = level_shares(patterns, matched, index, len(m[index]), prior=u[index])
        converged = abs(new_prior - prior) < 1e-10
        prior = new_prior
        if converged:
            break
    return m, prior


def top_level(spec: Specification, name: str) -> int:
    return spec.comparison(name).level_count - 1


def agreeing_pairs(spec: Specification, held_out: tuple[str, ...], patterns: np.ndarray,
                   counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The session's patterns that agree fully on its held-out comparisons. A pair the rule found
    but compared as neutral (a household's shared e-mail between two first names) is no sample
    of one person's records."""
    agree = np.ones(len(patterns), dtype=bool)
    names = [comparison.name for comparison in spec.comparisons]
    for comparison in held_out:
        agree &= patterns[:, names.index(comparison)] == top_level(spec, comparison)
    return patterns[agree], counts[agree]


def estimate_m(spec: Specification, pairs: duckdb.DuckDBPyRelation, start: list[np.ndarray],
               u: list[np.ndarray]) -> list[np.ndarray]:
    """m per comparison: the mean over the training sessions in which it was free and seen. A
    session whose pairs never hold a comparison would add only EM's pseudo-counts."""
    names = [comparison.name for comparison in spec.comparisons]
    estimates: dict[int, list[np.ndarray]] = {index: [] for index in range(len(names))}
    for session in spec.training_sessions:
        sample = " and is_training_sample" if session.sampled else ""
        patterns, counts = level_counts(
            pairs.filter(f"blocking_rule_mask & {spec.rule_bit(session.rule)} <> 0{sample}"), spec)
        patterns, counts = agreeing_pairs(spec, session.held_out, patterns, counts)
        if counts.sum() == 0:
            continue
        free = [index for index, name in enumerate(names) if name not in session.held_out]
        m_session, _ = em(patterns, counts, start, u, active=free, free=free)
        for index in free:
            if counts[patterns[:, index] >= 0].sum() > 0:
                estimates[index].append(m_session[index])
    return [np.mean(estimates[i], axis=0) if estimates[i] else start[i] for i in range(len(names))]


def oversized_block_pairs(spec: Specification, profiles: duckdb.DuckDBPyRelation, rule_name: str,
                          max_block_size: int) -> float:
    """Pairs that share a rule's keys in blocks too large to pair (info@): non-matches, never candidates."""
    rule = next(rule for rule in spec.blocking_rules if rule.name == rule_name)
    if rule.is_list:
        keys, source = "block_key", profiles.filter("not is_test_account").project(
            f"unnest({rule.keys[0]}) as block_key")
    else:
        keys = ", ".join(rule.keys)
        source = profiles.filter(" and ".join(f"{key} is not null" for key in rule.keys) + " and not is_test_account")
    pairs = source.aggregate(f"{keys}, count(*) as holders", keys).filter(f"holders > {max_block_size}").aggregate(
        "coalesce(sum(holders * (holders - 1) / 2), 0)").fetchall()[0][0]
    return float(pairs)


def counted_u(spec: Specification, patterns: np.ndarray, counts: np.ndarray, parameters: Parameters,
              possible_pairs: float, oversized: dict[str, float]) -> list[np.ndarray]:
    """u with each `counted_by_rule` level replaced by its expected non-matches among the
    candidate pairs (plus the rule's oversized blocks) over all possible pairs; the comparison's
    other levels keep their sampled shares of the rest."""
    everything = list(range(len(spec.comparisons)))
    non_match = counts * (1 - posterior(patterns, parameters.m, parameters.u, parameters.prior, everything))
    u = [level.copy() for level in parameters.u]
    for index, comparison in enumerate(spec.comparisons):
        for number, level in comparison.numbered_levels():
            if not level.counted_by_rule:
                continue
            # at most one pair in two: in a file of a handful of records the pseudo-count would
            # otherwise make agreement the norm
            rate = min((non_match[patterns[:, index] == number].sum() + oversized.get(level.counted_by_rule, 0.0)
                        + SMOOTHING) / possible_pairs, 0.5)
            others = np.arange(len(u[index])) != number
            u[index][others] *= (1 - rate) / u[index][others].sum()
            u[index][number] = rate
    return u


def conditional_u(spec: Specification, parameters: Parameters, patterns: np.ndarray, counts: np.ndarray,
                  index: int, pseudo_pairs: float) -> np.ndarray:
    """u of comparison `index` among random namesake pairs, each weighted by its non-match
    posterior, smoothed towards the unconditional u with as many pseudo-pairs as the unconditional
    sample has: where namesakes are few (a small file) the unconditional u stands, where they are
    many (households) the data decides."""
    non_match = counts * (1 - posterior(patterns, parameters.m, parameters.u, parameters.prior,
                                        list(range(len(spec.comparisons)))))
    column = patterns[:, index]
    levels = len(parameters.u[index])
    seen = np.bincount(column[column >= 0], weights=non_match[column >= 0], minlength=levels)[:levels]
    smoothed = seen + max(pseudo_pairs, SMOOTHING) * parameters.u[index]
    return smoothed / smoothed.sum()


def estimate(spec: Specification, candidate_pairs: duckdb.DuckDBPyRelation, random_pairs: duckdb.DuckDBPyRelation,
             profiles: duckdb.DuckDBPyRelation, max_block_size: int,
             namesake_pairs: dict[str, duckdb.DuckDBPyRelation] | None = None) -> Parameters:
    """m, u and the prior from the data: candidate pairs (compared), random pairs (compared),
    profiles, and for each conditional u of the specification its random namesake pairs (compared)."""
    levels = [comparison.level_count for comparison in spec.comparisons]
    everything = list(range(len(levels)))
    random_patterns, random_counts = level_counts(random_pairs, spec)
    u = [level_shares(random_patterns, random_counts, index, levels[index]) for index in everything]
    start = [np.geomspace(1.0, 20.0, count) / np.geomspace(1.0, 20.0, count).sum() for count in levels]
    patterns, counts = level_counts(candidate_pairs, spec)
    profile_count = profiles.filter("not is_test_account").aggregate("count(*)").fetchall()[0][0]
    possible_pairs = max(profile_count * (profile_count - 1) / 2, 1.0)
    rules = {level.counted_by_rule for comparison in spec.comparisons for level in comparison.levels
             if level.counted_by_rule}
    oversized = {rule: oversized_block_pairs(spec, profiles, rule, max_block_size) for rule in sorted(rules)}
    parameters = Parameters(m=start, u=u, prior=1e-4)
    for _ in range(3):  # m given u; the prior; then u net of the likely matches, and counted where it can be
        parameters.m = estimate_m(spec, candidate_pairs, start, parameters.u)
        _, candidate_match_share = em(patterns, counts, parameters.m, parameters.u, active=everything, free=[])
        parameters.prior = float(np.clip(candidate_match_share * counts.sum() / possible_pairs, 1e-12, 0.5))
        if random_counts.sum() == 0:
            break
        random_match = posterior(random_patterns, parameters.m, parameters.u, parameters.prior, everything)
        parameters.u = [level_shares(random_patterns, random_counts * (1 - random_match), index, levels[index])
                        for index in everything]
        parameters.u = counted_u(spec, patterns, counts, parameters, possible_pairs, oversized)
    names = [comparison.name for comparison in spec.comparisons]
    for conditional in spec.conditional_u:
        namesake_patterns, namesake_counts = level_counts((namesake_pairs or {})[conditional.comparison], spec)
        parameters.u_given[conditional.comparison] = conditional_u(
            spec, parameters, namesake_patterns, namesake_counts, names.index(conditional.comparison),
            pseudo_pairs=float(random_counts.sum()))
    return parameters


WEIGHT_SCHEMA = pa.schema([
    ("comparison", pa.string()), ("comparison_level", pa.int32()), ("level_label", pa.string()),
    ("given_comparison", pa.string()), ("m_probability", pa.float64()), ("u_probability", pa.float64()),
    ("match_weight", pa.float64()),
])


def weights_table(spec: Specification, parameters: Parameters) -> pa.Table:
    """One row per (comparison, level) plus the prior (comparison 'prior', level -1), and per
    conditional u one row per level of its comparison with `given_comparison` set."""
    prior = parameters.prior
    rows = [("prior", -1, "two random profiles match", None, prior, 1 - prior, float(np.log2(prior / (1 - prior))))]
    given = {conditional.comparison: conditional.label for conditional in spec.conditional_u}
    for index, comparison in enumerate(spec.comparisons):
        labels = comparison.labels()
        variants = [(None, parameters.u[index])]
        if comparison.name in parameters.u_given:
            variants.append((given[comparison.name], parameters.u_given[comparison.name]))
        for given_comparison, u_levels in variants:
            for level in range(comparison.level_count):
                m, u = float(parameters.m[index][level]), float(u_levels[level])
                rows.append((comparison.name, level, labels[level], given_comparison, m, u, float(np.log2(m / u))))
    return pa.table({field.name: pa.array([row[i] for row in rows], field.type)
                     for i, field in enumerate(WEIGHT_SCHEMA)})
