"""A generated corpus for the reliability tests (not a test module; pytest puts this folder
on sys.path): several store batches of short dispatches that cost little to code, a
quarter of them with an event sentence, and republished copies of earlier dispatches a
batch or more apart, spread over JSONL and text files.

Every sentence is written for this project: background sentences are drawn at random
from a small neutral vocabulary (no trigger word, no actor), event sentences fill
templates with countries and cities. A seeded generator makes the corpus the same on
every run.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

# Background vocabulary: concrete words with no trigger lemma and no actor name, and the
# function words language identification needs.
_FR_NOUNS = (  # noqa: SIM905 (a word list reads best as words)
    "lampe jardin rivière pomme fenêtre colline bibliothèque bicyclette cuisine "
    "prairie horloge armoire parapluie violon ruisseau verger tabouret lanterne "
    "citrouille grenier sentier moulin théière escalier tapis carafe cerisier nuage "
    "tulipe péniche"
).split()
_FR_ADJ = (  # noqa: SIM905 (a word list reads best as words)
    "bleu vert ancien petit grand calme humide lumineux tranquille rond étroit large "
    "léger sombre doré tiède"
).split()
_FR_LINK = ("près de la", "derrière le", "sous la", "au bord du", "à côté de la", "dans le")
_FR_TAIL = (
    "reste silencieux le matin",
    "brille doucement au soleil",
    "semble plus vieux que prévu",
    "sent la cannelle et le miel",
    "paraît immense vu du chemin",
)

_EN_NOUNS = (  # noqa: SIM905 (a word list reads best as words)
    "lamp garden river apple window hill library bicycle kitchen meadow clock "
    "cupboard umbrella violin stream orchard stool lantern pumpkin attic path mill "
    "teapot staircase carpet jug cherry cloud tulip barge"
).split()
_EN_ADJ = (  # noqa: SIM905 (a word list reads best as words)
    "blue green old small tall quiet damp bright calm round narrow wide light dark"
).split()
_EN_LINK = ("near the", "behind the", "under the", "beside the", "inside the", "across the")
_EN_TAIL = (
    "stays silent in the morning",
    "shines softly in the sun",
    "looks older than expected",
    "smells of cinnamon and honey",
    "seems huge from the path",
)

# Event sentences (each codes as an event with both actors resolved): French and English
# templates over pairs of countries given by adjective and capital.
_FR_PAIRS = (
    ("français", "marocain", "Rabat"),
    ("allemand", "polonais", "Varsovie"),
    ("japonais", "azerbaïdjanais", "Bakou"),
    ("italien", "tunisien", "Tunis"),
    ("canadien", "mexicain", "Mexico"),
    ("brésilien", "argentin", "Buenos Aires"),
)
_FR_EVENTS = (
    "Le ministre {a} des Affaires étrangères a rencontré {day} à {city} son homologue {b}.",
    "Le président {a} a condamné {day} les propos du gouvernement {b}.",
    "Le Premier ministre {a} s'est rendu {day} à {city} à l'invitation du président {b}.",
)
_EN_PAIRS = (
    ("Kenyan", "Ugandan", "Kampala"),
    ("Swedish", "Finnish", "Helsinki"),
    ("Indian", "Nepalese", "Kathmandu"),
    ("Chilean", "Peruvian", "Lima"),
)
_EN_EVENTS = (
    "The {a} foreign minister met his {b} counterpart in {city} on {day}.",
    "The {a} president condemned the {b} government on {day}.",
)
_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# One dispatch in EVENT_EVERY carries an event sentence; one in COPY_EVERY is a republished
# copy of the dispatch COPY_DISTANCE places earlier (more than a store batch of 256 back,
# so that a kill may fall between an original and its copy).
EVENT_EVERY = 4
COPY_EVERY = 29
COPY_DISTANCE = 300


@dataclass
class Corpus:
    """The corpus folder, and the article ids of each file (absolute path), in order."""

    folder: Path
    files: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [i for ids in self.files.values() for i in ids]


def _background(rng: random.Random, lang: str) -> str:
    if lang == "fr":
        return (
            f"La {rng.choice(_FR_NOUNS)} {rng.choice(_FR_ADJ)} {rng.choice(_FR_LINK)} "
            f"{rng.choice(_FR_NOUNS)} {rng.choice(_FR_TAIL)} et la {rng.choice(_FR_NOUNS)} "
            f"{rng.choice(_FR_ADJ)} aussi."
        )
    return (
        f"The {rng.choice(_EN_ADJ)} {rng.choice(_EN_NOUNS)} {rng.choice(_EN_LINK)} "
        f"{rng.choice(_EN_NOUNS)} {rng.choice(_EN_TAIL)} and the {rng.choice(_EN_NOUNS)} "
        f"is {rng.choice(_EN_ADJ)} too."
    )


def _event(rng: random.Random, lang: str) -> str:
    if lang == "fr":
        a, b, city = rng.choice(_FR_PAIRS)
        return rng.choice(_FR_EVENTS).format(a=a, b=b, city=city, day=rng.choice(_FR_DAYS))
    a, b, city = rng.choice(_EN_PAIRS)
    return rng.choice(_EN_EVENTS).format(a=a, b=b, city=city, day=rng.choice(_EN_DAYS))


def dispatch(rng: random.Random, index: int) -> str:
    """The text of dispatch ``index``: four background sentences, and an event sentence
    second for one in EVENT_EVERY; one in five is English."""
    lang = "en" if index % 5 == 4 else "fr"
    sentences = [_background(rng, lang) for _ in range(4)]
    if index % EVENT_EVERY == 0:
        sentences.insert(1, _event(rng, lang))
    return " ".join(sentences)


def republished(text: str) -> str:
    """Another site's copy: other spacing and an added credit line (a near-duplicate)."""
    return text.replace(". ", ".  ") + " (Reprise d'une dépêche.)"


def write_corpus(
    folder: Path,
    *,
    jsonl_files: int,
    per_file: int,
    text_files: int,
    copy_every: int = COPY_EVERY,
    copy_distance: int = COPY_DISTANCE,
) -> Corpus:
    """``jsonl_files`` JSONL files of ``per_file`` dispatches, then ``text_files`` .txt
    files of one dispatch each, under ``folder`` (read in that order: names sort so).
    One JSONL dispatch in ``copy_every`` republishes the one ``copy_distance`` back."""
    rng = random.Random(20240611)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)
    texts: list[str] = []
    index = 0
    for f in range(jsonl_files):
        path = folder / f"feed-{f:02d}.jsonl"
        lines, ids = [], []
        for line in range(per_file):
            text = dispatch(rng, index)
            if index % copy_every == copy_every - 1 and index >= copy_distance:
                text = republished(texts[index - copy_distance])
            texts.append(text)
            article_id = f"f{f:02d}-{line:04d}"
            day = 1 + index % 28
            lines.append(
                json.dumps(
                    {"id": article_id, "text": text, "published": f"2024-05-{day:02d}"},
                    ensure_ascii=False,
                )
            )
            ids.append(article_id)
            index += 1
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        corpus.files[str(path.resolve())] = ids
    for t in range(text_files):
        path = folder / f"note-{t:03d}.txt"
        text = dispatch(rng, index)
        index += 1
        path.write_text(text, encoding="utf-8")
        corpus.files[str(path.resolve())] = [_content_id(path)]
    return corpus


def _content_id(path: Path) -> str:
    """The id ingest gives a text file (a hash of its content), as the reader computes it."""
    from communique.ingest import read_paths
    from communique.model import Article
    from communique.settings import Settings

    (article,) = read_paths([path], settings=Settings())
    assert isinstance(article, Article)
    return article.id
