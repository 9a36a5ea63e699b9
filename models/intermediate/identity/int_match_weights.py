"""Fellegi-Sunter parameters estimated from the data: one row per (comparison, level), plus the prior.

- u (how often two different people agree at a level by chance) from random profile pairs,
  each pattern weighted by its probability of being a non-match: a person has several
  profiles, so random pairs hold some true matches, which would otherwise inflate u for
  e-mail and phone and undervalue them.
- m (how often one person's records agree at a level) by EM in training sessions: the
  candidate pairs found by one blocking rule that agree fully on the comparisons it blocks on,
  which are held out (agreeing_pairs: not a household's shared e-mail compared as neutral).
  Each comparison's m is the mean over the sessions in which it was free. The full-name
  session reads the sample of full-name blocks kept whole (`is_training_sample`): the other
  full-name pairs are pruned of namesakes whose contact details disagree, which would hide
  the people who changed their e-mail.
- The match prior: the share of matches among all candidate pairs by EM with m and u fixed,
  scaled to the probability that two random profiles match (the weights are likelihood ratios
  against random pairs).
- u of an exact e-mail, phone or shop-activity agreement from the candidate pairs instead: a
  blocking rule pairs every two profiles that agree so (up to identity_max_block_size; larger
  blocks count as non-matches), so their expected non-matches over all possible pairs is the
  rate itself. The random sample cannot see a rate this small: one pseudo-count in 300k pairs
  is 3.6e-6, while at 100k people the truth is 2.6e-8 for e-mail (8e-9 at 1M people), so the
  sample understated the strongest evidence by 7 to 9 bits, more as the data grows.
- An exact e-mail made of the name (janesmith@) between two profiles whose names agree is
  weighed given the names (the `email_given_name` row): its u is how often namesakes who are
  surely different people (the full-name training sample's pairs in different countries or
  with different birthdays) share such an address. Counted as if independent of the name, it
  added 26 bits where it is worth 12 (at 300k people 40 in 180,928 such namesake pairs share
  one: 2.2e-4), and glued namesakes in different countries together.

EM runs on comparison-pattern counts (a few hundred rows), never on the pairs themselves.
"""

import numpy as np
import pyarrow as pa

COMPARISONS = ["first_name", "last_name", "email", "phone", "date_of_birth", "address", "shop_activity"]
# Levels per comparison: keep in step with the comparison_levels macro (tests/dbt checks it).
LEVELS = {"first_name": 4, "last_name": 4, "email": 3, "phone": 3, "date_of_birth": 3, "address": 7,
          "shop_activity": 2}
# Training sessions: a blocking rule and the comparisons it blocks on (held out of that session).
SESSIONS = {
    "email": ["email"],
    "phone": ["phone"],
    "full_name": ["first_name", "last_name"],
    "dob_first_name": ["date_of_birth", "first_name"],
}
# Sessions on rules whose pairs int_candidate_pairs_blocked prunes: they train on the sample kept whole.
SAMPLED_SESSIONS = {"full_name"}
# The blocking rules in the order of macros/identity.sql (blocking_rules(), then
# list_blocking_rules()): rule i is bit i of a candidate pair's blocking_rule_mask.
BLOCKING_RULES = [
    "email", "phone", "full_name", "name_any_order", "dob_last_soundex", "dob_first_name",
    "postcode_first_nysiis", "postcode_last_metaphone", "email_local_last_metaphone",
    "first_nysiis_last_name", "first_name_last_metaphone", "name_or_username", "shared_shop_activity",
]
# The level at which a comparison fully agrees: a session's pairs agree on its held-out comparisons.
TOP_LEVEL = {"first_name": 3, "last_name": 3, "email": 2, "phone": 2, "date_of_birth": 2}
# Levels a blocking rule finds every pair of (comparison -> (level, the profile column the rule
# blocks on)): their u is counted on the candidate pairs, not sampled (exhaustive_u). Shop
# activity keys are a list (a profile's account and orders), whose oversized blocks are not counted.
EXHAUSTIVE_LEVELS = {"email": (2, "email_match_key"), "phone": (2, "phone_e164"),
                     "shop_activity": (1, None)}
# The namesake e-mail u needs this many surely different namesake pairs; with fewer the e-mail
# keeps its plain weight (a small bring-your-own file has no such pairs to learn from).
MIN_NAMESAKE_PAIRS = 1000
SMOOTHING = 1.0  # pseudo-count per level: a level never seen gets a small, not a zero, probability


def level_counts(relation) -> tuple[np.ndarray, np.ndarray]:
    """(patterns, counts): each distinct pattern of levels (-1 = missing) and how many pairs have it."""
    columns = ", ".join(f"coalesce({c}_level, -1)" for c in COMPARISONS)
    table = relation.aggregate(f"{columns}, count(*) as pairs", columns).to_arrow_table()
    if table.num_rows == 0:
        return np.zeros((0, len(COMPARISONS)), dtype=np.int64), np.zeros(0)
    patterns = np.column_stack([table.column(i).to_numpy() for i in range(len(COMPARISONS))]).astype(np.int64)
    return patterns, table.column(len(COMPARISONS)).to_numpy().astype(np.float64)


def level_shares(patterns: np.ndarray, weights: np.ndarray, index: int) -> np.ndarray:
    column = patterns[:, index]
    totals = np.array([weights[column == level].sum() for level in range(LEVELS[COMPARISONS[index]])])
    totals = totals + SMOOTHING
    return totals / totals.sum()


def posterior(patterns, m, u, prior, active) -> np.ndarray:
    log_odds = np.full(len(patterns), np.log(prior / (1 - prior)))
    for index in active:
        column = patterns[:, index]
        present = column >= 0
        log_odds[present] += np.log(m[index][column[present]]) - np.log(u[index][column[present]])
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))


def em(patterns, counts, m, u, active, free, iterations=300) -> tuple[list[np.ndarray], float]:
    """EM over the `active` comparisons, updating m only for `free` ones; u stays fixed."""
    prior = 0.5
    m = [level.copy() for level in m]
    if counts.sum() == 0:  # nothing to learn from (e.g. a tiny bring-your-own file): keep the start
        return m, 0.0
    for _ in range(iterations):
        matched = posterior(patterns, m, u, prior, active) * counts
        new_prior = float(np.clip(matched.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        for index in free:
            m[index] = level_shares(patterns, matched, index)
        converged = abs(new_prior - prior) < 1e-10
        prior = new_prior
        if converged:
            break
    return m, prior


def check_session(rule: str, held_out: list[str], patterns: np.ndarray) -> None:
    """A session's pairs share its rule's keys, so they never disagree on a held-out comparison
    (missing or neutral is fine: a shared household e-mail). If they do, BLOCKING_RULES is out
    of step with the blocking_rules macro and the session holds another rule's pairs."""
    for comparison in held_out:
        column = patterns[:, COMPARISONS.index(comparison)]
        if ((column >= 0) & (column < TOP_LEVEL[comparison])).any():
            raise ValueError(
                f"training session {rule!r}: pairs flagged by its bit in blocking_rule_mask disagree on "
                f"{comparison}; make BLOCKING_RULES in int_match_weights.py list the rules in the order "
                "of blocking_rules() and list_blocking_rules() in macros/identity.sql")


def agreeing_pairs(held_out: list[str], patterns: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The session's patterns that agree fully on its held-out comparisons. A pair the rule found
    but compared as neutral (a household's shared e-mail or phone between two first names) is
    no sample of one person's records: in the e-mail session those households, thousands of
    pairs that share a surname and an address and disagree on the birthday, taught EM that one
    person's records disagree on the birthday 7% of the time (by the ground truth at 300k
    people, none of the 115,000 candidate pairs whose birthdays differ is one person)."""
    agree = np.ones(len(patterns), dtype=bool)
    for comparison in held_out:
        agree &= patterns[:, COMPARISONS.index(comparison)] == TOP_LEVEL[comparison]
    return patterns[agree], counts[agree]


def estimate_m(pairs, start: list[np.ndarray], u: list[np.ndarray]) -> list[np.ndarray]:
    """m per comparison: the mean over the training sessions in which it was free and seen. A
    session whose pairs never hold a comparison (no birthday pair has shop activity: birthdays
    come from CRM and shop accounts) would add only EM's pseudo-counts, 0.5 per level: that
    put one person's records at different shop accounts 16% of the time instead of 4-5%."""
    estimates: dict[int, list[np.ndarray]] = {index: [] for index in range(len(COMPARISONS))}
    for rule, held_out in SESSIONS.items():
        bit = 1 << BLOCKING_RULES.index(rule)
        sample = " and is_training_sample" if rule in SAMPLED_SESSIONS else ""
        patterns, counts = level_counts(pairs.filter(f"blocking_rule_mask & {bit} <> 0{sample}"))
        check_session(rule, held_out, patterns)
        patterns, counts = agreeing_pairs(held_out, patterns, counts)
        if counts.sum() == 0:
            continue
        free = [i for i, c in enumerate(COMPARISONS) if c not in held_out]
        m_session, _ = em(patterns, counts, start, u, active=free, free=free)
        for index in free:
            if counts[patterns[:, index] >= 0].sum() > 0:
                estimates[index].append(m_session[index])
    return [np.mean(estimates[i], axis=0) if estimates[i] else start[i] for i in range(len(COMPARISONS))]


def oversized_block_pairs(profiles, column: str, max_block_size: int) -> float:
    """Pairs that agree on `column` in blocks too large to pair (info@): non-matches, never candidates."""
    pairs = profiles.filter(f"{column} is not null and not is_test_account").aggregate(
        f"{column}, count(*) as holders", column).filter(f"holders > {max_block_size}").aggregate(
        "coalesce(sum(holders * (holders - 1) / 2), 0)").fetchall()[0][0]
    return float(pairs)


def exhaustive_u(patterns, counts, m, u, prior, possible_pairs, oversized) -> list[np.ndarray]:
    """u with each EXHAUSTIVE_LEVELS level replaced by its expected non-matches among the
    candidate pairs (plus the oversized blocks) over all possible pairs; the comparison's other
    levels keep their sampled shares of the rest."""
    non_match = counts * (1 - posterior(patterns, m, u, prior, list(range(len(COMPARISONS)))))
    u = [level.copy() for level in u]
    for comparison, (level, _) in EXHAUSTIVE_LEVELS.items():
        index = COMPARISONS.index(comparison)
        rate = (non_match[patterns[:, index] == level].sum() + oversized.get(comparison, 0.0) + SMOOTHING) / possible_pairs
        others = np.arange(len(u[index])) != level
        u[index][others] *= (1 - rate) / u[index][others].sum()
        u[index][level] = rate
    return u


def namesake_email_u(pairs, plain_u: float) -> float:
    """u of an exact e-mail made of the name given that the names agree: the share of surely
    different namesakes (full-name training sample, different countries or birthdays) sharing
    one. Never below the plain u, so conditioning can only lower the weight."""
    shared, namesakes = pairs.filter(
        "is_training_sample and is_namesake_email and email_level is not null"
        " and (address_level = 0 or date_of_birth_level = 0)"
    ).aggregate("count(*) filter (where email_level = 2), count(*)").fetchall()[0]
    if namesakes < MIN_NAMESAKE_PAIRS:
        return plain_u
    return max((shared + SMOOTHING) / (namesakes + SMOOTHING), plain_u)


def model(dbt, session):
    dbt.config(materialized="table")
    random_patterns, random_counts = level_counts(dbt.ref("int_random_pairs_compared"))
    u = [level_shares(random_patterns, random_counts, index) for index in range(len(COMPARISONS))]
    start = []
    for comparison in COMPARISONS:  # m starts at "agreement likely"
        levels = np.geomspace(1.0, 20.0, LEVELS[comparison])
        start.append(levels / levels.sum())

    pairs = dbt.ref("int_candidate_pairs_compared")
    patterns, counts = level_counts(pairs)
    profile_rows = dbt.ref("int_person_profiles")
    profiles = profile_rows.aggregate("count(*)").fetchall()[0][0]
    possible_pairs = max(profiles * (profiles - 1) / 2, 1.0)
    max_block_size = int(dbt.config.get("max_block_size"))
    oversized = {comparison: oversized_block_pairs(profile_rows, column, max_block_size)
                 for comparison, (_, column) in EXHAUSTIVE_LEVELS.items() if column}
    everything = list(range(len(COMPARISONS)))
    prior = 1e-4  # P(two random profiles match), refined below
    for _ in range(3):  # m given u; the prior; then u from random pairs net of their likely matches
                        # (and from the candidate pairs for exact contact agreement)
        m = estimate_m(pairs, start, u)
        _, candidate_match_share = em(patterns, counts, m, u, active=everything, free=[])
        prior = float(np.clip(candidate_match_share * counts.sum() / possible_pairs, 1e-12, 0.5))
        if random_counts.sum() == 0:
            break
        random_match = posterior(random_patterns, m, u, prior, everything)
        u = [level_shares(random_patterns, random_counts * (1 - random_match), index) for index in everything]
        u = exhaustive_u(patterns, counts, m, u, prior, possible_pairs, oversized)

    rows = [("prior", -1, prior, 1 - prior, float(np.log2(prior / (1 - prior))))]
    for index, comparison in enumerate(COMPARISONS):
        for level in range(LEVELS[comparison]):
            rows.append((comparison, level, float(m[index][level]), float(u[index][level]),
                         float(np.log2(m[index][level] / u[index][level]))))
    email, exact = COMPARISONS.index("email"), TOP_LEVEL["email"]
    namesake_u = namesake_email_u(pairs, float(u[email][exact]))
    rows.append(("email_given_name", exact, float(m[email][exact]), namesake_u,
                 float(np.log2(m[email][exact] / namesake_u))))
    names = ["comparison", "comparison_level", "m_probability", "u_probability", "match_weight"]
    types = [pa.string(), pa.int32(), pa.float64(), pa.float64(), pa.float64()]
    return pa.table({name: pa.array([row[i] for row in rows], kind)
                     for i, (name, kind) in enumerate(zip(names, types, strict=True))})
