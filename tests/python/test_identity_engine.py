"""The identity engine (c360/identity/) unit by unit, on hand-made rows in an in-memory DuckDB."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from c360.identity import clustering, estimation, pipeline
from c360.identity.blocking import candidate_pairs_sql
from c360.identity.comparing import compared_pairs_sql
from c360.identity.comparisons import DEFAULT
from c360.identity.keys import street_key
from c360.identity.names import nicknames_sql
from c360.identity.specification import BlockingRule, Comparison, Level, Specification, TrainingSession
from c360.udfs import register

SETTINGS = pipeline.Settings(max_block_size=100, max_name_block_size=30, random_pairs=1000, link_threshold=0.85,
                             max_cluster_profiles=40)
RECORD_COLUMNS = {
    "person_record_id": "varchar", "source_system": "varchar", "source_record_id": "varchar",
    "first_name": "varchar", "last_name": "varchar", "email": "varchar", "email_match_key": "varchar",
    "phone_e164": "varchar", "date_of_birth": "date", "address_line1": "varchar", "city": "varchar",
    "state": "varchar", "postcode": "varchar", "country_code": "varchar", "identifiers": "varchar[]",
    "created_at": "timestamp", "updated_at": "timestamp", "is_test_account": "boolean",
    "shop_activity_keys": "varchar[]",
}


@pytest.fixture()
def con():
    connection = duckdb.connect()
    register(connection)
    connection.execute("create table nicknames (nickname varchar, canonical_name varchar)")
    connection.execute("insert into nicknames values ('doug', 'douglas'), ('harry', 'harold'), ('harry', 'henry'), "
                       "('bill', 'william'), ('sophie', 'sophia')")
    yield connection
    connection.close()


def records_table(con: duckdb.DuckDBPyConnection, rows: list[dict], name: str = "records") -> str:
    """A records relation in the canonical shape; columns a row does not give are null."""
    columns = ", ".join(f"{column} {kind}" for column, kind in RECORD_COLUMNS.items())
    con.execute(f"create or replace table {name} ({columns})")
    for number, row in enumerate(rows):
        values = {"person_record_id": f"test:{number}", "source_system": "test", "source_record_id": str(number),
                  "is_test_account": False, **row}
        con.execute(f"insert into {name} ({', '.join(values)}) values ({', '.join('?' for _ in values)})",
                    list(values.values()))
    return name


def profiles_of(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> str:
    records = records_table(con, rows)
    con.execute(f"create or replace table keys as {pipeline.match_keys(con, records, 'nicknames').sql_query()}")
    con.execute(f"create or replace table profiles as {pipeline.profiles(con, 'keys', SETTINGS).sql_query()}")
    return "profiles"


def compare(con: duckdb.DuckDBPyConnection, rows: list[dict], pairs: list[tuple[int, int]]) -> list[dict]:
    """The comparison levels of record pairs (record positions in `rows`, one profile each)."""
    profiles_of(con, rows)
    numbers = dict(con.execute("select keys.source_record_id::int, profiles.profile_number from keys "
                               "join profiles using (profile_id)").fetchall())
    con.register("pairs_input", pa.table({
        "profile_number_a": [numbers[a] for a, _ in pairs], "profile_number_b": [numbers[b] for _, b in pairs],
        "blocking_rule_mask": [0] * len(pairs), "is_training_sample": [False] * len(pairs)}))
    table = con.sql(compared_pairs_sql(DEFAULT, "pairs_input", "profiles")).to_arrow_table().to_pylist()
    by_numbers = {(row["profile_number_a"], row["profile_number_b"]): row for row in table}
    return [by_numbers[(numbers[a], numbers[b])] for a, b in pairs]


def letters(number: int) -> str:
    """A distinct suffix of letters (match keys keep letters only: Town1 and Town2 are one town)."""
    return chr(97 + number % 26) + chr(97 + number // 26 % 26)


def label(comparison: str, level: int | None) -> str | None:
    return None if level is None else DEFAULT.comparison(comparison).labels()[level]


# --- the specification ---------------------------------------------------------------------------

def test_a_comparison_numbers_its_levels_from_the_strongest_and_neutral_levels_yield_null():
    comparison = Comparison(
        name="colour", description="", missing="{a}.colour is null or {b}.colour is null",
        levels=(Level("same", "{a}.colour = {b}.colour"), Level("both grey", "{a}.colour like 'grey%'", neutral=True),
                Level("similar", "left({a}.colour, 1) = left({b}.colour, 1)")))
    assert comparison.labels() == {2: "same", 1: "similar", 0: "different"}
    assert comparison.level_count == 3
    assert comparison.columns() == {"colour"}
    con = duckdb.connect()
    con.execute("create table pairs as select * from (values ('red', 'red'), ('grey', 'green'), ('green', 'gold'),"
                " ('red', 'blue'), (null, 'red')) as t(left_colour, right_colour)")
    sql = comparison.case_sql("l", "r").replace("l.colour", "left_colour").replace("r.colour", "right_colour")
    assert [row[0] for row in con.execute(f"select {sql} from pairs").fetchall()] == [2, None, 1, 0, None]


def test_the_specification_refuses_sessions_and_counted_levels_on_rules_it_does_not_have():
    comparison = Comparison("name", "", "false", (Level("same", "true", counted_by_rule="nowhere"),))
    with pytest.raises(ValueError, match="unknown rule 'nowhere'"):
        Specification((comparison,), (BlockingRule("name", ("name",)),), ())
    with pytest.raises(ValueError, match="unknown blocking rule"):
        Specification((), (BlockingRule("name", ("name",)),), (TrainingSession("email", ()),))


def test_every_blocking_rule_key_and_comparison_column_is_a_profile_column(con):
    profiles_of(con, [{"first_name": "Ann", "last_name": "Lee"}])
    columns = {row[0] for row in con.execute("describe profiles").fetchall()}
    keys = {key for rule in DEFAULT.blocking_rules for key in rule.keys}
    assert keys <= columns
    assert set(DEFAULT.comparison_columns()) <= columns


# --- match keys and profiles ---------------------------------------------------------------------

@pytest.mark.parametrize(("street", "expected"), [
    ("Flat 24, 173 Blumenstraße", "173 blumenstr"),
    ("36 Springfield Drive", "36 springfield dr"),
    ("12  Tullaroop Street", "12 tullaroop st"),
])
def test_street_keys(street, expected):
    assert duckdb.sql(f"select {street_key('$street')}", params={"street": street}).fetchall()[0][0] == expected


def test_match_keys_fold_names_split_the_street_and_ignore_impossible_birth_dates(con):
    records_table(con, [
        {"first_name": "Seán", "last_name": "O'Brien", "address_line1": "12B Main Street", "postcode": "d01 ywdr",
         "date_of_birth": "1962-04-16"},
        {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "0084-07-05"},  # a two-digit year read as 84
    ])
    rows = pipeline.match_keys(con, "records", "nicknames").to_arrow_table().to_pylist()
    assert (rows[0]["first_key"], rows[0]["last_key"]) == ("sean", "obrien")
    assert (rows[0]["street_number"], rows[0]["street_name"], rows[0]["postcode_key"]) == ("12b", "main st", "D01YWDR")
    assert rows[0]["birth_text"] == "19620416"
    assert rows[1]["date_of_birth"] is None


def test_a_username_made_of_the_name_is_recognised_as_typed_and_folded(con):
    """Made of the name: the first name or holding the surname, as typed or with German spellings
    folded (paul.mueller for Müller). Folding alone would miss names it breaks across their parts:
    jessicaevans folds to jessicavans, aedwards to adwards."""
    records_table(con, [
        {"first_name": "Paul", "last_name": "Müller", "email_match_key": "paul.mueller@web.de"},
        {"first_name": "Jessica", "last_name": "Evans", "email_match_key": "jessicaevans@live.co.uk"},
        {"first_name": "Amanda", "last_name": "Edwards", "email_match_key": "aedwards@outlook.com"},
        {"first_name": "Hugo", "last_name": "Bauer", "email_match_key": "hugo@bauer-tech.de"},
        {"first_name": "Jessica", "last_name": "Evans", "email_match_key": "coolcat77@gmail.com"},
    ])
    rows = pipeline.match_keys(con, "records", "nicknames").order("source_record_id::int").to_arrow_table()
    assert rows.column("is_email_local_name_derived").to_pylist() == [True, True, True, True, False]


def test_a_contact_is_shared_only_when_its_first_names_cannot_be_one_person(con):
    """Marie and Michel are two people; a nickname and any of its full forms (Harry: Harold or
    Henry), a typo of the full form (Doug, Doiglas), two letters swapped (Roy, Ryo) and a lone
    surname (Booth) are not. An office address held by more profiles than a block holds is shared."""
    people = [("Marie", "Morel", "mmorel@example.fr", None), ("Michel", "Morel", "mmorel@example.fr", None),
              ("Harry", "Butler", "hbutler@example.com", None), ("Henry", "Butler", "hbutler@example.com", None),
              ("Doug", "Smith", "dsmith@example.com", None), ("Doiglas", "Smith", "dsmith@example.com", None),
              ("Roy", "Jones", None, "+447700900001"), ("Ryo", "Jones", None, "+447700900001"),
              ("Mary", "Boogh", None, "+447700900002"), ("Booth", None, None, "+447700900002")]
    rows = [{"first_name": first, "last_name": last, "email_match_key": email, "phone_e164": phone}
            for first, last, email, phone in people]
    rows += [{"first_name": "Ann", "last_name": f"Work{letters(number)}",
              "email_match_key": "info@office.example"} for number in range(SETTINGS.max_block_size + 1)]
    profiles_of(con, rows)
    flags = dict(con.execute("select first_key || coalesce(last_key, ''), is_email_shared or is_phone_shared "
                             "from profiles").fetchall())
    assert flags["mariemorel"] and flags["michelmorel"]
    assert not any(flags[name] for name in ("harrybutler", "henrybutler", "dougsmith", "doiglassmith", "royjones",
                                            "ryojones", "maryboogh", "booth"))
    assert flags["annworkaa"]


# --- comparisons ---------------------------------------------------------------------------------

def test_names_agree_when_swapped_and_nicknames_meet_their_full_form(con):
    """Nicknames come from the seed and the `nicknames` package: Peggy is in the package only."""
    con.execute(f"create or replace table nicknames as {nicknames_sql(con, 'nicknames').sql_query()}")
    rows = [{"first_name": "Sophie", "last_name": "Snell"}, {"first_name": "Snell", "last_name": "Sophie"},
            {"first_name": "Bill", "last_name": "Turner"}, {"first_name": "William", "last_name": "Turner"},
            {"first_name": "Maxin", "last_name": "Musolino"}, {"first_name": "Musolino", "last_name": "Maxni"},
            {"first_name": "Peggy", "last_name": "Hart"}, {"first_name": "Margaret", "last_name": "Hart"},
            {"first_name": "Bob", "last_name": "Hart"}, {"first_name": "Rob", "last_name": "Hart"}]
    swapped, nickname, swapped_with_typos, package, shared = compare(
        con, rows, [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)])
    assert label("first_name", swapped["first_name_level"]) == "same name or swapped"
    assert label("last_name", swapped["last_name_level"]) == "same name or swapped"
    assert label("first_name", nickname["first_name_level"]) == "nickname of the same name"
    assert label("first_name", package["first_name_level"]) == "nickname of the same name"
    assert label("first_name", shared["first_name_level"]) == "nickname of the same name"  # both stand for Robert
    assert "swapped and similar" in label("last_name", swapped_with_typos["last_name_level"])


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("1962-04-16", "1962-04-16", "same date"),
    ("1962-04-16", "1962-04-18", "one digit apart"),
    ("1962-04-16", "1926-04-16", "one digit apart"),  # two digits transposed
    ("1962-04-11", "1962-11-04", "day and month swapped"),
    ("1962-04-16", "1963-04-16", "one digit apart"),
    ("1969-04-16", "1970-04-16", "same day and month, a year apart"),
    ("1962-04-16", "1975-09-02", "different"),
    ("1962-04-16", None, None),  # a field one record lacks is no evidence either way
])
def test_date_of_birth_levels(con, left, right, expected):
    (pair,) = compare(con, [{"last_name": "A", "date_of_birth": left}, {"last_name": "B", "date_of_birth": right}],
                      [(0, 1)])
    assert label("date_of_birth", pair["date_of_birth_level"]) == expected


@pytest.mark.parametrize(("left", "right", "expected"), [
    (("6 Tullaroop Street", "St James", "4011"), ("6 Tullaroop St", "St James", "4011"),
     "same house number, street and locality"),
    (("6 Tullaroop Street", "St James", "4011"), ("6 Tullaroop St", "St James", "4012"),
     "same address but one part mistyped"),
    (("6 Tullaroop Street", "St James", "4011"), (None, "St James", "4011"), "same locality, no street to compare"),
    (("6 Tullaroop Street", "St James", "4011"), ("80 Park Road", "St James", "4011"), "same locality, another street"),
    (("6 Tullaroop Street", "St James", "4011"), ("80 Park Road", "Kew", "3101"),
     "another address, same or unknown country"),
    (("6 Tullaroop Street", "St James", "4011"), (None, None, None), None),
])
def test_address_levels(con, left, right, expected):
    rows = [{"last_name": name, "address_line1": street, "city": city, "postcode": postcode}
            for name, (street, city, postcode) in (("A", left), ("B", right))]
    (pair,) = compare(con, rows, [(0, 1)])
    assert label("address", pair["address_level"]) == expected


def test_identifiers_compare_only_within_their_kind(con):
    rows = [{"last_name": "A", "identifiers": ["national_id:6988048"]},
            {"last_name": "B", "identifiers": ["national_id:6988048", "loyalty:77"]},
            {"last_name": "C", "identifiers": ["national_id:6988043"]},
            {"last_name": "D", "identifiers": ["national_id:1234567"]},
            {"last_name": "E", "identifiers": ["loyalty:99"]}]
    same, typo, other, other_kind = compare(con, rows, [(0, 1), (0, 2), (0, 3), (0, 4)])
    assert label("identifier", same["identifier_level"]) == "same identifier"
    assert label("identifier", typo["identifier_level"]) == "same kind, one character apart"
    assert label("identifier", other["identifier_level"]) == "same kind, another value"
    assert other_kind["identifier_level"] is None


def test_a_shared_office_email_is_no_evidence_between_different_first_names(con):
    rows = [{"first_name": "Ann", "last_name": "Lee", "email_match_key": "info@office.example"},
            {"first_name": "Bob", "last_name": "Ray", "email_match_key": "info@office.example"},
            {"first_name": "Ann", "last_name": "Lee", "email_match_key": "info@office.example", "city": "Leeds"}]
    different, same_name = compare(con, rows, [(0, 1), (0, 2)])
    assert different["email_level"] is None
    assert label("email", same_name["email_level"]) == "same address"


def test_name_term_frequencies_are_taken_among_the_other_profiles_of_the_shared_country(con):
    """A common name gains less than a rare one. The share counts the profiles other than the two
    compared (at least one), within the country both are in; the agreement chance it is set
    against is the one among all profiles, which the level's u averages over."""
    rows = [{"first_name": "Grainne", "last_name": "Murray", "country_code": "IE", "city": f"C{letters(number)}"}
            for number in range(4)]
    rows += [{"first_name": "Sean", "last_name": f"Kelly{letters(number)}", "country_code": "IE"}
             for number in range(4)]
    rows += [{"first_name": "Grainne", "last_name": "Murray", "country_code": "GB"},
             {"first_name": "Aoife", "last_name": "Byrne", "country_code": "IE"},
             {"first_name": "Aoife", "last_name": "Byrne", "country_code": "IE", "city": "Cork"}]
    common, rare = compare(con, rows, [(0, 1), (9, 10)])
    agreement = (5 ** 2 + 4 ** 2 + 2 ** 2) / 11 ** 2  # first names among all: Grainne 5, Sean 4, Aoife 2
    assert common["first_name_tf_bits"] == pytest.approx(np.log2(agreement / (2 / 10)))  # 4 in Ireland's 10
    assert rare["first_name_tf_bits"] == pytest.approx(np.log2(agreement / (1 / 10)))
    assert rare["first_name_tf_bits"] > common["first_name_tf_bits"]


def test_a_name_held_in_the_other_field_by_swapped_records_is_as_common_as_there(con):
    """Swapped records of many Patrick Bernards make Bernard a given name: two of them agreeing on
    it gain as little as two Bernards agreeing on the surname."""
    rows = [{"first_name": "Patrick", "last_name": "Bernard", "city": f"Town{letters(number)}"} for number in range(20)]
    rows += [{"first_name": "Bernard", "last_name": "Patrick", "city": "Lyon"},
             {"first_name": "Bernard", "last_name": "Patrick", "city": "Nice"},
             {"first_name": "Ann", "last_name": "Lee"}]
    (swapped,) = compare(con, rows, [(20, 21)])
    share = (20 - 2) / 23  # Bernard as a surname, the larger of its two shares
    agreement = (20 ** 2 + 2 ** 2 + 1) / 23 ** 2  # given names among all: Patrick 20, Bernard 2, Ann 1
    assert swapped["first_name_tf_bits"] == pytest.approx(np.log2(agreement / share))


# --- blocking ------------------------------------------------------------------------------------

def test_namesakes_whose_details_contradict_are_pruned_from_large_name_blocks_only(con):
    """Twelve John Smiths with their own birthdays and e-mails make a block too large to compare
    whole: only the pairs with something beyond the name in common stay. Two Lara Whites with
    different birthdays and a postcode typo are a small block: compared."""
    rows = [{"first_name": "John", "last_name": "Smith", "date_of_birth": f"1970-01-{day:02d}",
             "email_match_key": f"js{day}@example.com"} for day in range(1, 13)]
    rows[1]["postcode"] = rows[2]["postcode"] = "AB1 2CD"
    rows += [{"first_name": "Lara", "last_name": "White", "date_of_birth": "1950-03-16", "postcode": "6056"},
             {"first_name": "Lara", "last_name": "White", "date_of_birth": "1991-10-30", "postcode": "6066"}]
    profiles_of(con, rows)
    pairs = con.execute(f"""
        select a.first_key, a.date_of_birth, b.date_of_birth
        from ({candidate_pairs_sql(DEFAULT, 'profiles', 100)}) as pairs
        join profiles as a on pairs.profile_number_a = a.profile_number
        join profiles as b on pairs.profile_number_b = b.profile_number
        where not pairs.is_training_sample""").fetchall()
    johns = [pair for pair in pairs if pair[0] == "john"]
    assert [(str(a), str(b)) for _, a, b in johns] in ([("1970-01-02", "1970-01-03")], [("1970-01-03", "1970-01-02")])
    assert [pair[0] for pair in pairs if pair[0] == "lara"] == ["lara"]


# --- estimation ----------------------------------------------------------------------------------

def test_em_recovers_known_parameters():
    """Simulated comparison patterns with known m and u: the estimate lands close to them."""
    rng = np.random.default_rng(3)
    true_m = [np.array([0.05, 0.95]), np.array([0.1, 0.9]), np.array([0.2, 0.8])]
    true_u = [np.array([0.9, 0.1]), np.array([0.8, 0.2]), np.array([0.95, 0.05])]
    matches = rng.random(20_000) < 0.3
    patterns = np.column_stack([
        np.where(matches, rng.random(20_000) < m[1], rng.random(20_000) < u[1]).astype(np.int64)
        for m, u in zip(true_m, true_u, strict=True)])
    keys, counts = np.unique(patterns, axis=0, return_counts=True)
    m, share = estimation.em(keys, counts.astype(float), [np.array([0.3, 0.7])] * 3, true_u, active=[0, 1, 2],
                             free=[0, 1, 2])
    assert share == pytest.approx(0.3, abs=0.02)
    for estimated, expected in zip(m, true_m, strict=True):
        assert estimated[1] == pytest.approx(expected[1], abs=0.03)


def test_a_level_no_match_was_seen_at_is_evidence_against():
    """m is smoothed towards u: a level never seen among one person's pairs gets m below u."""
    patterns = np.array([[2], [1]])
    m = estimation.level_shares(patterns, np.array([500.0, 20.0]), 0, 3, prior=np.array([0.9, 0.09, 0.01]))
    assert m[0] < 0.9
    assert np.log2(m[0] / 0.9) < 0


def test_counted_levels_take_u_from_the_non_matching_candidate_pairs():
    """u of an exact e-mail agreement is the candidate pairs' likely non-matches at that level
    plus the pairs of blocks too large to pair, over all possible pairs; the other levels keep
    their proportions and the comparison's u still sums to 1."""
    spec = Specification(
        comparisons=(Comparison("email", "", "false", (Level("same", "true", counted_by_rule="email"),
                                                        Level("same username", "true"))),),
        blocking_rules=(BlockingRule("email", ("email_match_key",)),), training_sessions=())
    parameters = estimation.Parameters(m=[np.array([0.1, 0.1, 0.8])], u=[np.array([0.98, 0.01, 0.01])], prior=1e-3)
    # matches agree; ten pairs of different people share an e-mail
    patterns, counts = np.array([[2], [2], [0]]), np.array([1000.0, 10.0, 5000.0])
    parameters.m = [np.array([0.1, 0.1, 0.8])]
    u = estimation.counted_u(spec, patterns, counts, parameters, possible_pairs=1e6, oversized={"email": 40.0})
    non_match = counts * (1 - estimation.posterior(patterns, parameters.m, parameters.u, parameters.prior, [0]))
    assert u[0][2] == pytest.approx((non_match[:2].sum() + 40 + estimation.SMOOTHING) / 1e6)
    assert u[0][0] / u[0][1] == pytest.approx(98)
    assert u[0].sum() == pytest.approx(1)


def test_a_session_that_never_sees_a_comparison_does_not_estimate_its_m():
    """m of shop activity comes from the e-mail session (1 in 20 pairs disagree), not averaged with
    the pseudo-counts of a birthday session whose pairs never hold shop activity."""
    con = duckdb.connect()
    levels = ", ".join(f"{comparison.name}_level int" for comparison in DEFAULT.comparisons)
    con.execute(f"create table pairs (blocking_rule_mask int, is_training_sample boolean, {levels})")
    email_bit, birthday_bit = DEFAULT.rule_bit("email"), DEFAULT.rule_bit("dob_first_name")
    top = {comparison.name: comparison.level_count - 1 for comparison in DEFAULT.comparisons}
    con.execute(f"insert into pairs (blocking_rule_mask, is_training_sample, first_name_level, last_name_level, "
                f"email_level, shop_activity_level) select {email_bit}, false, {top['first_name']}, "
                f"{top['last_name']}, {top['email']}, if(i % 20 = 0, 0, 1) from range(2000) as t(i)")
    con.execute(f"insert into pairs (blocking_rule_mask, is_training_sample, first_name_level, last_name_level, "
                f"date_of_birth_level) select {birthday_bit}, false, {top['first_name']}, {top['last_name']}, "
                f"{top['date_of_birth']} from range(2000)")
    start = [np.geomspace(1.0, 20.0, c.level_count) / np.geomspace(1.0, 20.0, c.level_count).sum()
             for c in DEFAULT.comparisons]
    u = []
    for comparison in DEFAULT.comparisons:
        level_u = np.full(comparison.level_count, 1.0)
        level_u[-1] = 1e-6
        u.append(level_u / level_u.sum())
    m = estimation.estimate_m(DEFAULT, con.table("pairs"), start, u)
    shop = [c.name for c in DEFAULT.comparisons].index("shop_activity")
    assert m[shop][0] == pytest.approx(0.05, abs=0.01)


# --- clustering ----------------------------------------------------------------------------------

def test_clustering_refuses_a_merge_across_a_lifelong_contradiction():
    """Raymond (0) and Linda (2) Taylor are each linked to a weak record (1) that names neither
    first name: the stronger link merges first, the second would put Raymond and Linda, who
    contradict each other, in one customer, and is refused."""
    roots, used = clustering.cluster(
        count=3, link_a=np.array([0, 1]), link_b=np.array([1, 2]), strong=np.array([True, False, True]),
        conflict_a=np.array([0]), conflict_b=np.array([2]), max_profiles=40)
    assert roots[0] == roots[1] != roots[2]
    assert used.tolist() == [True, False]


def test_clustering_caps_the_size_and_never_bridges_two_strong_clusters_through_weak_records():
    # a chain of five: with a cap of three, the last links are refused
    roots, _ = clustering.cluster(5, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4]), np.ones(5, dtype=bool),
                                  np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), max_profiles=3)
    assert np.bincount(roots).max() == 3
    # strong 0-1 and strong 3-4, bridged by weak 2: only one side may take it
    roots, used = clustering.cluster(5, np.array([0, 3, 1, 2]), np.array([1, 4, 2, 3]),
                                     np.array([True, True, False, True, True]), np.zeros(0, dtype=np.int64),
                                     np.zeros(0, dtype=np.int64), max_profiles=40)
    assert roots[0] != roots[3]
    assert used.tolist() == [True, True, True, False]


def test_a_component_with_no_contradiction_is_one_cluster_whatever_the_order():
    roots, used = clustering.cluster(4, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(4, dtype=bool),
                                     np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), max_profiles=40)
    assert len(set(roots.tolist())) == 1 and used.all()


def test_component_pairs_are_every_pair_inside_components_of_three_or_more():
    a, b = clustering.component_pairs(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2)]


# --- the whole engine on person files as a user brings them ----------------------------------------

def test_a_person_file_without_email_or_phone_resolves(con):
    rows = [{"first_name": "Chloe", "last_name": "Nappo", "date_of_birth": "1994-02-01", "address_line1": "3 Oak St",
             "city": "Perth", "postcode": "2068"},
            {"first_name": "Chloe", "last_name": "Napo", "date_of_birth": "1994-02-01", "address_line1": "3 Oak St",
             "city": "Perth", "postcode": "2068"},
            {"first_name": "Lucy", "last_name": "Crouch", "date_of_birth": "1940-03-05", "address_line1": "202 Elm Rd",
             "city": "Kew", "postcode": "2096"}]
    records_table(con, rows * 1)
    pipeline.resolve(con, "records", "nicknames", SETTINGS)
    clusters = dict(con.execute(
        "select keys.source_record_id, clusters.cluster_id from identity_run.int_person_match_keys as keys"
        " join identity_run.int_profile_clusters as clusters using (profile_id)").fetchall())
    assert clusters["0"] == clusters["1"] != clusters["2"]


def test_two_records_are_enough_to_resolve(con):
    """A tiny file (no random pair to learn u from) still gets weights and clusters."""
    records_table(con, [{"first_name": "Ann", "email_match_key": "a@x.com"}, {"first_name": "Bo"}])
    pipeline.resolve(con, "records", "nicknames", SETTINGS)
    assert con.execute("select count(*), count(distinct cluster_id) from identity_run.int_profile_clusters"
                       ).fetchall() == [(2, 2)]
    weights = con.execute("select min(match_weight), max(match_weight) from identity_run.int_match_weights").fetchall()
    assert all(np.isfinite(weights[0]))


def test_hundreds_of_people_behind_one_email_and_phone_are_not_merged_on_it(con):
    """An office e-mail and switchboard number shared by 300 different people (ten given names
    among them), among 3,000 people with their own (fifty of them twice): an address so many use
    counts for little (its term frequency), and colleagues are not merged on it."""
    first = ["Ann", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ian", "Jo"]
    office = [{"first_name": first[number % 10], "last_name": f"Staff{letters(number)}", "email": "info@acme.example",
               "email_match_key": "info@acme.example", "phone_e164": "+442079460000", "city": f"Town{letters(number)}"}
              for number in range(300)]
    others = [{"first_name": f"Pat{letters(number)}", "last_name": f"Doe{letters(number // 7)}",
               "email_match_key": f"pat{number}@mail.example", "phone_e164": f"+4477009{number:05d}",
               "city": f"Village{letters(number)}"}
              for number in range(3000)]
    again = [{**person, "city": None} for person in others[:50]]
    records_table(con, office + others + again)
    pipeline.resolve(con, "records", "nicknames", SETTINGS)
    office_weight, personal_weight = con.execute("""
        select avg(email_weight) filter (where profile_a.email_match_key like 'info@%'),
               avg(email_weight) filter (where profile_a.email_match_key like 'pat%')
        from identity_run.int_candidate_pairs_scored as pairs
        join identity_run.int_person_profiles as profile_a on pairs.profile_number_a = profile_a.profile_number
        where pairs.email_level is not null and pairs.email_level > 0""").fetchall()[0]
    assert office_weight < personal_weight - 5
    office_customers = con.execute("""
        select count(distinct clusters.cluster_id) from identity_run.int_person_match_keys as keys
        join identity_run.int_profile_clusters as clusters using (profile_id)
        where keys.email_match_key like 'info@%'""").fetchall()[0][0]
    assert office_customers == 300
