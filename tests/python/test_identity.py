"""Identity resolution on the real pipeline: accuracy against ground truth and stable ids."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pytest
from conftest import PEOPLE, SEED, run_dbt, run_ingest, write_config

from c360.evaluate import evaluate
from c360.udfs import phone_e164_one

# Floors for the small test demo (PEOPLE people); `make eval` / `make bench` report the real figures.
MIN_PAIRWISE_F1 = 0.97
# True record pairs the candidate pairs connect: namesake pairs with other contact details are
# pruned by design, so pairs missed directly but joined through the person's other records count.
MIN_REACHABLE_RECALL = 0.98
MAX_LARGEST_CLUSTER = 60  # records: a loyal customer's many payments are one customer


def identity_map(warehouse) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select person_record_id, customer_id from marts.customer_identity_map").fetchall())


def test_accuracy_against_ground_truth(built_warehouse):
    warehouse, data_dir, _ = built_warehouse
    copy = warehouse.parent / "evaluated.duckdb"
    shutil.copy(warehouse, copy)  # evaluate writes the eval schema
    metrics = evaluate(copy, data_dir / "ground_truth")
    assert metrics["pairwise_f1"] >= MIN_PAIRWISE_F1, metrics
    assert metrics["reachable_recall"] >= MIN_REACHABLE_RECALL, metrics
    assert metrics["largest_cluster"] <= MAX_LARGEST_CLUSTER, metrics
    # no chaining: no customer holds more distinct record variants than the largest real person
    assert metrics["largest_cluster_profiles"] <= metrics["largest_true_cluster_profiles"], metrics
    assert metrics["customers"] < metrics["records"]  # records really were merged


def test_email_clicks_tie_subscribers_to_their_own_accounts(built_warehouse):
    """Every subscriber-account link from click-through sessions is right by the ground truth
    (all 8,982 were at 100k people), and there are some to check."""
    warehouse, data_dir, _ = built_warehouse
    truth = str(data_dir / "ground_truth" / "person_records_*.csv")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        links, right = con.execute(
            """
            with truth as (select * from read_csv($truth, all_varchar = true))
            select count(*), count(*) filter (where subscriber.person_id = account.person_id)
            from intermediate.int_email_clicks_linked as links
            inner join truth as subscriber
                on subscriber.source_system = 'email' and subscriber.source_record_id = links.subscriber_id
            inner join truth as account
                on account.source_system = 'shop' and account.source_record_id = cast(links.shop_customer_id as varchar)
            """, {"truth": truth}).fetchall()[0]
    assert links >= 10
    assert right == links


def test_ids_survive_a_full_rebuild(built_warehouse, tmp_path):
    warehouse, _, _ = built_warehouse
    rebuilt = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, rebuilt)
    result = run_dbt(["build", "--full-refresh"], rebuilt, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert identity_map(rebuilt) == identity_map(warehouse)
    # the same data gives the same model: every estimated weight (random pairs included) repeats
    before, after = match_weights(warehouse), match_weights(rebuilt)
    assert before.keys() == after.keys()
    for level, weight in before.items():
        assert after[level] == pytest.approx(weight, rel=1e-9, abs=1e-12), level


def match_weights(warehouse) -> dict[tuple[str, int], tuple[float, float]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select comparison, comparison_level, m_probability, u_probability "
                           "from intermediate.int_match_weights").fetchall()
    return {(comparison, level): (m, u) for comparison, level, m, u in rows}


def test_ids_survive_a_later_batch(demo_copy, tmp_path, monkeypatch):
    from ingest.demo.generate import generate

    warehouse = tmp_path / "warehouse.duckdb"
    run_ingest(write_config(tmp_path / "run.yml", demo_copy), warehouse, monkeypatch)
    assert run_dbt(["build"], warehouse, tmp_path).returncode == 0
    before = identity_map(warehouse)

    generate(demo_copy, people=PEOPLE, seed=SEED, batch=2)
    run_ingest(write_config(tmp_path / "run2.yml", demo_copy, batch=2), warehouse, monkeypatch)
    result = run_dbt(["build"], warehouse, tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    after = identity_map(warehouse)
    assert len(after) > len(before)  # the batch brought new person records
    kept = sum(after.get(record) == customer for record, customer in before.items())
    # Ids change only where a new record proves two customers were one person (a merge).
    assert kept / len(before) >= 0.97, kept / len(before)
    # The change log accounts for every record that moved, customer to customer.
    moved = {(customer, after[record]) for record, customer in before.items() if after[record] != customer}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        logged = con.execute("select from_customer_id, to_customer_id, records_moved, change_type "
                             "from marts.customer_id_changes").fetchall()
    assert {(source, target) for source, target, _, _ in logged} == moved
    assert sum(records for _, _, records, _ in logged) == len(before) - kept
    assert moved and {kind for *_, kind in logged} <= {"merge", "split"}


@pytest.mark.parametrize(("raw", "regions", "expected"), [
    ("07572 798920", "GB", "+447572798920"),
    ("+44 7572 798920", "US", "+447572798920"),  # an explicit country code wins over the region
    ("(415) 555-2671", "GB,US", "+14155552671"),  # no country: regions tried in order
    ("0000000000", "GB", None),
    ("123", "GB", None),
    (None, "GB", None),
])
def test_phone_e164(raw, regions, expected):
    assert phone_e164_one(raw, regions) == expected


def load_match_weights_model():
    """The int_match_weights dbt Python model as a module (its functions are plain numpy)."""
    import importlib.util

    from ingest.settings import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location(
        "weights", PROJECT_ROOT / "models" / "intermediate" / "identity" / "int_match_weights.py")
    weights = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(weights)
    return weights


def test_exact_contact_u_counts_the_non_matching_candidate_pairs():
    """u of an exact e-mail agreement is the candidate pairs' likely non-matches at that level
    plus the pairs of blocks too large to pair, over all possible pairs; the other levels keep
    their proportions and every comparison's u still sums to 1."""
    weights = load_match_weights_model()
    weights.COMPARISONS = ["email", "phone", "shop_activity"]
    m = [np.array([0.1, 0.1, 0.8]), np.array([0.001, 0.1, 0.899]), np.array([0.001, 0.999])]
    u = [np.array([0.98, 0.01, 0.01]), np.array([0.98, 0.01, 0.01]), np.array([0.999, 0.001])]
    # matches agree on everything; ten namesakes share only an e-mail; most pairs share nothing
    patterns = np.array([[2, 2, 1], [2, 0, 0], [0, 0, 0]])
    counts = np.array([1000.0, 10.0, 5000.0])
    estimated = weights.exhaustive_u(patterns, counts, m, u, prior=1e-3, possible_pairs=1e6,
                                     oversized={"email": 40.0})
    assert estimated[0][2] == pytest.approx((10 + 40 + weights.SMOOTHING) / 1e6, rel=0.01)
    assert estimated[1][2] == pytest.approx(weights.SMOOTHING / 1e6, rel=0.2)
    assert estimated[2][1] == pytest.approx(weights.SMOOTHING / 1e6, rel=0.2)
    assert estimated[0][0] / estimated[0][1] == pytest.approx(98)
    for level_u in estimated:
        assert level_u.sum() == pytest.approx(1)


def test_training_sessions_keep_the_pairs_that_agree_on_what_they_block_on():
    """The e-mail session trains on pairs with the same e-mail only: a household's shared address
    compared as neutral (missing) under two first names is no sample of one person's records."""
    weights = load_match_weights_model()
    email, birthday = weights.COMPARISONS.index("email"), weights.COMPARISONS.index("date_of_birth")
    patterns = np.full((3, len(weights.COMPARISONS)), -1)
    patterns[:, email] = [2, -1, 2]
    patterns[:, birthday] = [2, 0, 0]
    kept, counts = weights.agreeing_pairs(["email"], patterns, np.array([90.0, 40.0, 1.0]))
    assert kept[:, birthday].tolist() == [2, 0]
    assert counts.tolist() == [90.0, 1.0]


def test_a_session_that_never_sees_a_comparison_does_not_estimate_its_m():
    """m of shop activity is the e-mail session's (1 in 20 pairs disagree), not averaged with the
    pseudo-counts of a birthday session whose pairs never hold shop activity."""
    weights = load_match_weights_model()
    con = duckdb.connect()
    levels = ", ".join(f"{comparison}_level int" for comparison in weights.COMPARISONS)
    con.execute(f"create table pairs (blocking_rule_mask int, is_training_sample boolean, {levels})")
    email_bit = 1 << weights.BLOCKING_RULES.index("email")
    birthday_bit = 1 << weights.BLOCKING_RULES.index("dob_first_name")
    # one person's records: e-mail pairs, shop activity shared by 19 in 20; birthday pairs, no shop activity
    con.execute(f"insert into pairs select {email_bit}, false, 3, 3, 2, 2, null, 6, if(i % 20 = 0, 0, 1) "
                "from range(2000) as t(i)")
    con.execute(f"insert into pairs select {birthday_bit}, false, 3, 3, null, 2, 2, 6, null from range(2000)")
    start = [np.geomspace(1.0, 20.0, weights.LEVELS[c]) / np.geomspace(1.0, 20.0, weights.LEVELS[c]).sum()
             for c in weights.COMPARISONS]
    u = [np.full(weights.LEVELS[c], 1.0 / weights.LEVELS[c]) for c in weights.COMPARISONS]
    for level_u in u:
        level_u[-1] = 1e-6
        level_u /= level_u.sum()
    m = weights.estimate_m(con.table("pairs"), start, u)
    shop = weights.COMPARISONS.index("shop_activity")
    assert m[shop][0] == pytest.approx(0.05, abs=0.01)


def test_namesake_email_u_counts_surely_different_namesakes():
    """u of an e-mail made of the name, given the names agree, is the share of surely different
    namesakes in the training sample (other country or birthday) who share one; never below the
    plain u; the plain u when too few namesakes to count from."""
    weights = load_match_weights_model()
    con = duckdb.connect()
    con.execute("create table pairs (is_training_sample boolean, email_level int, address_level int, "
                "date_of_birth_level int, is_namesake_email boolean)")
    # 1,999 namesakes in two countries, 3 of them with the same address; 1,000 with other birthdays, 1 sharing
    con.execute("insert into pairs select true, if(i < 3, 2, 0), 0, null, true from range(1999) as t(i)")
    con.execute("insert into pairs select true, if(i < 1, 2, 0), 1, 0, true from range(1000) as t(i)")
    # not counted: may be one person (same country, no birthday), outside the sample, not
    # namesakes with a name-made e-mail (another first name, a personal username), an e-mail missing
    con.execute("insert into pairs select true, 2, 2, null, true from range(500)")
    con.execute("insert into pairs select false, 2, 0, null, true from range(500)")
    con.execute("insert into pairs select true, 2, 0, null, false from range(1000)")
    con.execute("insert into pairs select true, null, 0, 0, true from range(500)")
    pairs = con.table("pairs")
    expected = (4 + weights.SMOOTHING) / (2999 + weights.SMOOTHING)
    assert weights.namesake_email_u(pairs, plain_u=1e-8) == pytest.approx(expected)
    assert weights.namesake_email_u(pairs, plain_u=0.01) == 0.01
    few = pairs.filter("address_level = 0 and date_of_birth_level is null and is_training_sample").limit(999)
    assert weights.namesake_email_u(few, plain_u=1e-8) == 1e-8


def test_em_recovers_known_parameters():
    """Simulated comparison patterns with known m and u: the estimate lands close to them."""
    weights = load_match_weights_model()
    rng = np.random.default_rng(3)
    true_m = [np.array([0.05, 0.95]), np.array([0.1, 0.9]), np.array([0.2, 0.8])]
    true_u = [np.array([0.9, 0.1]), np.array([0.8, 0.2]), np.array([0.95, 0.05])]
    matches = rng.random(20_000) < 0.3
    patterns = np.column_stack([
        np.where(matches, rng.random(20_000) < m[1], rng.random(20_000) < u[1]).astype(np.int64)
        for m, u in zip(true_m, true_u, strict=True)
    ])
    keys, counts = np.unique(patterns, axis=0, return_counts=True)
    weights.COMPARISONS = ["a", "b", "c"]
    weights.LEVELS = {"a": 2, "b": 2, "c": 2}
    m, share = weights.em(keys, counts.astype(float), [np.array([0.3, 0.7])] * 3, true_u,
                          active=[0, 1, 2], free=[0, 1, 2])
    assert share == pytest.approx(0.3, abs=0.02)
    for estimated, expected in zip(m, true_m, strict=True):
        assert estimated[1] == pytest.approx(expected[1], abs=0.03)
