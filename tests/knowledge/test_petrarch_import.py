"""TABARI/PETRARCH dictionaries: parsing, conversion, the TSV format, the Phoenix pack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.errors import DataFileError
from communique.knowledge.imported import (
    import_dictionary,
    read_actors,
    read_agents,
    write_actors,
    write_agents,
)
from communique.knowledge.petrarch import (
    agent_sector,
    parse_actors,
    parse_agents,
    parse_date,
    split_cameo,
)

REF = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "event-coding-reference"

ACTORS = """\
# a comment line
<!-- a comment
   over two lines -->
<!-- one-line comment -->
ARNOR_  [ARN]
+ARNORIAN_   # a synonym
GONDOR [GON] [GONMIL]
+MINAS_TIRITH

GOLLUM  # pas 27 Apr 03
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
#\t[950601-990815]
\t[HOBREB > 990816]
ILHAM_ALIYEV_  # CountryInfo.txt
\t[AZEELI 780101-030804]
\t[AZEGOV >031031]
\t[AZEELI]
THE_SHIRE  [FRO/BIL]
PALESTINIAN [pse]
BAD_DATE [XYZGOV 9008223-911221]
WHITE_HOUSE [USAGOV]
THE_UNITED_NATIONS_ [IGOUNO]
"""

AGENTS = """\
!PERSON! = MAN, MEN
!MINST! = MINISTER, MINISTRY
CONGRESS!PERSON! [~LEG]
FOREIGN_!MINST! [~GOV]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
MEDIA {} [~MED]
POLICE {} [ ~COP]
HUMAN_RIGHTS_BODY  [NGO~]
SOLDIER [~MIL] # comment
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_actor_entries_synonyms_and_dated_codes(tmp_path: Path) -> None:
    parsed = parse_actors(_file(tmp_path, "a.txt", ACTORS))
    by_name = {e.forms[0]: e for e in parsed.actors}
    assert by_name["ARNOR"].forms == ["ARNOR", "ARNORIAN"]
    assert [c.code for c in by_name["GONDOR"].codes] == ["GON", "GONMIL"]
    gollum = by_name["GOLLUM"]
    assert gollum.forms == ["GOLLUM", "SMEAGOL"]
    assert [(c.code, c.start, c.end) for c in gollum.codes] == [
        ("HOB", None, date(1995, 5, 31)),  # "<" excludes its day
        ("HOBGOV", date(1995, 6, 1), date(1999, 8, 15)),
        ("HOBREB", date(1999, 8, 16), None),  # ">" includes it
    ]
    assert [c.code for c in by_name["THE SHIRE"].codes] == ["FRO", "BIL"]
    assert by_name["PALESTINIAN"].codes[0].code == "PSE"
    assert "BAD DATE" not in by_name  # its only code was skipped
    messages = [w.message for w in parsed.warnings]
    assert any("lower-case code" in m for m in messages)
    assert any("bad date restriction" in m for m in messages)
    assert any("no code" in m for m in messages)


def test_two_digit_year_pivot() -> None:
    assert parse_date("031031") == date(2003, 10, 31)
    assert parse_date("300101") == date(2030, 1, 1)
    assert parse_date("410101") == date(1941, 1, 1)
    assert parse_date("19950601") == date(1995, 6, 1)
    with pytest.raises(ValueError):
        parse_date("9008223")


def test_strict_mode_and_structural_errors_name_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as err:
        parse_actors(_file(tmp_path, "a.txt", ACTORS), strict=True)
    assert "a.txt:" in str(err.value) and err.value.code == "C200"
    with pytest.raises(DataFileError, match=r"b.txt:2: .*unterminated"):
        parse_actors(_file(tmp_path, "b.txt", "ARNOR [ARN]\n<!-- open\nGONDOR [GON]\n"))
    with pytest.raises(DataFileError, match=r"c.txt:1: .*synonym before any entry"):
        parse_actors(_file(tmp_path, "c.txt", "+ARNORIAN\nARNOR [ARN]\n"))
    with pytest.raises(DataFileError, match=r"d.txt:1: .*undefined macro !X!"):
        parse_agents(_file(tmp_path, "d.txt", "FOREIGN_!X! [~GOV]\n"))
    with pytest.raises(DataFileError, match="not found"):
        parse_actors(tmp_path / "missing.txt")


def test_agents_macros_plurals_and_prefix(tmp_path: Path) -> None:
    parsed = parse_agents(_file(tmp_path, "ag.txt", AGENTS))
    by_code = {a.code: a for a in parsed.agents}
    assert by_code["LEG"].forms == ("CONGRESSMAN", "CONGRESSMEN")
    assert by_code["LEG"].plurals == ()  # the macro lists them
    gov = [a for a in parsed.agents if a.code == "GOV"]
    assert gov[0].forms == ("FOREIGN MINISTER", "FOREIGN MINISTRY")
    assert gov[1].plurals == ("ATTORNEYS GENERAL",)
    assert by_code["MED"].plurals == ()
    assert by_code["COP"].forms == ("POLICE",)
    assert by_code["NGO"].prefix and not by_code["MIL"].prefix
    assert by_code["MIL"].plurals == ("SOLDIERS",)
    assert not parsed.warnings


def test_cameo_codes_and_sectors() -> None:
    c = split_cameo("AZEGOVMIL")
    assert (c.root, c.roles, c.sector) == ("AZE", ("GOV", "MIL"), "GOV")
    assert split_cameo("IGOUNOREFHCR").root == "IGOUNO"
    assert split_cameo("IGOUNO").sector == "IGO"
    assert split_cameo("---GOV").root is None
    assert split_cameo("ARN").sector is None
    assert agent_sector("COP") == "GOV"  # police are GOV (CODING.md)
    assert agent_sector("MOSREB") == "REB"
    assert agent_sector("GGS") is None


def test_conversion_and_tsv_round_trip(tmp_path: Path) -> None:
    summary = import_dictionary(_file(tmp_path, "a.txt", ACTORS), countries={"AZE", "USA"})
    rows = {a.id: a for a in summary.actors}
    assert rows["arnor"].kind == "country" and rows["arnor"].forms == ("Arnor", "Arnorian")
    assert rows["arnor"].country is None  # ARN is not a known country here
    ilham = rows["ilham-aliyev"]
    assert (ilham.kind, ilham.country, ilham.name) == ("person", "AZE", "Ilham Aliyev")
    # dated codes first, in file order, then the default
    assert [r.code for r in ilham.roles] == ["AZEELI", "AZEGOV", "AZEELI"]
    assert rows["gollum"].kind == "person"
    assert rows["white-house"].kind == "body" and rows["white-house"].sector == "GOV"
    un = rows["the-united-nations"]
    assert (un.kind, un.org, un.sector) == ("org", "IGOUNO", "IGO")
    out = tmp_path / "a.actors.tsv"
    write_actors(summary.actors, out, "header line")
    assert read_actors(out) == summary.actors
    agents = import_dictionary(_file(tmp_path, "ag.txt", AGENTS)).agents
    assert agents[0].forms == ("congressman", "congressmen")
    write_agents(agents, tmp_path / "ag.agents.tsv")
    assert read_agents(tmp_path / "ag.agents.tsv") == agents


def test_bad_tsv_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.actors.tsv"
    header = "id\tkind\tname\tforms\tcode\tcountry\torg\tsector\troles\tline"
    path.write_text(f"{header}\nx\tplanet\tX\tX\t\t\t\t\t\t1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x.actors.tsv:2: .*unknown kind"):
        read_actors(path)
    path.write_text(f"{header}\nx\tperson\tX\tX\t\t\t\t\tAZEGOV 2005-01-01/2004-01-01\t1\n")
    with pytest.raises(DataFileError, match="starts after it ends"):
        read_actors(path)


def test_cli_summary_and_output(tmp_path: Path) -> None:
    from communique.cli.main import _register, cli

    _register()
    src = _file(tmp_path, "Test.actors.txt", ACTORS)
    result = CliRunner().invoke(
        cli, ["knowledge", "import-petrarch", str(src), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "person 2" in result.output
    assert (tmp_path / "out" / "test.actors.tsv").is_file()
    bad = _file(tmp_path, "bad.txt", "+SYN\n")
    result = CliRunner().invoke(cli, ["knowledge", "import-petrarch", str(bad)])
    assert result.exit_code == 2
    assert "[C200]" in result.output and "bad.txt:1" in result.output
    assert "Traceback" not in result.output


def test_phoenix_pack_in_the_default_knowledge() -> None:
    from communique.knowledge import load_knowledge, load_terms

    curated = load_knowledge(imported=False)
    kb = load_knowledge()
    assert len(kb.people) > len(curated.people) + 10_000
    # curated people win: the same person is not imported twice
    assert len(kb.persons_by_name("Ilham Aliyev")) == 1
    assert kb.persons_by_name("Ilham Aliyev")[0] == curated.persons_by_name("Ilham Aliyev")[0]
    # an imported person holds a dated role with a country and a sector
    p = kb.persons_by_name("Elmar Mammadyarov")
    if p and p[0].id not in curated.people:
        role = kb.roles_of(p[0].id, date(2010, 1, 1))[0]
        assert role.country == "AZE" and kb.office(role.office).sector == "GOV"
    # CAMEO IGOUNO is the curated UN
    assert "UNO" in kb.organisations
    en_groups = [t for t in kb.lang_terms["en"] if t.kind == "group"]
    assert any(t.text == "foreign minister" and t.sector == "GOV" for t in en_groups)
    fr = load_terms("fr", kb)
    assert not any(t.kind == "group" and t.text == "foreign minister" for t in fr)


@pytest.mark.skipif(not REF.is_dir(), reason="../shared reference data absent")
def test_phoenix_sources_parse() -> None:
    d = REF / "petrarch2"
    s = import_dictionary(d / "Phoenix.Countries.actors.txt")
    counts = s.counts()
    assert counts["person"] > 17_000 and counts["dated roles"] > 26_000
    assert counts["warnings"] < 60
    a = import_dictionary(d / "Phoenix.agents.txt")
    assert a.kind == "agents" and len(a.agents) > 2_000
