"""A company's own exports as they really arrive: Latin-1 with semicolons, dates in several layouts,
placeholder and reused ids, and beside them files that are missing, empty, mis-mapped or broken.
The good files build through dbt; every row of them is accounted for; the bad ones are named."""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import run_dbt, run_ingest

from ingest.config import dbt_vars, load_config
from ingest.run import landed_systems

# A CRM export from a Nordic shop: `;`-separated Latin-1, day-first birth dates beside other
# layouts, German-style created_at, a country by name, two placeholder ids and one id reused
# with newer content (the later update wins).
MEMBERS = """\
Nr;Vorname;Nachname;E-Mail;Geburtsdatum;Land;Angelegt;Geaendert
M1;Zoë;Ångström;zoe@example.is;25/04/1980;Iceland;15.02.2020;15.02.2020 10:00
M2;Jón;Jónsson;jon@example.is;19530712;Ísland;16.02.2020;16.02.2020 10:00
M3;Anna;Berg;anna.old@example.com;16 Apr 1962;Sweden;17.02.2020;17.02.2020 10:00
NULL;Nobody;Known;nobody@example.com;01/01/1970;Norway;18.02.2020;18.02.2020 10:00
N/A;No;One;noone@example.com;02/01/1970;Norway;18.02.2020;18.02.2020 10:00
M4;Karl;Lund;karl@example.com;31/02/1990;Danmark;19.02.2020;19.02.2020 10:00
M3;Anna;Berg;anna@example.com;16 Apr 1962;Sweden;17.02.2020;20.02.2020 09:00
M5;Eva;Holm;eva@example.com;03/11/1985;Suomi;20.02.2020;20.02.2020 10:00
"""
MEMBERS_COLUMNS = {"first_name": "Vorname", "last_name": "Nachname", "email": "E-Mail",
                   "date_of_birth": "Geburtsdatum", "country": "Land", "created_at": "Angelegt",
                   "updated_at": "Geaendert"}


@pytest.fixture(scope="module")
def own_data(tmp_path_factory):
    """Six person files: one good, one with nothing new, four broken as exports break; ingested and built."""
    root = tmp_path_factory.mktemp("own_data")
    exports = root / "exports"
    exports.mkdir()
    (exports / "members[2024].csv").write_bytes(MEMBERS.encode("latin-1"))
    (exports / "loyalty.csv").write_text("card,first,last,mail\n")  # header only: nothing new today
    (exports / "kiosk.csv").write_bytes(b"")  # not even a header: the export broke
    (exports / "newsletter.csv").write_text("id,first,last,e_mail\n1,Ann,Lee,ann@example.com\n")
    (exports / "webshop.csv").write_text('id,first,last,mail\n1,Ann,"Lee,ann@example.com\n2,Bob,Stone,b@x.com\n')
    entries = [
        {"system": "members", "path": "exports/members[2024].csv", "id_column": "Nr", "columns": MEMBERS_COLUMNS},
        {"system": "loyalty", "path": "exports/loyalty.csv", "id_column": "card",
         "columns": {"first_name": "first", "last_name": "last", "email": "mail"}},
        {"system": "newsletter", "path": "exports/newsletter.csv", "id_column": "id",
         "columns": {"first_name": "first", "last_name": "last", "email": "mail"}},  # the file says e_mail
        {"system": "webshop", "path": "exports/webshop.csv", "id_column": "id",
         "columns": {"first_name": "first", "last_name": "last", "email": "mail"}},
        {"system": "kiosk", "path": "exports/kiosk.csv", "id_column": "id", "columns": {"email": "mail"}},
        {"system": "pos", "path": "exports/pos_customers.csv", "id_column": "id",  # never exported
         "columns": {"email": "mail"}},
    ]
    config_path = root / "own.yml"
    config_path.write_text(json.dumps({"demo": {"enabled": False}, "person_files": entries}))
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        runs = run_ingest(config_path, warehouse, monkeypatch)
    config = load_config(config_path)
    landed = landed_systems(config, warehouse)
    build = run_dbt(["build"], warehouse, root, dbt_vars(config, landed))  # role files too, here without gold
    return {"runs": {run.system: run for run in runs}, "warehouse": warehouse, "landed": landed, "build": build,
            "config": config_path, "root": root}


def query(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_each_broken_file_is_named_with_its_reason_and_the_good_ones_load(own_data):
    runs = own_data["runs"]
    assert runs["members"].status == "ok"
    assert runs["loyalty"].status == "ok"  # a header-only export is a normal "nothing new"
    assert runs["newsletter"].status == "failed" and "['mail']" in runs["newsletter"].error
    assert "e_mail" in runs["newsletter"].error  # what the file has instead
    assert runs["pos"].status == "failed" and "pos_customers.csv does not exist" in runs["pos"].error
    assert runs["kiosk"].status == "failed" and "kiosk.csv: file is empty" in runs["kiosk"].error
    # a badly quoted line is quarantined with its line number; the file's other lines load
    assert runs["webshop"].status == "ok"
    rows = query(own_data["warehouse"], "select source_row, reason from raw_ingest.quarantine "
                                        "where source_system = 'webshop'")
    assert rows and all(line >= 2 and "unparseable line" in reason for line, reason in rows)
    assert set(own_data["landed"]) == {"members", "loyalty", "webshop"}


def test_the_good_sources_build_through_identity(own_data):
    assert own_data["build"].returncode == 0, own_data["build"].stdout[-4000:]
    systems = dict(query(own_data["warehouse"], "select source_system, count(*) "
                                                "from marts.customer_identity_map group by all"))
    assert systems["members"] == 5


def test_dates_countries_and_names_are_read_as_written(own_data):
    rows = {row[0]: row[1:] for row in query(own_data["warehouse"], """
        select source_record_id, first_name, last_name, date_of_birth::varchar, country_code,
               created_at::varchar, data_issues
        from staging.stg_person_files__person_records where source_system = 'members'""")}
    assert rows["M1"] == ("Zoë", "Ångström", "1980-04-25", "IS", "2020-02-15 00:00:00", None)
    assert rows["M2"][2:4] == ("1953-07-12", "IS")
    assert rows["M3"][2:4] == ("1962-04-16", "SE")
    assert rows["M5"][2:4] == ("1985-11-03", "FI")  # day-first: the column has a 25/04
    assert rows["M4"][2] is None and "31/02/1990" in rows["M4"][5]
    warnings = query(own_data["warehouse"], "select warnings from raw_ingest.source_runs "
                                            "where source_system = 'members'")[0][0]
    assert "not UTF-8" in warnings and "date_of_birth: inferred, numeric dates day-first" in warnings


def test_every_row_is_accounted_for_and_the_latest_version_wins(own_data):
    lines = len(MEMBERS.splitlines()) - 1
    (row,) = query(own_data["warehouse"], "select records, superseded_rows, quarantined_rows, rows_read "
                                          "from staging.stg_person_files__reconciliation "
                                          "where source_system = 'members'")
    assert row == (5, 1, 2, lines)
    assert query(own_data["warehouse"], "select email from staging.stg_person_files__person_records "
                                        "where source_record_id = 'M3'") == [("anna@example.com",)]
    reasons = sorted(r for (r,) in query(own_data["warehouse"], "select reason from raw_ingest.quarantine "
                                                                "where source_system = 'members'"))
    assert reasons == ["placeholder key source_record_id = N/A", "placeholder key source_record_id = NULL"]


def test_the_dashboard_shows_what_the_configuration_has(own_data, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.pages import PAGES
    from ingest.settings import PROJECT_ROOT

    monkeypatch.setenv("C360_DUCKDB_PATH", str(own_data["warehouse"]))
    monkeypatch.setenv("C360_ROLE", "admin")  # the search is by name, which the analyst's file masks
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=120)
    app.run()
    app.sidebar.radio(key="page").set_value("Customer 360").run()
    app.text_input(key="customer_search").set_value("zoe angstrom").run()  # typed without accents
    assert not app.exception, [e.value for e in app.exception]
    assert app.subheader[0].value.startswith("Zoë Ångström")
    assert len(app.dataframe) >= 2  # the golden record and the merged source records
    # person files only: the pages that need orders or campaigns are left out and say why
    shown = app.sidebar.radio(key="page").options
    assert shown == ["Customer 360", "Data quality"]
    hidden = [caption.value for caption in app.sidebar.caption if "not shown" in caption.value]
    assert len(hidden) == len(PAGES) - len(shown), hidden
    assert any(caption.startswith("Campaigns: not shown, this configuration has no e-mail") for caption in hidden)
    for title in shown:
        app.sidebar.radio(key="page").set_value(title).run()
        assert not app.exception, (title, [e.value for e in app.exception])
        assert not app.warning, (title, app.warning[0].value)


def test_make_eval_scores_the_company_s_own_labelled_records(own_data, monkeypatch, capsys):
    from c360.evaluate import main

    truth = own_data["root"] / "truth.csv"
    truth.write_text("source_system,source_record_id,person_id\n" + "".join(
        f"members,M{n},p{n}\n" for n in range(1, 6)))
    monkeypatch.setenv("C360_DUCKDB_PATH", str(own_data["warehouse"]))
    assert main(["--config", str(own_data["config"]), "--truth", str(truth)]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["records"] == 5 and metrics["largest_cluster_profiles"] == 1


def test_the_summary_tells_what_was_built_and_what_failed(own_data, monkeypatch, capsys):
    from c360.summary import main

    monkeypatch.setenv("C360_DUCKDB_PATH", str(own_data["warehouse"]))
    assert main() == 0
    out = capsys.readouterr().out
    assert "members" in out and "identity:" in out
    for system in ("newsletter", "kiosk", "pos"):  # each failed system with its reason
        assert any(line.strip().startswith(system) and "failed" in line and "<-" in line
                   for line in out.splitlines()), (system, out)
    # person files only: the gold layer is there, and says what it cannot compute without activity
    assert "gold (as of" in out and "no orders in this configuration: revenue, CLV" in out
