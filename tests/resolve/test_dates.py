"""Date expressions: finding, resolving, vocabulary validation (resolve/dates.py)."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.errors import DataFileError, UnknownLanguageError
from communique.model import DateRef, TextSpan
from communique.resolve.dates import (
    DateMention,
    DateVocab,
    find_dates,
    load_date_vocab,
    parse_date_text,
    sentence_date,
)

# Friday 29 November 2024 (seed 000) and Friday 9 August 2024 (seed 002).
NOV29 = date(2024, 11, 29)
AUG9 = date(2024, 8, 9)


@pytest.fixture(scope="module")
def fr() -> DateVocab:
    return load_date_vocab("fr")


def found(
    text: str, vocab: DateVocab, published: date | None = NOV29, prefer: str = "past"
) -> list[tuple[str, str | None, str | None]]:
    """(span text, value, precision) of every mention, checking the offsets on the way."""
    mentions = find_dates(text, 0, len(text), published, vocab, prefer)  # type: ignore[arg-type]
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.span.text
        assert m.ref.span == m.span
    return [(m.span.text, m.ref.value, m.ref.precision) for m in mentions]


def one(text: str, vocab: DateVocab, published: date | None = NOV29, prefer: str = "past"):
    mentions = found(text, vocab, published, prefer)
    assert len(mentions) == 1, mentions
    return mentions[0]


# ----------------------------------------------------------------------------- explicit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il a rencontré le 29 novembre le ministre.", ("le 29 novembre", "2024-11-29", "day")),
        ("Signé 29 novembre 2023 à Bakou.", ("29 novembre 2023", "2023-11-29", "day")),
        ("Le 1er mars, il est parti.", ("Le 1er mars", "2024-03-01", "day")),
        ("Le premier mars, il est parti.", ("Le premier mars", "2024-03-01", "day")),
        ("Réunion le 14/05/2024 à Paris.", ("le 14/05/2024", "2024-05-14", "day")),
        ("Réunion 14.05.2024 à Paris.", ("14.05.2024", "2024-05-14", "day")),
        ("Réunion 2024-05-14 à Paris.", ("2024-05-14", "2024-05-14", "day")),
        ("Le 9 Août, il a parlé.", ("Le 9 Août", "2024-08-09", "day")),
        ("le 9 aout 2023", ("le 9 aout 2023", "2023-08-09", "day")),
        ("le 3 fevrier", ("le 3 fevrier", "2024-02-03", "day")),
        ("le 3 fév. 2024", ("le 3 fév. 2024", "2024-02-03", "day")),
        ("le mardi 12 novembre", ("le mardi 12 novembre", "2024-11-12", "day")),
        ("le\u00a029\u00a0novembre", ("le\u00a029\u00a0novembre", "2024-11-29", "day")),
    ],
)
def test_explicit_dates(fr: DateVocab, text: str, expected: tuple[str, str, str]) -> None:
    assert one(text, fr) == expected


def test_dernier_after_a_day_month_looks_strictly_back(fr: DateVocab) -> None:
    assert one("le 9 août dernier", fr) == ("le 9 août dernier", "2024-08-09", "day")
    # "dernier" on the day itself means a year ago
    assert one("le 29 novembre dernier", fr)[1] == "2023-11-29"
    assert one("le 5 mai prochain", fr)[1] == "2025-05-05"


def test_year_phrase_after_a_day_month(fr: DateVocab) -> None:
    assert one("le 5 mai de l'an dernier", fr)[1] == "2023-05-05"
    assert one("le 5 décembre de cette année", fr)[1] == "2024-12-05"


def test_year_rollover_in_the_past(fr: DateVocab) -> None:
    assert one("le 28 décembre", fr, date(2024, 1, 5)) == ("le 28 décembre", "2023-12-28", "day")
    # a few days ahead of publication stays in the same year
    assert one("le 8 janvier", fr, date(2024, 1, 5))[1] == "2024-01-08"


def test_year_rollover_in_the_future(fr: DateVocab) -> None:
    assert one("le 3 janvier", fr, date(2024, 12, 20), "future")[1] == "2025-01-03"
    assert one("le 3 janvier", fr, date(2024, 12, 20), "past")[1] == "2024-01-03"


def test_leap_day_finds_a_leap_year(fr: DateVocab) -> None:
    assert one("le 29 février", fr, date(2025, 3, 10))[1] == "2024-02-29"
    assert found("le 29 février 2023", fr) == []


@pytest.mark.parametrize(
    "text", ["le 31 février", "le 45 mars", "le 45 mars 2024", "le 31/02/2024", "le 0 mai"]
)
def test_impossible_dates_are_not_dates(fr: DateVocab, text: str) -> None:
    assert found(text, fr) == []


# ----------------------------------------------------------------------------- months, years


def test_months(fr: DateVocab) -> None:
    assert one("signé en mai de cette année", fr, AUG9) == (
        "en mai de cette année",
        "2024-05",
        "month",
    )
    assert one("en mai dernier", fr, AUG9)[1:] == ("2024-05", "month")
    assert one("en mai", fr, AUG9)[1:] == ("2024-05", "month")
    assert one("en mai 2023", fr, AUG9)[1:] == ("2023-05", "month")
    assert one("mai 2023", fr, AUG9)[1:] == ("2023-05", "month")
    assert one("fin novembre", fr)[1:] == ("2024-11", "month")
    assert one("à la mi-novembre", fr)[1:] == ("2024-11", "month")
    assert one("en novembre de l'année dernière", fr)[1] == "2023-11"


def test_month_year_follows_the_preferred_direction(fr: DateVocab) -> None:
    assert one("en novembre", fr, AUG9, "future")[1] == "2024-11"
    assert one("en novembre", fr, AUG9, "past")[1] == "2023-11"
    assert one("en août", fr, AUG9, "past")[1] == "2024-08"
    assert one("en août", fr, AUG9, "future")[1] == "2024-08"
    # "dernier" excludes the current month
    assert one("en août dernier", fr, AUG9)[1] == "2023-08"


def test_bare_month_name_is_not_a_date(fr: DateVocab) -> None:
    assert found("la réunion de mai a eu lieu", fr) == []


def test_years(fr: DateVocab) -> None:
    assert one("en 2023, il a signé", fr) == ("en 2023", "2023", "year")
    assert one("fin 2023", fr) == ("fin 2023", "2023", "year")


def test_seasons_resolve_to_a_year(fr: DateVocab) -> None:
    assert one("l'été dernier", fr)[1:] == ("2024", "year")
    assert one("au printemps 2023", fr)[1] == "2023"


# ----------------------------------------------------------------------------- weekdays


def test_weekday_in_the_past(fr: DateVocab) -> None:
    # NOV29 is a Friday
    assert one("Il a parlé mardi.", fr) == ("mardi", "2024-11-26", "day")
    assert one("Il a parlé vendredi.", fr)[1] == "2024-11-29"  # the same day is allowed
    assert one("Il a parlé samedi.", fr)[1] == "2024-11-23"


def test_weekday_in_the_future(fr: DateVocab) -> None:
    assert one("Il parlera mardi.", fr, prefer="future")[1] == "2024-12-03"
    assert one("Il parlera vendredi.", fr, prefer="future")[1] == "2024-11-29"


def test_qualified_weekdays(fr: DateVocab) -> None:
    assert one("mardi dernier", fr) == ("mardi dernier", "2024-11-26", "day")
    assert one("vendredi dernier", fr)[1] == "2024-11-22"  # strictly before
    assert one("jeudi prochain", fr) == ("jeudi prochain", "2024-12-05", "day")
    assert one("ce lundi", fr) == ("ce lundi", "2024-11-25", "day")
    assert one("ce lundi matin", fr)[0] == "ce lundi matin"


def test_weekday_result_is_that_weekday(fr: DateVocab) -> None:
    for offset in range(7):
        published = NOV29 + timedelta(days=offset)
        for name, number in (("lundi", 0), ("mercredi", 2), ("dimanche", 6)):
            for prefer in ("past", "future"):
                value = one(name, fr, published, prefer)[1]
                assert value is not None
                day = date.fromisoformat(value)
                assert day.weekday() == number
                assert abs((day - published).days) < 7
                assert (day <= published) if prefer == "past" else (day >= published)


# ----------------------------------------------------------------------------- relatives


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("hier", "2024-11-28"),
        ("avant-hier", "2024-11-27"),
        ("aujourd'hui", "2024-11-29"),
        ("aujourd’hui", "2024-11-29"),
        ("Aujourd’hui", "2024-11-29"),
        ("demain", "2024-11-30"),
        ("après-demain", "2024-12-01"),
        ("apres-demain", "2024-12-01"),
        ("hier soir", "2024-11-28"),
        ("ce matin", "2024-11-29"),
    ],
)
def test_relative_days(fr: DateVocab, text: str, value: str) -> None:
    mention = find_dates(text, 0, len(text), NOV29, fr)[0]
    assert (mention.span.text, mention.ref.value, mention.ref.precision) == (text, value, "day")
    assert mention.relative
    assert mention.ref.method.startswith("relative:")


def test_weeks_resolve_to_their_monday(fr: DateVocab) -> None:
    assert one("la semaine dernière", fr) == ("la semaine dernière", "2024-11-18", "week")
    assert one("la semaine passée", fr)[1] == "2024-11-18"
    assert one("cette semaine", fr) == ("cette semaine", "2024-11-25", "week")
    assert one("la semaine prochaine", fr)[1] == "2024-12-02"
    assert one("en début de semaine", fr) == ("en début de semaine", "2024-11-25", "week")


def test_months_and_years_relative(fr: DateVocab) -> None:
    assert one("le mois dernier", fr) == ("le mois dernier", "2024-10", "month")
    assert one("le mois prochain", fr, date(2024, 12, 3))[1] == "2025-01"
    assert one("ce mois-ci", fr)[1] == "2024-11"
    assert one("l'année prochaine", fr) == ("l'année prochaine", "2025", "year")
    assert one("l’année dernière", fr)[1] == "2023"
    assert one("l'an dernier", fr) == ("l'an dernier", "2023", "year")
    assert one("cette année", fr)[1] == "2024"
    assert one("le budget de cette année", fr)[0] == "cette année"


def test_weekend(fr: DateVocab) -> None:
    # the Saturday of the weekend before the Friday of publication
    assert one("le week-end dernier", fr) == ("le week-end dernier", "2024-11-23", "day")
    assert one("le week-end dernier", fr, date(2024, 12, 2))[1] == "2024-11-30"


def test_counts(fr: DateVocab) -> None:
    assert one("il y a deux jours", fr) == ("il y a deux jours", "2024-11-27", "day")
    assert one("il y a 3 semaines", fr)[1:] == ("2024-11-04", "week")
    assert one("dans deux mois", fr)[1:] == ("2025-01", "month")
    assert one("il y a un an", fr)[1:] == ("2023", "year")


def test_ranges(fr: DateVocab) -> None:
    # the night from Tuesday to Wednesday is dated by its second day
    assert one("dans la nuit de mardi à mercredi", fr) == (
        "dans la nuit de mardi à mercredi",
        "2024-11-27",
        "day",
    )
    assert one("du 3 au 5 mars", fr)[1] == "2024-03-03"
    assert one("dans la nuit du 3 au 4 mars", fr)[1] == "2024-03-04"
    assert one("du 28 février au 2 mars 2024", fr)[1] == "2024-02-28"
    assert one("du 28 décembre au 2 janvier 2024", fr)[1] == "2023-12-28"
    assert one("les 15 et 16 novembre", fr)[1] == "2024-11-15"


def test_anaphoric_expressions_are_dropped(fr: DateVocab) -> None:
    assert found("ce jour-là, cette nuit-là, ce soir-là", fr) == []


# ----------------------------------------------------------------------------- no date


@pytest.mark.parametrize(
    "text",
    [
        "l'Arménie a détruit 9 villes",
        "au cours de près de 30 ans d'occupation",
        "il s'est rendu 16 fois en Asie centrale",
        "payé en 16 fois",
        "la présidence de la COP29",
        "au cours des deux dernières années",
        "sept villes et 2 000 personnes",
        "de 9 à 12 ans",
        "la mars, le mai",
        "",
    ],
)
def test_false_positives(fr: DateVocab, text: str) -> None:
    assert found(text, fr) == []


# ----------------------------------------------------------------------------- published None


def test_without_published_date_only_stated_years_resolve(fr: DateVocab) -> None:
    assert found("le 29 novembre", fr, None) == [("le 29 novembre", None, None)]
    assert found("hier", fr, None) == [("hier", None, None)]
    assert found("mardi dernier", fr, None) == [("mardi dernier", None, None)]
    assert found("la semaine dernière", fr, None) == [("la semaine dernière", None, None)]
    assert found("en mai de cette année", fr, None) == [("en mai de cette année", None, None)]
    assert found("le 29 novembre 2024", fr, None) == [("le 29 novembre 2024", "2024-11-29", "day")]
    assert found("en 2023", fr, None) == [("en 2023", "2023", "year")]


# ----------------------------------------------------------------------------- offsets


def test_spans_are_absolute_and_limited_to_the_window(fr: DateVocab) -> None:
    text = "Hier, rien. Le 9 août, le président a parlé. Demain, rien."
    start = text.index("Le 9")
    end = text.index(" Demain")
    mentions = find_dates(text, start, end, AUG9, fr)
    assert [m.span for m in mentions] == [TextSpan(start, start + 9, "Le 9 août")]


def test_several_mentions_in_order(fr: DateVocab) -> None:
    text = "Mardi, après la réunion du 3 mars 2024, il a annoncé qu'en 2025 il reviendra."
    assert [m[0] for m in found(text, fr)] == ["Mardi", "3 mars 2024", "en 2025"]


def test_methods_say_how(fr: DateVocab) -> None:
    def method(text: str, prefer: str = "past") -> str:
        return find_dates(text, 0, len(text), NOV29, fr, prefer)[0].ref.method  # type: ignore[arg-type]

    assert method("le 29 novembre 2024") == "explicit"
    assert method("le 29 novembre").startswith("explicit+year-inferred")
    assert method("hier") == "relative:hier"
    assert method("mardi") == "weekday:past"
    assert method("mardi", "future") == "weekday:future"


def test_datetime_published_is_accepted(fr: DateVocab) -> None:
    from datetime import datetime

    text = "hier"
    assert find_dates(text, 0, 4, datetime(2024, 11, 29, 23, 0), fr)[0].ref.value == "2024-11-28"


def test_bad_prefer_is_rejected(fr: DateVocab) -> None:
    with pytest.raises(ValueError):
        find_dates("hier", 0, 4, NOV29, fr, "sideways")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("29 novembre", "2024-11-29"),
        ("3 fév.", "2024-02-03"),
        ("14/05/2024", "2024-05-14"),
        ("5 avril 2024", "2024-04-05"),
        ("2 juin", "2024-06-02"),
        ("mercredi 12 septembre 2024", "2024-09-12"),
    ],
)
def test_parse_date_text(fr: DateVocab, text: str, value: str) -> None:
    ref = parse_date_text(text, fr, NOV29)
    assert ref is not None
    assert ref.value == value
    assert ref.precision == "day"


def test_parse_date_text_without_date_or_year(fr: DateVocab) -> None:
    assert parse_date_text("AZERTAC", fr, NOV29) is None
    ref = parse_date_text("29 novembre", fr)
    assert ref is not None and ref.value is None and ref.precision is None
    assert parse_date_text("5 avril 2024", fr) == DateRef(
        "2024-04-05", "day", "explicit", TextSpan(0, 12, "5 avril 2024")
    )


# ----------------------------------------------------------------------------- sentence_date


def _mention(start: int, value: str | None, precision: str | None = "day") -> DateMention:
    span = TextSpan(start, start + 4, "xxxx")
    return DateMention(span, DateRef(value, precision, "test", span), relative=False)


def test_sentence_date_takes_the_first_mention() -> None:
    mentions = [_mention(30, "2024-11-28"), _mention(5, "2024-05")]
    assert sentence_date(mentions, NOV29).value == "2024-05"


def test_sentence_date_skips_unresolved_mentions() -> None:
    mentions = [_mention(5, None, None), _mention(30, "2024")]
    assert sentence_date(mentions, NOV29).value == "2024"
    only_unresolved = sentence_date([_mention(5, None, None)], None)
    assert only_unresolved.value is None


def test_sentence_date_anchor_prefers_the_nearest() -> None:
    mentions = [_mention(5, "2024-05"), _mention(30, "2024-11-28")]
    assert sentence_date(mentions, NOV29, anchor=40).value == "2024-11-28"


def test_sentence_date_defaults_to_published() -> None:
    assert sentence_date([], NOV29) == DateRef("2024-11-29", "day", "published")
    assert sentence_date([], None).value is None


def test_seed_sentences(fr: DateVocab) -> None:
    text = (
        "Le 9 août, le président azerbaïdjanais Ilham Aliyev a participé à une réunion. "
        "L’Azerbaïdjan accueillera la conférence sur le climat COP29 en novembre de cette année."
    )
    mentions = find_dates(text, 0, len(text), AUG9, fr)
    assert [(m.span.text, m.ref.value) for m in mentions] == [
        ("Le 9 août", "2024-08-09"),
        ("en novembre de cette année", "2024-11"),
    ]
    assert sentence_date(mentions[:1], AUG9).value == "2024-08-09"


# ----------------------------------------------------------------------------- vocabulary


def _write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "dates.yaml").write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path


_MONTHS = "months: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12}\n"
_DAYS = "weekdays: {mo: 0, tu: 1, we: 2, th: 3, fr: 4, sa: 5, su: 6}\n"


def test_minimal_vocab_loads(tmp_path: Path) -> None:
    vocab = load_date_vocab("xx", _write(tmp_path, _MONTHS + _DAYS))
    assert vocab.lang == "xx"
    assert one("3 k 2020", vocab)[1] == "2020-11-03"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (_MONTHS.replace("l: 12", "l: 13") + _DAYS, "months"),
        (_MONTHS.replace(", l: 12", "") + _DAYS, "months"),
        (_MONTHS + _DAYS.replace("su: 6", "su: 7"), "weekdays"),
        (_MONTHS + _DAYS + "colours: [red]\n", "unknown key"),
        (_MONTHS + _DAYS + "qualifiers_after: {past: yesterday}\n", "qualifiers_after"),
        (_MONTHS + _DAYS + "units: {week: fortnight}\n", "units"),
        (_MONTHS + _DAYS + "numeric_dates: {order: ydm}\n", "numeric_dates"),
        (_MONTHS + _DAYS + "ranges: [{open: [from], link: [to]}]\n", "ranges"),
        (_MONTHS + "weekdays: [mo, tu]\n", "weekdays"),
        (_MONTHS + _DAYS + "week_start: true\n", "week_start"),
        ("months: [unclosed\n", "YAML"),
        ("- just a list\n", "mapping"),
    ],
)
def test_invalid_vocab_is_a_data_file_error(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(DataFileError) as err:
        load_date_vocab("xx", _write(tmp_path, body))
    assert needle in str(err.value)
    assert err.value.where and "dates.yaml" in err.value.where
    assert err.value.hint


def test_folded_duplicates_must_agree(tmp_path: Path) -> None:
    body = _MONTHS.replace("a: 1", "a: 1, A: 2") + _DAYS
    with pytest.raises(DataFileError):
        load_date_vocab("xx", _write(tmp_path, body))


def test_missing_language(tmp_path: Path) -> None:
    with pytest.raises(UnknownLanguageError):
        load_date_vocab("zz", tmp_path)
    with pytest.raises(UnknownLanguageError):
        load_date_vocab("../fr")


def test_pack_root_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    _write(tmp_path / "xx", _MONTHS + _DAYS)
    assert load_date_vocab("xx", tmp_path).lang == "xx"


_ENGLISH = """\
months: {january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7,
         august: 8, september: 9, october: 10, november: 11, december: 12, nov.: 11}
weekdays: {monday: 0, tuesday: 1, wednesday: 2, thursday: 3, friday: 4, saturday: 5,
           sunday: 6}
ordinal_suffixes: [st, nd, rd, th]
day_month_orders: [month-day, day-month]
numeric_dates: {order: mdy, separators: "/"}
year_joiners: [","]
determiners: [the]
connectors: [of]
year_markers: [in]
month_markers: [in]
period_parts: {early: start, late: end, mid-: middle}
qualifiers_before: {this: this, last: last, next: next}
relative_days: {yesterday: -1, today: 0, tomorrow: 1, tonight: 0}
parts_of_day: [morning, night]
units: {day: day, days: day, week: week, weeks: week, month: month, year: year, years: year}
numbers: {two: 2, three: 3}
ago: {before: [], after: [ago]}
ahead: {before: [in], after: []}
ranges: [{open: [from], link: [to], take: first}]
"""


def test_the_code_is_language_neutral(tmp_path: Path) -> None:
    en = load_date_vocab("en", _write(tmp_path, _ENGLISH))
    assert one("on November 29, 2024", en) == ("November 29, 2024", "2024-11-29", "day")
    assert one("on Nov. 3rd", en)[1] == "2024-11-03"
    assert one("on 3 November", en)[1] == "2024-11-03"
    assert one("last Tuesday", en) == ("last Tuesday", "2024-11-26", "day")
    assert one("yesterday morning", en)[1] == "2024-11-28"
    assert one("two days ago", en)[1] == "2024-11-27"
    assert one("in three weeks", en)[1:] == ("2024-12-16", "week")
    assert one("next week", en)[1:] == ("2024-12-02", "week")
    assert one("in May last year", en)[1] == "2023-05"
    assert one("in 2023", en)[1] == "2023"
    assert one("05/14/2024", en)[1] == "2024-05-14"
    assert one("from May 3 to May 5", en)[1] == "2024-05-03"
    assert found("In May 45 people died", en) == [("In May", "2024-05", "month")]


# ----------------------------------------------------------------------------- properties

_FRAGMENTS = [
    "le ",
    "9 ",
    "1er ",
    "31 ",
    "45 ",
    "août ",
    "fév. ",
    "mars",
    "2024 ",
    "dernier ",
    "prochaine ",
    "mardi ",
    "ce ",
    "cette ",
    "semaine ",
    "l’",
    "an ",
    "hier",
    "avant-",
    "en ",
    "de ",
    "du ",
    "au ",
    "dans la nuit de ",
    "à ",
    "il y a ",
    "deux ",
    "jours ",
    "14/05/2024",
    "31/02/",
    "-là ",
    "COP29 ",
    ", ",
    ". ",
    "\u00a0",
    "É",
    "’",
]


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=6), max_size=30),
    bounds=st.tuples(st.integers(0, 400), st.integers(0, 400)),
    published=st.none() | st.dates(),
    prefer=st.sampled_from(["past", "future"]),
)
def test_find_dates_never_raises_and_spans_are_sound(
    fr: DateVocab,
    parts: list[str],
    bounds: tuple[int, int],
    published: date | None,
    prefer: str,
) -> None:
    text = "".join(parts)
    start, end = min(bounds), min(max(bounds), len(text))
    start = min(start, end)
    mentions = find_dates(text, start, end, published, fr, prefer)  # type: ignore[arg-type]
    previous_end = start
    for m in mentions:
        assert start <= m.span.start < m.span.end <= end
        assert text[m.span.start : m.span.end] == m.span.text
        assert m.span.start >= previous_end  # ordered, not overlapping
        previous_end = m.span.end
        assert m.ref.precision in (None, "day", "week", "month", "year")
        if m.ref.value is not None:
            _check_value(m.ref.value, m.ref.precision)
        else:
            assert m.ref.precision is None
    assert sentence_date(mentions, published) is not None


def _check_value(value: str, precision: str | None) -> None:
    if precision in ("day", "week"):
        date.fromisoformat(value)
    elif precision == "month":
        year, month = value.split("-")
        assert len(year) == 4 and 1 <= int(month) <= 12
    else:
        assert len(value) == 4 and value.isdigit()


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    published=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    prefer=st.sampled_from(["past", "future"]),
)
def test_inferred_year_is_nearest_in_the_preferred_direction(
    fr: DateVocab, day: int, month: int, published: date, prefer: str
) -> None:
    names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
    names += ["septembre", "octobre", "novembre", "décembre"]
    text = f"le {day} {names[month - 1]}"
    mentions = find_dates(text, 0, len(text), published, fr, prefer)  # type: ignore[arg-type]
    try:
        date(2000, month, day)
    except ValueError:
        assert mentions == []
        return
    assert len(mentions) == 1
    value = mentions[0].ref.value
    assert value is not None
    resolved = date.fromisoformat(value)
    assert (resolved.month, resolved.day) == (month, day)
    slack = timedelta(days=7)
    if prefer == "past":
        assert resolved <= published + slack
        assert resolved > published + slack - timedelta(days=366 * 4 + 1)
    else:
        assert resolved >= published - slack
