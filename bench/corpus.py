"""Synthetic French dispatches for benchmarks, generated from templates written for this
project (no real article text). Deterministic for a given seed.

Each dispatch has a dateline, 3-5 paragraphs and roughly 300-450 words, mixing sentences
that hold events (meetings, accusations, sanctions, attacks, aid) with background and
commentary, as wire copy does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

COUNTRIES = [
    ("France", "français", "Paris"),
    ("Allemagne", "allemand", "Berlin"),
    ("Japon", "japonais", "Tokyo"),
    ("Azerbaïdjan", "azerbaïdjanais", "Bakou"),
    ("Kazakhstan", "kazakh", "Astana"),
    ("Turquie", "turc", "Ankara"),
    ("Russie", "russe", "Moscou"),
    ("Ukraine", "ukrainien", "Kiev"),
    ("Chine", "chinois", "Pékin"),
    ("Inde", "indien", "New Delhi"),
    ("Brésil", "brésilien", "Brasilia"),
    ("Égypte", "égyptien", "Le Caire"),
    ("Algérie", "algérien", "Alger"),
    ("Maroc", "marocain", "Rabat"),
    ("Sénégal", "sénégalais", "Dakar"),
    ("Mali", "malien", "Bamako"),
    ("Nigeria", "nigérian", "Abuja"),
    ("Iran", "iranien", "Téhéran"),
    ("Arménie", "arménien", "Erevan"),
    ("Géorgie", "géorgien", "Tbilissi"),
    ("Pologne", "polonais", "Varsovie"),
    ("Canada", "canadien", "Ottawa"),
]
OFFICES = [
    "le ministre {adj} des Affaires étrangères",
    "le président {adj}",
    "le Premier ministre {adj}",
    "le ministre {adj} de la Défense",
    "le vice-ministre {adj} des Affaires étrangères",
    "l'ambassadeur {adj}",
]
NAMES = [
    "Jean Martin",
    "Akira Sato",
    "Elnour Aliyev",
    "Aigerim Nurlanova",
    "Mehmet Kaya",
    "Ivan Petrov",
    "Olena Kovalenko",
    "Li Wei",
    "Ravi Sharma",
    "João Silva",
    "Karim Benali",
    "Fatou Diop",
    "Moussa Traoré",
    "Aram Petrosyan",
    "Nino Beridze",
]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
EVENT_SENTENCES = [
    "{A_office}, {A_name}, a rencontré {day} à {B_cap} son homologue {B_adj}, {B_name}, en visite de travail.",
    "{A_office} s'est entretenu {day} au téléphone avec {B_office}.",
    "Les deux parties ont signé un mémorandum de coopération dans le domaine de l'énergie.",
    "{A_office} a condamné {day} les déclarations de {B_office}, qu'il a jugées inacceptables.",
    "Le gouvernement {A_adj} a accusé la {B} de violer les accords conclus l'an dernier.",
    "La {A} a imposé de nouvelles sanctions contre la {B}, a annoncé {A_office}.",
    "Des soldats {A_adj} ont attaqué {day} une position de l'armée {B_adj} près de la frontière.",
    "{A_office} a exprimé sa gratitude à la partie {B_adj} pour son soutien.",
    "La {A} a accordé une aide humanitaire de dix millions d'euros à la {B}.",
    "{A_office} a invité {B_office} à se rendre à {A_cap} l'année prochaine.",
    "{A_office} a appelé la {B} à libérer les ressortissants {A_adj} détenus.",
    "Le ministère {A_adj} des Affaires étrangères a convoqué l'ambassadeur {B_adj} {day}.",
    "{A_office} a rejeté la proposition {B_adj} de reporter les négociations.",
    "La police {A_adj} a arrêté {day} trois ressortissants {B_adj} soupçonnés d'espionnage.",
    "L'armée {A_adj} a déployé des troupes supplémentaires le long de la frontière avec la {B}.",
    "{A_office} n'a pas rencontré {B_office}, contrairement à ce qui avait été annoncé.",
]
FILLER = [
    "Les discussions ont porté sur le commerce, les investissements et les transports régionaux.",
    "Selon les observateurs, les relations entre les deux pays se sont nettement améliorées depuis plusieurs années.",
    "Le volume des échanges commerciaux a progressé de douze pour cent au cours du premier semestre.",
    "La situation sécuritaire dans la région reste préoccupante, selon plusieurs experts interrogés.",
    "Les prochaines consultations politiques devraient se tenir au niveau des vice-ministres.",
    "Plusieurs accords sectoriels sont en préparation, notamment dans l'agriculture et l'éducation.",
    "La question des corridors de transport et de la sécurité énergétique a également été abordée.",
    "Les experts estiment que la coopération culturelle et universitaire pourrait encore se développer.",
    "Le communiqué final souligne l'importance du dialogue et du respect du droit international.",
    "Des représentants du secteur privé ont participé à une partie des échanges.",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _fill(template: str, rng: random.Random) -> str:
    a, b = rng.sample(COUNTRIES, 2)
    slots = {
        "A": a[0],
        "A_adj": a[1],
        "A_cap": a[2],
        "B": b[0],
        "B_adj": b[1],
        "B_cap": b[2],
        "A_office": rng.choice(OFFICES).format(adj=a[1]),
        "B_office": rng.choice(OFFICES).format(adj=b[1]),
        "A_name": rng.choice(NAMES),
        "B_name": rng.choice(NAMES),
        "day": rng.choice(DAYS),
    }
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def dispatch(i: int, rng: random.Random) -> dict[str, str]:
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    place = rng.choice(COUNTRIES)[2]
    paragraphs = []
    for _ in range(rng.randint(4, 6)):
        sentences = [_fill(rng.choice(EVENT_SENTENCES), rng)]
        sentences += [rng.choice(FILLER) for _ in range(rng.randint(2, 3))]
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    dateline = f"{place}, {published.day} {MONTHS[published.month - 1]} {published.year} (Agence Exemple) - "
    text = dateline + "\n".join(paragraphs)
    return {"id": f"bench-{i:06d}", "text": text, "lang": "fr", "published": published.isoformat()}


def generate(n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for i in range(n):
        yield dispatch(i, rng)


def write_jsonl(path: str, n: int, seed: int = 7) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rec in generate(n, seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
