"""ingest/neardup.py: MinHash signatures, LSH keys and the choice of what to code.

Texts are hand-written wire copy: a story, its republished copies (new headline, added
sentence, other quotes and spacing), an agency update, and different stories sharing the
same dateline and boilerplate footer.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.errors import SettingsError
from communique.ingest import article_from_text
from communique.ingest.neardup import (
    InFlight,
    MinHasher,
    Selection,
    backfill_signatures,
    is_near_duplicate,
    new_shingles,
    pack,
    select_new,
    similarity,
    unpack,
)
from communique.model import Article
from communique.settings import Settings
from communique.store.base import SignatureRecord

if TYPE_CHECKING:
    from communique.ingest.neardup import Signature

SETTINGS = Settings()
HASHER = MinHasher.from_settings(SETTINGS)
V1 = "coder-1"

FR_DATELINE = "BAKOU, 29 novembre (AZERTAC) - "
FR_FOOTER = (
    "\n\nTous droits de reproduction et de représentation réservés. Les dépêches de "
    "l'agence sont protégées par le droit d'auteur et ne peuvent être reproduites sans "
    "autorisation."
)
FR_VISIT = (
    "Le vice-ministre des Affaires étrangères Elnour Mammadov a reçu vendredi à Bakou le "
    "représentant spécial du Japon Masaki Ishikawa, venu discuter de la coopération "
    "énergétique entre les deux pays. Selon le ministère, les deux responsables ont évoqué "
    "le projet de gazoduc transcaspien, la formation d'ingénieurs azerbaïdjanais au Japon et "
    "l'ouverture prochaine d'une ligne aérienne directe entre Bakou et Tokyo. M. Mammadov a "
    "salué « le rôle constructif » de Tokyo dans la région et invité le ministre japonais des "
    "Affaires étrangères à se rendre en Azerbaïdjan au printemps. M. Ishikawa a pour sa part "
    "rappelé que les entreprises japonaises avaient investi près de deux milliards de dollars "
    "dans le secteur pétrolier azerbaïdjanais depuis l'indépendance du pays. Les deux parties "
    "sont convenues de réunir la commission intergouvernementale mixte avant la fin de "
    "l'année prochaine, a précisé le communiqué publié à l'issue de l'entretien."
)
FR_PROTEST = (
    "Plusieurs centaines de personnes ont manifesté vendredi devant le Parlement pour "
    "réclamer la libération de trois journalistes arrêtés la semaine dernière. Les "
    "manifestants, qui brandissaient des pancartes, ont été dispersés sans violence par la "
    "police en fin d'après-midi. Le parquet reproche aux trois reporters d'avoir reçu des "
    "fonds de l'étranger, ce que leurs avocats contestent. L'organisation Reporters sans "
    "frontières a dénoncé « une campagne d'intimidation » contre la presse indépendante et "
    "appelé les autorités à abandonner les poursuites. Le gouvernement n'a pas réagi."
)
FR_ADDED = (
    " M. Ishikawa doit également rencontrer samedi le président de la compagnie pétrolière "
    "nationale."
)

EN_DATELINE = "GENEVA, March 12 (Reuters) - "
EN_FOOTER = (
    "\n\nReporting by the Geneva newsroom; editing by the Europe desk. Our Standards: "
    "The Thomson Reuters Trust Principles."
)
EN_TALKS = [
    "Delegations from Armenia and Azerbaijan met in Geneva on Tuesday for a third round of "
    "talks on a peace treaty, the Swiss foreign ministry said, as both sides signalled that "
    "the remaining differences over border demarcation could be settled within months.",
    "The talks, hosted by Switzerland at a lakeside villa, brought together the deputy "
    "foreign ministers of the two countries and a team of cartographers who have been "
    "working since last year on a common map of the 1,000-kilometre frontier.",
    '"We have made real progress on the most sensitive sections of the border, and we '
    'expect to present a joint text to our governments before the summer," the Armenian '
    "deputy minister told reporters after the first session, which lasted more than six "
    "hours.",
    "His Azerbaijani counterpart was more cautious, saying that several villages near the "
    "northern section of the border remained a matter of dispute and that no agreement "
    "would be signed until every detail had been checked by experts on the ground.",
    "The European Union and the United States have both offered to guarantee any final "
    "agreement, and a senior EU official said Brussels was ready to fund the reconstruction "
    "of roads and railways linking the two countries once a treaty was in force.",
    "Russia, which brokered the ceasefire that ended the 2020 war, was not represented at "
    "the talks. Its foreign ministry said on Monday that any settlement reached without "
    "Moscow's participation would be fragile and urged both sides to return to the format "
    "agreed in the trilateral statements signed in Moscow.",
    "Analysts in the region said the pace of the negotiations had surprised many observers. "
    "Only two years ago the two governments were exchanging accusations of shelling almost "
    "every week, and tens of thousands of people were forced to leave their homes.",
    "The next round of talks is expected to take place in April, possibly in Washington, "
    "according to two diplomats familiar with the planning who spoke on condition of "
    "anonymity because the date had not been made public.",
    "The Swiss foreign minister, who opened the meeting, said his country was honoured to "
    "host the negotiations and would continue to offer its good offices for as long as the "
    "parties found them useful.",
]
EN_UPDATE = [
    "In a statement released late on Tuesday evening, the Azerbaijani foreign ministry "
    "accused Armenian troops of firing on a border post near the village of Sofulu, wounding "
    "two soldiers, and warned that such provocations could derail the negotiations.",
    "Armenia's defence ministry denied the report, calling it an attempt to shift the blame "
    "for the slow pace of the talks, and said its forces had observed the ceasefire along "
    "the whole length of the frontier throughout the day.",
]
EN_FLOOD = [
    "Heavy rain caused floods across the canton of Valais on Tuesday, forcing the evacuation "
    "of several hundred residents and cutting the main railway line to Italy, the cantonal "
    "police said.",
    "Rescue teams used helicopters to reach villages cut off by landslides in the upper "
    "Rhone valley, where more than 100 millimetres of rain fell in 24 hours, according to "
    "the national weather service.",
    "No deaths had been reported by Tuesday evening, but two people were missing after their "
    "car was swept away by a river near the town of Sierre.",
]


def make(aid: str, text: str) -> Article:
    """An Article read as the readers read it (header and body found), with a chosen id."""
    return article_from_text(text, id=aid, origin=f"{aid}.txt", settings=SETTINGS)


def fr_story(headline: str, body: str) -> str:
    return f"{headline}\n\n{FR_DATELINE}{body}{FR_FOOTER}"


def en_story(headline: str, paragraphs: Sequence[str]) -> str:
    return f"{headline}\n\n{EN_DATELINE}" + "\n\n".join(paragraphs) + EN_FOOTER


FR_ORIGINAL = fr_story("Le Japon et l'Azerbaïdjan renforcent leur coopération", FR_VISIT)
# Republished: other headline, other quotes, doubled spaces, one added sentence.
FR_COPY = fr_story(
    "Tokyo et Bakou veulent relancer leur partenariat énergétique",
    FR_VISIT.replace("« ", '"').replace(" »", '"').replace(". ", ".  ") + FR_ADDED,
)
FR_REWORDED = fr_story(
    "Bakou et Tokyo : coopération énergétique",
    FR_VISIT.replace("a reçu vendredi", "a accueilli vendredi")
    .replace("ont évoqué", "ont abordé")
    .replace("a précisé le communiqué publié", "selon le communiqué diffusé"),
)
FR_OTHER = fr_story("Manifestation devant le Parlement", FR_PROTEST)

EN_ORIGINAL = en_story("Armenia, Azerbaijan see border deal within months", EN_TALKS)
EN_COPY = en_story(
    "UPDATE 1-Armenia and Azerbaijan hold peace talks in Geneva",
    [p.replace('"', "'") for p in EN_TALKS[:4]]
    + ["Both delegations declined to comment on the timing of a possible summit."]
    + EN_TALKS[4:],
)
EN_TRIMMED = en_story("Armenia, Azerbaijan talk peace in Geneva", EN_TALKS[:-1])
EN_UPDATED = en_story("UPDATE 2-Azerbaijan accuses Armenia of border fire", EN_TALKS + EN_UPDATE)
EN_OTHER = en_story("Floods cut railway to Italy", EN_FLOOD)


def sig(text: str) -> Signature:
    signature = HASHER.article_signature(make("x", text))
    assert signature is not None
    return signature


def exact(a: str, b: str) -> tuple[float, int]:
    """Exact Jaccard similarity of the bodies' shingles, and the shingles b adds."""
    body_a, body_b = make("a", a), make("b", b)
    sa = HASHER.shingles(body_a.text[body_a.body_start :])
    sb = HASHER.shingles(body_b.text[body_b.body_start :])
    return len(sa & sb) / len(sa | sb), len(sb - sa)


class FakeIndex:
    """An in-memory DuplicateIndex: coded articles with versions, links, signatures."""

    def __init__(self) -> None:
        self.versions: dict[str, str] = {}
        self.linked: set[str] = set()
        self.signatures: dict[str, SignatureRecord] = {}
        self.band_lookups = 0

    def stored_versions(self, ids: Sequence[str]) -> dict[str, str]:
        return {i: self.versions[i] for i in ids if i in self.versions}

    def duplicate_ids(self, ids: Sequence[str]) -> set[str]:
        return self.linked & set(ids)

    def band_matches(self, keys: Sequence[int]) -> list[tuple[int, str]]:
        self.band_lookups += 1
        wanted = set(keys)
        return sorted(
            (k, s.article_id) for s in self.signatures.values() for k in s.band_keys if k in wanted
        )

    def signatures_of(self, ids: Sequence[str], scheme: str) -> dict[str, tuple[bytes, int]]:
        return {
            i: (self.signatures[i].signature, self.signatures[i].shingles)
            for i in ids
            if i in self.signatures and self.signatures[i].scheme == scheme
        }

    def store(self, selection: Selection, version: str = V1) -> None:
        """What store.write does with a Selection (the coder is not needed here)."""
        for a in selection.to_code:
            self.versions[a.id] = version
        for s in selection.signatures:
            self.signatures[s.article_id] = s
        self.linked |= {d.duplicate_id for d in selection.duplicates}

    # SignatureBackfill
    def unsigned_articles(self, scheme: str, after: str, limit: int) -> list[tuple[str, str]]:
        texts = getattr(self, "texts", {})
        rows = [
            (i, texts[i])
            for i in sorted(self.versions)
            if i > after and (i not in self.signatures or self.signatures[i].scheme != scheme)
        ]
        return rows[:limit]

    def write_signatures(self, signatures: Sequence[SignatureRecord]) -> None:
        for s in signatures:
            self.signatures[s.article_id] = s


def select(articles: list[Article], index: FakeIndex, **changes: object) -> Selection:
    return select_new(
        articles, index, settings=SETTINGS.with_(**changes), coder_version=V1, hasher=HASHER
    )


# -- similarity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "copy"),
    [
        (FR_ORIGINAL, FR_COPY, True),  # ~150 words: headline, quotes, spaces, +1 sentence
        (EN_ORIGINAL, EN_COPY, True),  # ~430 words: headline, quotes, +1 sentence
        (FR_ORIGINAL, FR_REWORDED, True),  # a few reworded phrases, a shortened ending
        (EN_ORIGINAL, EN_TRIMMED, True),  # last paragraph cut: nothing new
        (EN_ORIGINAL, EN_UPDATED, False),  # an update: two new paragraphs, new events
        (FR_ORIGINAL, FR_OTHER, False),  # same dateline and footer, another story
        (EN_ORIGINAL, EN_OTHER, False),
    ],
)
def test_copies_are_near_duplicates_and_updates_or_other_stories_not(
    a: str, b: str, copy: bool
) -> None:
    original, other = sig(a), sig(b)
    assert is_near_duplicate(other, original, SETTINGS) is copy
    # the estimates stay near the exact values (about 3 standard errors at k=120)
    jaccard, added = exact(a, b)
    assert abs(similarity(other, original) - jaccard) < 0.12
    assert abs(new_shingles(other, original) - added) < 25


def test_other_stories_share_little() -> None:
    for a, b in [(FR_ORIGINAL, FR_OTHER), (EN_ORIGINAL, EN_OTHER), (FR_ORIGINAL, EN_ORIGINAL)]:
        assert similarity(sig(a), sig(b)) < 0.15


def test_similarity_alone_would_not_separate_copy_from_update() -> None:
    """Why the rule also bounds new text: a short copy and a long update score alike."""
    copy_j, copy_added = exact(FR_ORIGINAL, FR_COPY)
    update_j, update_added = exact(EN_ORIGINAL, EN_UPDATED)
    assert abs(copy_j - update_j) < 0.1
    assert copy_added <= 25 and update_added >= 60


def test_whitespace_quotes_case_and_headline_do_not_count() -> None:
    same_body = fr_story(
        "UN AUTRE TITRE", FR_VISIT.upper().replace("« ", "“").replace(" »", "”").replace(" ", "\n")
    )
    assert sig(FR_ORIGINAL) == sig(same_body)


def test_signature_shape_and_pack_round_trip() -> None:
    signature = sig(EN_ORIGINAL)
    assert signature.values.shape == (SETTINGS.near_duplicate_hashes,)
    assert len(pack(signature)) == 4 * SETTINGS.near_duplicate_hashes
    assert unpack(pack(signature), signature.shingles) == signature
    keys = HASHER.band_keys(signature)
    assert len(keys) == SETTINGS.near_duplicate_hashes // SETTINGS.near_duplicate_band_rows
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_text_without_words_has_no_signature() -> None:
    assert HASHER.signature(" -- ... !! ") is None
    assert HASHER.signature("Bref.") is not None  # shorter than a shingle: one shingle


@given(st.text(min_size=1, max_size=300))
def test_signature_is_deterministic(text: str) -> None:
    a, b = HASHER.signature(text), MinHasher.from_settings(Settings()).signature(text)
    assert a == b


def test_signature_is_stable_across_processes() -> None:
    """Another interpreter (another PYTHONHASHSEED) computes the same signature and keys."""
    code = textwrap.dedent(
        f"""
        from communique.ingest.neardup import MinHasher, pack
        from communique.settings import Settings
        h = MinHasher.from_settings(Settings())
        sig = h.signature({EN_ORIGINAL!r})
        print(pack(sig).hex(), *h.band_keys(sig))
        """
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    sig = HASHER.signature(EN_ORIGINAL)
    assert sig is not None
    here = " ".join([pack(sig).hex(), *map(str, HASHER.band_keys(sig))]) + "\n"
    assert outs == {here}


def test_scheme_names_the_parameters() -> None:
    other = MinHasher(shingle_words=4, hashes=120, band_rows=6)
    assert other.scheme != HASHER.scheme
    assert "w5-k120-r6" in HASHER.scheme


@pytest.mark.parametrize(("hashes", "rows"), [(120, 7), (0, 1), (120, 0)])
def test_bad_parameters_are_a_settings_error(hashes: int, rows: int) -> None:
    with pytest.raises(SettingsError, match="divisible"):
        MinHasher(shingle_words=5, hashes=hashes, band_rows=rows)


# -- select_new ------------------------------------------------------------------------


def test_copy_in_the_same_batch_links_to_the_first() -> None:
    index = FakeIndex()
    batch = [make("orig", EN_ORIGINAL), make("other", EN_OTHER), make("copy", EN_COPY)]
    result = select(batch, index)
    assert [a.id for a in result.to_code] == ["orig", "other"]
    (link,) = result.duplicates
    assert (link.duplicate_id, link.original_id) == ("copy", "orig")
    assert link.similarity >= SETTINGS.near_duplicate_threshold
    assert link.origin == "copy.txt" and link.lang == "en"
    assert [s.article_id for s in result.signatures] == ["orig", "other"]


def test_copy_of_a_stored_article_found_from_signatures_only() -> None:
    index = FakeIndex()
    index.store(select([make("orig", FR_ORIGINAL), make("other", FR_OTHER)], index))
    result = select([make("copy", FR_COPY), make("new", EN_ORIGINAL)], index)
    assert [a.id for a in result.to_code] == ["new"]
    assert [(d.duplicate_id, d.original_id) for d in result.duplicates] == [("copy", "orig")]


def test_update_and_other_stories_are_coded() -> None:
    index = FakeIndex()
    index.store(select([make("orig", EN_ORIGINAL)], index))
    result = select([make("update", EN_UPDATED), make("flood", EN_OTHER)], index)
    assert [a.id for a in result.to_code] == ["update", "flood"]
    assert result.duplicates == []


def test_stored_and_linked_ids_are_skipped_and_other_versions_recoded() -> None:
    index = FakeIndex()
    index.store(select([make("orig", EN_ORIGINAL)], index))
    index.store(select([make("copy", EN_COPY)], index))
    assert index.linked == {"copy"}
    again = select(
        [make("orig", EN_ORIGINAL), make("copy", EN_COPY), make("orig", EN_ORIGINAL)], index
    )
    assert again.to_code == [] and again.duplicates == []
    assert sorted(again.skipped) == ["copy", "orig", "orig"]
    # a new coder version recodes the stored original; it never becomes a duplicate
    index.versions["orig"] = "coder-0"
    recode = select([make("orig", EN_ORIGINAL)], index)
    assert [a.id for a in recode.to_code] == ["orig"]
    assert [s.article_id for s in recode.signatures] == ["orig"]


def test_detection_can_be_switched_off() -> None:
    index = FakeIndex()
    result = select(
        [make("orig", EN_ORIGINAL), make("copy", EN_COPY)], index, detect_near_duplicates=False
    )
    assert [a.id for a in result.to_code] == ["orig", "copy"]
    assert result.duplicates == [] and result.signatures == []
    assert index.band_lookups == 0


def test_selection_is_deterministic() -> None:
    batch = [
        make(f"a{i}", t)
        for i, t in enumerate([EN_ORIGINAL, FR_COPY, EN_COPY, FR_ORIGINAL, EN_OTHER])
    ]
    first, second = select(batch, FakeIndex()), select(batch, FakeIndex())
    assert first == second


def test_backfill_signs_stored_articles_once() -> None:
    index = FakeIndex()
    index.versions = {"orig": V1, "other": V1}
    index.texts = {"orig": make("orig", FR_ORIGINAL).text, "other": make("other", FR_OTHER).text}
    assert backfill_signatures(index, SETTINGS, hasher=HASHER) == 2
    assert backfill_signatures(index, SETTINGS, hasher=HASHER) == 0
    result = select([make("copy", FR_COPY)], index)
    assert [(d.duplicate_id, d.original_id) for d in result.duplicates] == [("copy", "orig")]


# -- batches in flight (selected, not written yet) ---------------------------------------


def test_selection_with_batches_in_flight_is_the_one_of_batches_written_in_turn() -> None:
    """An engine selects batch 2 before batch 1 is written: holding batch 1 in flight gives
    what storing it would have given."""
    first = [make("orig", EN_ORIGINAL), make("fr", FR_ORIGINAL)]
    second = [make("copy", EN_COPY), make("orig", EN_ORIGINAL), make("new", FR_OTHER)]
    written = FakeIndex()
    written.store(select(first, written))
    expected = select(second, written)

    index, flight = FakeIndex(), InFlight()
    flight.hold(select(first, index))
    result = select_new(
        second, index, settings=SETTINGS, coder_version=V1, hasher=HASHER, in_flight=flight
    )
    assert result == expected
    assert [(d.duplicate_id, d.original_id) for d in result.duplicates] == [("copy", "orig")]
    assert result.skipped == ["orig"] and [a.id for a in result.to_code] == ["new"]


def test_in_flight_index_forgets_what_is_written() -> None:
    selection = select([make("orig", EN_ORIGINAL), make("copy", EN_COPY)], FakeIndex())
    keys = list(selection.signatures[0].band_keys)
    flight = InFlight()
    flight.hold(selection)
    assert "orig" in flight and "copy" in flight and len(flight) == 2
    assert {aid for _, aid in flight.band_matches(keys)} == {"orig"}  # only coded ones
    assert set(flight.signatures_of(["orig", "copy", "x"], HASHER.scheme)) == {"orig"}
    assert flight.signatures_of(["orig"], "another-scheme") == {}
    flight.release(selection)
    assert "orig" not in flight and len(flight) == 0
    assert flight.band_matches(keys) == []
    assert flight.signatures_of(["orig"], HASHER.scheme) == {}
