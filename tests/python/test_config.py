"""Run configuration: bring-your-own person files and errors that say what and where."""

import pytest

from ingest.config import ConfigError, load_config


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
    ("demo: {peopel: 5}\n", "unknown keys \\['peopel'\\]"),
    ("person_files: [{system: Bad-Name, path: a.csv, id_column: id, columns: {email: e}}]\n", "lower-case"),
    ("person_files: [{system: crm, path: a.csv, id_column: id, columns: {mail: e}}]\n", "unknown canonical fields"),
    ("person_files: [{system: crm, path: a.xlsx, id_column: id, columns: {email: e}}]\n", "not supported"),
    ("person_files: [{system: shop, path: a.csv, id_column: id, columns: {email: e}}]\n", "clashing"),
    ("demo: [1\n", "not valid YAML"),
])
def test_bad_configs_fail_with_a_message_naming_the_problem(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))
