"""Language routing: every dispatch is coded in its own language, a dispatch in a language
communique does not code is skipped with a message that names it, and a mixed dispatch is
coded in its majority language with a warning that gives the shares."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import communique.pipeline
from communique.engines.local import IngestReport
from communique.errors import UnknownLanguageError
from communique.ingest import InputProblem, article_from_text, read_paths
from communique.ingest.langid import installed_languages, other_languages, profile_language
from communique.ingest.readers import warnings_of
from communique.model import Article, CodedArticle
from communique.settings import Settings

SETTINGS = Settings()  # models for fr and en

# Hand-written dispatches, one paragraph each.
FR = (
    "La ministre des Affaires étrangères a reçu jeudi son homologue norvégien, avec qui elle "
    "a parlé de la pêche dans les eaux du Nord et des accords de commerce. Les deux pays "
    "se sont engagés à tenir une nouvelle réunion avant la fin de l’année."
)
FR_2 = (
    "Le gouvernement a annoncé lundi qu’il allait rouvrir son ambassade dans la capitale, "
    "fermée depuis trois ans. Le porte-parole a précisé que les diplomates seraient de "
    "retour dès le mois prochain et que les visas seraient de nouveau délivrés."
)
EN = (
    "The prime minister flew to Oslo on Thursday for talks with his Norwegian counterpart, "
    "and the two leaders discussed fishing rights in the northern waters. They said that "
    "a new round of talks would be held before the end of the year."
)
EN_2 = (
    "The government announced on Monday that it would reopen its embassy in the capital, "
    "which has been closed for three years. A spokesman said that the diplomats would be "
    "back next month and that visas would again be issued to travellers."
)
GERMAN = (
    "Die Außenministerin hat am Donnerstag ihren norwegischen Amtskollegen empfangen. Die "
    "beiden sprachen über die Fischerei in den nördlichen Gewässern und über den Handel. "
    "Sie wollen sich noch vor dem Ende des Jahres wieder treffen."
)
SPANISH = (
    "La ministra de Asuntos Exteriores recibió el jueves a su homólogo noruego. Los dos "
    "hablaron de la pesca en las aguas del norte y del comercio entre sus países, y se "
    "comprometieron a celebrar una nueva reunión antes del final del año."
)
RUSSIAN = (
    "Министр иностранных дел в четверг принял своего норвежского коллегу. Они обсудили "
    "рыболовство в северных водах, а также торговлю между двумя странами, и договорились "
    "о новой встрече до конца года."
)
GREEK = (
    "Ο υπουργός Εξωτερικών συναντήθηκε την Πέμπτη με τον Νορβηγό ομόλογό του. Συζήτησαν "
    "την αλιεία στα βόρεια ύδατα και το εμπόριο μεταξύ των δύο χωρών."
)
# No profile ships for Polish: it is refused for lack of French or English function words.
POLISH = (
    "Minister spraw zagranicznych przyjął w czwartek swojego norweskiego odpowiednika. "
    "Rozmawiali o rybołówstwie na wodach północnych oraz o handlu między oboma krajami. "
    "Obaj politycy chcą spotkać się ponownie przed końcem roku."
)
# An English report that quotes a long French statement, and one that quotes a short one.
LONG_QUOTE = (
    "The foreign minister spoke to reporters after the meeting in Brussels on Friday. "
    "“Nous ne pouvons pas accepter que la frontière reste fermée sans aucune discussion, et "
    "nous demandons à nos partenaires de revenir à la table des négociations dès la semaine "
    "prochaine”, she said. The talks between the two delegations had been suspended in "
    "March, and neither side has said when they might resume. Officials in both capitals "
    "were not available for comment on the state of the negotiations."
)
SHORT_QUOTE = EN + " “Nous sommes prêts”, the minister said. " + EN_2


def read(tmp_path: Path, files: dict[str, str]) -> list[Article | InputProblem]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return list(read_paths([tmp_path], settings=SETTINGS))


# ---------------------------------------------------------------- routing


def test_a_folder_of_french_and_english_dispatches_routes_each(tmp_path: Path) -> None:
    items = read(tmp_path, {"a.txt": FR, "b.txt": EN, "c.txt": FR_2, "d.txt": EN_2})
    assert [(Path(a.origin or "").name, a.lang) for a in items if isinstance(a, Article)] == [
        ("a.txt", "fr"),
        ("b.txt", "en"),
        ("c.txt", "fr"),
        ("d.txt", "en"),
    ]
    assert all(isinstance(a, Article) and a.meta["lang_detected"] == "detected" for a in items)
    assert all(isinstance(a, Article) and a.warnings == () for a in items)


def test_jsonl_records_are_routed_one_by_one(tmp_path: Path) -> None:
    records = [("r1", EN), ("r2", FR), ("r3", EN_2), ("r4", FR_2)]
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in records)
    items = read(tmp_path, {"mixed.jsonl": lines})
    assert [(a.id, a.lang) for a in items if isinstance(a, Article)] == [
        ("r1", "en"),
        ("r2", "fr"),
        ("r3", "en"),
        ("r4", "fr"),
    ]


def test_golden_documents_route_to_their_language_without_warnings() -> None:
    root = Path(__file__).parents[1] / "golden"
    seen = 0
    for lang in ("fr", "en"):
        for docs in sorted((root / lang).glob("*/docs.jsonl")):
            for line in docs.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                article = article_from_text(
                    record["text"], id=record["id"], origin=str(docs), settings=SETTINGS
                )
                assert (article.id, article.lang) == (record["id"], lang)
                assert article.warnings == ()
                seen += 1
    if seen == 0:
        pytest.skip("no golden documents in this checkout")


def test_explicit_language_is_trusted() -> None:
    article = article_from_text(GERMAN, id="x", origin="t", settings=SETTINGS, lang="fr")
    assert article.lang == "fr"
    assert article.warnings == ()
    assert "lang_shares" not in article.meta


def test_profile_is_deterministic() -> None:
    text = FR + "\n\n" + EN
    assert profile_language(text) == profile_language(text)


# ---------------------------------------------------------------- unsupported languages


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (GERMAN, "German (de)"),
        (SPANISH, "Spanish (es)"),
        (RUSSIAN, "Russian (ru)"),
        (GREEK, "Greek script"),
    ],
)
def test_a_dispatch_in_another_language_is_skipped_naming_it(
    tmp_path: Path, text: str, named: str
) -> None:
    items = read(tmp_path, {"good.txt": FR, "other.txt": text})
    assert [a.lang for a in items if isinstance(a, Article)] == ["fr"]
    (problem,) = [p for p in items if isinstance(p, InputProblem)]
    assert problem.where == str(tmp_path / "other.txt")
    assert isinstance(problem.error, UnknownLanguageError)
    assert problem.error.code == "C107"
    assert f"appears to be in {named}" in problem.error.message
    assert "communique does not code; it codes en, fr" in problem.error.message
    assert "--lang" in (problem.error.hint or "") and "translate" in (problem.error.hint or "")


def test_a_latin_text_in_no_known_language_is_skipped(tmp_path: Path) -> None:
    (problem,) = [p for p in read(tmp_path, {"pl.txt": POLISH}) if isinstance(p, InputProblem)]
    assert isinstance(problem.error, UnknownLanguageError)
    assert "no language communique codes" in problem.error.message
    assert "function words of en or fr" in problem.error.message
    assert "--lang" in (problem.error.hint or "")


def test_an_unsupported_jsonl_record_is_named_by_its_line(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"id": i, "text": t}) + "\n" for i, t in [("r1", EN), ("r2", RUSSIAN)]
    )
    items = read(tmp_path, {"feed.jsonl": lines})
    assert [a.id for a in items if isinstance(a, Article)] == ["r1"]
    (problem,) = [p for p in items if isinstance(p, InputProblem)]
    assert problem.where == f"{tmp_path / 'feed.jsonl'}:2"
    assert "Russian (ru)" in problem.error.message


def test_a_short_foreign_text_still_falls_back() -> None:
    # Two German words are not evidence enough to refuse a dispatch.
    article = article_from_text("Die Welt, Berlin", id="x", origin="t", settings=SETTINGS)
    assert article.lang == SETTINGS.default_lang
    assert article.meta["lang_detected"] == "fallback"


def test_other_language_profiles_are_valid() -> None:
    profiles = other_languages()
    codes = [p.lang for p in profiles]
    assert {"de", "es", "it", "pt", "nl", "ru"} <= set(codes)
    assert not set(codes) & set(installed_languages())
    assert all(p.name and p.words for p in profiles)


# ---------------------------------------------------------------- mixed dispatches


def test_half_french_half_english_is_coded_in_the_majority_with_a_warning() -> None:
    text = FR + "\n\n" + EN + "\n\n" + FR_2
    article = article_from_text(text, id="x", origin="mixed.txt", settings=SETTINGS)
    assert article.lang == "fr"
    (warning,) = article.warnings
    assert warning.startswith("mixed languages (fr ")
    assert "%, en " in warning and "coded as fr" in warning
    assert article.meta["lang_shares"].startswith("fr ")
    (item,) = warnings_of(article)
    assert item.where == "mixed.txt" and item.message == warning


def test_english_majority_wins_over_french() -> None:
    text = EN + "\n\n" + FR + "\n\n" + EN_2
    article = article_from_text(text, id="x", origin="t", settings=SETTINGS)
    assert article.lang == "en"
    (warning,) = article.warnings
    assert "coded as en" in warning and "fr " in warning


def test_a_long_french_quotation_in_english_is_flagged() -> None:
    article = article_from_text(LONG_QUOTE, id="x", origin="t", settings=SETTINGS)
    assert article.lang == "en"
    (warning,) = article.warnings
    assert warning.startswith("mixed languages (en ")
    assert ", fr " in warning


def test_a_short_quotation_is_not_flagged() -> None:
    article = article_from_text(SHORT_QUOTE, id="x", origin="t", settings=SETTINGS)
    assert article.lang == "en"
    assert article.warnings == ()


def test_a_german_part_in_a_french_dispatch_is_flagged() -> None:
    text = FR + "\n\n" + FR_2 + "\n\n" + GERMAN
    article = article_from_text(text, id="x", origin="t", settings=SETTINGS)
    assert article.lang == "fr"
    (warning,) = article.warnings
    assert "German (de)" in warning and "coded as fr" in warning


# ---------------------------------------------------------------- through the CLI


class _Recorder:
    coder_version = "test"

    def __init__(self) -> None:
        self.seen: list[Article] = []

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        for article in articles:
            self.seen.append(article)
            yield CodedArticle(article, events=(), actors=())


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    fake = _Recorder()
    monkeypatch.setattr(communique.pipeline, "Coder", lambda settings=None: fake)
    return fake


def _cli(*args: str | Path) -> tuple[int, str]:
    from communique.cli.main import _register, cli

    _register()
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_cli_skips_a_foreign_dispatch_and_codes_the_others(
    tmp_path: Path, recorder: _Recorder
) -> None:
    for name, text in {"a.txt": FR, "b.txt": EN, "c.txt": GERMAN}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, stderr = _cli("extract", tmp_path)
    assert code == 1
    assert [a.lang for a in recorder.seen] == ["fr", "en"]
    (line,) = [x for x in stderr.splitlines() if x.startswith("skipped ")]
    assert line.startswith(f"skipped {tmp_path / 'c.txt'}: the dispatch appears to be in German")
    assert "(fix: leave it out or translate it" in line


@pytest.mark.skipif(
    "warnings" not in IngestReport.__dataclass_fields__,
    reason="the engine does not collect article warnings yet",
)
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_cli_prints_a_warning_for_a_mixed_dispatch(
    tmp_path: Path, recorder: _Recorder, command: str
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    mixed = inputs / "mixed.txt"
    mixed.write_text(FR + "\n\n" + EN + "\n\n" + FR_2, encoding="utf-8")
    (inputs / "plain.txt").write_text(EN, encoding="utf-8")
    extra = ["--store", tmp_path / "s.duckdb"] if command == "ingest" else []
    code, stderr = _cli(command, inputs, *extra)
    assert code == 0
    assert [a.lang for a in recorder.seen] == ["fr", "en"]
    (line,) = [x for x in stderr.splitlines() if x.startswith("warning ")]
    assert line.startswith(f"warning {mixed}: mixed languages (fr ")
    assert "en " in line and "coded as fr" in line
