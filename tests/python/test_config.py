"""Run configuration: bring-your-own person files and errors that say what and where."""

import pytest
import yaml

from ingest.config import ConfigError, dbt_vars, load_config


def write(tmp_path, text):
    path = tmp_path / "run.yml"
    path.write_text(text)
    return path


def test_person_files_resolve_relative_to_the_config(tmp_path):
    config = load_config(write(tmp_path, """
demo: {enabled: false}
person_files:
  - system: loyalty
    path: members.csv
    id_column: member_no
    columns: {first_name: fname, email: mail}
"""))
    assert config.systems == ["loyalty"]
    (person_file,) = config.person_files
    assert person_file.path == tmp_path / "members.csv"
    assert person_file.format == "csv"


@pytest.mark.parametrize(("text", "message"), [
    ("demo: {enabled: false}\n", "nothing to ingest"),
    ("demo: {systems: [crm_a, erp]}\n", "unknown systems \\['erp'\\]"),
    ("demo: {peopel: 5}\n", "unknown keys 'peopel' \\(did you mean 'people'\\?\\)"),
    ("person_files: [{system: Bad-Name, path: a.csv, id_column: id, columns: {email: e}}]\n", "lower-case"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {mail: e}}]\n",
     "canonical fields.*'mail' \\(did you mean 'email'\\?\\)"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {email: e}, delimeter: ';'}]\n",
     "'delimeter' \\(did you mean 'delimiter'\\?\\)"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {email: e}, encoding: ebcdic}]\n",
     "encoding 'ebcdic' not supported"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {email: e},"
     " date_formats: {birthday: '%d/%m/%Y'}}]\n", "date_formats: unknown keys 'birthday'"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {email: e},"
     " date_formats: {date_of_birth: dd/mm/yyyy}}]\n", "not a strftime format"),
    ("person_files: [{system: ingest, path: a.csv, id_column: id, columns: {email: e}}]\n", "reserved"),
    ("person_files: [{system: crm, path: a.xlsx, id_column: id, columns: {email: e}}]\n", "not supported"),
    ("person_files: [{system: shop, path: a.csv, id_column: id, columns: {email: e}}]\n", "clashing"),
    ("demo: [1\n", "not valid YAML"),
])
def test_bad_configs_fail_with_a_message_naming_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_file_options_are_read(tmp_path):
    config = load_config(write(tmp_path, """
demo: {enabled: false}
person_files:
  - system: members
    path: "members[2024].txt"
    id_column: no
    columns: {email: mail, date_of_birth: born}
    delimiter: ";"
    encoding: ISO-8859-1
    date_formats: {date_of_birth: "%d/%m/%Y"}
"""))
    (person_file,) = config.person_files
    assert (person_file.format, person_file.delimiter, person_file.encoding) == ("csv", ";", "latin-1")
    assert person_file.date_formats == {"date_of_birth": "%d/%m/%Y"}


def test_dbt_knows_the_same_demo_systems_as_ingest():
    from ingest.config import DEMO_SYSTEMS
    from ingest.settings import PROJECT_ROOT

    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    assert tuple(project["vars"]["demo_systems"]) == DEMO_SYSTEMS


def test_the_country_seed_is_every_iso_country_as_pycountry_lists_it():
    import csv

    from c360.country_seed import SEED, fold, rows

    with SEED.open(encoding="utf-8") as handle:
        seeded = [(row["country_name"], row["country_code"]) for row in csv.DictReader(handle)]
    assert seeded == rows()  # regenerate with python -m c360.country_seed
    names = dict(seeded)
    assert (names["iceland"], names[fold("Ísland")], names["isl"], names["is"]) == ("IS", "IS", "IS", "IS")
    assert len({code for _, code in seeded}) == 249


EXPORT = "exports: [{system: shop_x, kind: orders, path: o.csv, id_column: Name, columns: {ordered_at: Created}"


@pytest.mark.parametrize(("text", "message"), [
    ("exports: [{system: xs, kind: order, path: o.csv, id_column: id, columns: {ordered_at: c}}]\n",
     "kind 'order' is not one of .*did you mean 'orders'"),
    (EXPORT.replace("ordered_at", "ordered") + "}]\n", "'ordered' \\(did you mean 'ordered_at'\\?\\)"),
    ("exports: [{system: xs, kind: payments, path: p.csv, id_column: id, columns: {amount: a},"
     " lines: {quantity: q}}]\n", "only orders have line items"),
    (EXPORT + ", person: {email: e}, customer: {system: shop_x, column: c}}]\n", "not both"),
    ("exports: [{system: xs, kind: refunds, path: r.csv, id_column: id, columns: {amount: a},"
     " person: {email: e}}]\n", "refunds reach theirs through the payment"),
    (EXPORT + ", customer: {system: crm, column: c}}]\n", "customer.system 'crm' is not a configured system"),
    (EXPORT + ", values: {chanel: web}}]\n", "'chanel' \\(did you mean 'channel'\\?\\)"),
    (EXPORT + ", decimal: ';'}]\n", "decimal must be"),
])
def test_bad_exports_fail_with_a_message_naming_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, "demo: {enabled: false}\n" + text))


def test_an_export_maps_onto_its_contract(tmp_path):
    config = load_config(write(tmp_path, "demo: {enabled: false}\n" + EXPORT
                               + ", lines: {quantity: Qty}, person: {full_name: Billing Name}, currency: eur}]\n"))
    (export,) = config.exports
    assert (export.kind, export.currency, export.columns, export.lines) == (
        "orders", "EUR", {"ordered_at": ("Created",)}, {"quantity": ("Qty",)})
    assert dbt_vars(config)["activity_systems"] == {"orders": ["shop_x"], "order_lines": ["shop_x"]}
    assert dbt_vars(config)["person_file_systems"] == ["shop_x"]


def test_dbt_connections_take_the_memory_limit_and_spill_folder_of_the_environment(tmp_path, monkeypatch):
    import duckdb

    from c360.dbt_plugin import Plugin
    from ingest.settings import DEFAULT_MEMORY_SHARE, machine_memory_mb

    plugin = Plugin("c360.dbt_plugin", {})
    with duckdb.connect() as con:
        duckdb_default = con.execute("select current_setting('memory_limit')").fetchone()[0]
        con.execute(f"set memory_limit = '{int(machine_memory_mb() * DEFAULT_MEMORY_SHARE)}MB'")
        share = con.execute("select current_setting('memory_limit')").fetchone()[0]
    with duckdb.connect() as con:
        monkeypatch.delenv("C360_DUCKDB_MEMORY_LIMIT", raising=False)
        monkeypatch.delenv("C360_DUCKDB_TEMP_DIR", raising=False)
        plugin.configure_connection(con)
        # unset: 40% of the machine, not DuckDB's 80%: the Python models' data lives outside the limit
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == share != duckdb_default
    monkeypatch.setenv("C360_DUCKDB_MEMORY_LIMIT", "1GB")
    monkeypatch.setenv("C360_DUCKDB_TEMP_DIR", str(tmp_path / "spill"))
    with duckdb.connect() as con:
        plugin.configure_connection(con)
        limit, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
        assert limit in {"1.0 GiB", "953.6 MiB", "1000.0 MiB"}, limit
        assert temp == str(tmp_path / "spill")
        assert con.execute("select phone_e164('07911 123456', 'GB')").fetchone()[0] == "+447911123456"
