"""The knowledge linter on the bundled data and on hand-made broken data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.knowledge.lint import lint_knowledge
from communique.knowledge.loader import DATA_DIR


def test_bundled_knowledge_has_no_errors() -> None:
    report = lint_knowledge()
    assert [p.render() for p in report.errors] == []


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled data without the imported pack or extra people files."""
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("phoenix", "people", "*.tsv"))
    for name in ("countries.tsv",):
        shutil.copy(DATA_DIR / name, root / name)
    return root


PEOPLE = """\
people:
  - id: alpha-one
    name: Alpha One
    aliases: [Same Name]
    country: AZE
    roles:
      - {office: head_of_state, start: 2020-01-01, end: 2022-12-31}
  - id: beta-two
    name: Beta Two
    aliases: [Same Name, Beta Two]
    country: AZE
    roles:
      - {office: head_of_state, start: 2022-06-01, end: null}
  - id: gamma-three
    name: Gamma Three
    country: ARM
    roles:
      - {office: head_of_state, start: 2020-01-01, end: 2021-01-01}
  - id: delta-four
    name: Delta Four
    country: ARM
    roles:
      - {office: head_of_state, start: 2021-01-01, end: null}
      - {office: foreign_minister, start: 2020-01-01, end: null, note: acting, both at once}
  - id: eps-five
    name: Eps Five
    country: ARM
    roles:
      - {office: foreign_minister, start: 2020-06-01, end: null}
"""


def test_broken_data_is_reported_with_file_record_and_hint(data: Path) -> None:
    (data / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    report = lint_knowledge(data)
    errors = [p.render() for p in report.errors]
    # two heads of state of AZE for seven months
    assert any("alpha-one/beta-two" in e and "head_of_state of AZE" in e for e in errors)
    # one shared name
    assert any("'same name' names 2 people" in e for e in errors)
    assert all("people.yaml:" in e and "(fix:" in e for e in errors)
    assert len(report.errors) == 2
    warnings = [p.render() for p in report.warnings]
    # a handover day is allowed; a documented overlap is a warning
    assert not any("gamma-three" in w for w in warnings + errors)
    assert any("delta-four/eps-five" in w for w in warnings)
    assert any("repeats another name" in w for w in warnings)


def test_load_errors_are_lint_errors(data: Path) -> None:
    (data / "people.yaml").write_text(
        "people:\n  - {id: x, name: X, roles: [{office: nowhere}]}\n", encoding="utf-8"
    )
    report = lint_knowledge(data)
    assert len(report.errors) == 1
    assert "unknown office" in report.errors[0].message
    assert "people.yaml:2" in report.errors[0].where


def test_cli_exit_status(data: Path) -> None:
    from communique.cli.main import _register, cli

    _register()
    (data / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["knowledge", "lint", "--data", str(data)])
    assert result.exit_code == 1
    assert "error:" in result.output
    (data / "people.yaml").write_text("people: []\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["knowledge", "lint", "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_a_form_naming_two_keys_is_an_error_unless_ambiguous() -> None:
    from communique.knowledge.base import KnowledgeBase, Term
    from communique.knowledge.lint import LintReport, _check_terms

    kb = KnowledgeBase({}, {}, {}, {}, {})
    terms = [
        Term("Georgia", "country", "GEO"),
        Term("Georgia", "org", "GAX"),
        Term("Djibouti", "country", "DJI"),
        Term("Djibouti", "capital", "DJI"),  # one key: fine
        Term("Congo", "country", "COG"),
        Term("Congo", "country", "COD", ambiguous=True),
    ]
    report = LintReport()
    _check_terms(Path("packs/en"), terms, kb, report)
    assert [p.record for p in report.errors] == ["georgia"]
    assert report.warnings == []
