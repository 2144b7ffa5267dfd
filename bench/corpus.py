"""Synthetic French and English dispatches for benchmarks, generated from templates
written for this project (no real article text). Deterministic for a given seed.

Each dispatch has a dateline, 6-9 paragraphs and roughly 260-560 words (~400 on average),
mixing sentences that hold events (meetings, accusations, sanctions, attacks, aid) with
background and commentary, as wire copy does. ``generate`` streams them (a generator,
never a list), French and English mixed half and half by default.
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


# English: the same world in wire-copy English (the sentences are our own, written in the
# spirit of the French ones, not translations of real copy).
COUNTRIES_EN = [
    ("France", "French", "Paris"),
    ("Germany", "German", "Berlin"),
    ("Japan", "Japanese", "Tokyo"),
    ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Kazakhstan", "Kazakh", "Astana"),
    ("Turkey", "Turkish", "Ankara"),
    ("Russia", "Russian", "Moscow"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("China", "Chinese", "Beijing"),
    ("India", "Indian", "New Delhi"),
    ("Brazil", "Brazilian", "Brasilia"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Algeria", "Algerian", "Algiers"),
    ("Morocco", "Moroccan", "Rabat"),
    ("Senegal", "Senegalese", "Dakar"),
    ("Mali", "Malian", "Bamako"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Iran", "Iranian", "Tehran"),
    ("Armenia", "Armenian", "Yerevan"),
    ("Georgia", "Georgian", "Tbilisi"),
    ("Poland", "Polish", "Warsaw"),
    ("Canada", "Canadian", "Ottawa"),
]
OFFICES_EN = [
    "the {adj} foreign minister",
    "the {adj} president",
    "the {adj} prime minister",
    "the {adj} defence minister",
    "the {adj} deputy foreign minister",
    "the {adj} ambassador",
]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVENT_SENTENCES_EN = [
    "{A_office}, {A_name}, met his {B_adj} counterpart {B_name} in {B_cap} on {day} during a working visit.",
    "{A_office} spoke by telephone with {B_office} on {day}.",
    "The two sides signed a memorandum of cooperation in the energy sector.",
    "{A_office} on {day} condemned the remarks of {B_office}, calling them unacceptable.",
    "The {A_adj} government accused {B} of breaching the agreements reached last year.",
    "{A} imposed new sanctions on {B}, {A_office} announced.",
    "{A_adj} soldiers attacked a {B_adj} army position near the border on {day}.",
    "{A_office} thanked the {B_adj} side for its support.",
    "{A} granted ten million euros of humanitarian aid to {B}.",
    "{A_office} invited {B_office} to visit {A_cap} next year.",
    "{A_office} called on {B} to release the detained {A_adj} nationals.",
    "The {A_adj} foreign ministry summoned the {B_adj} ambassador on {day}.",
    "{A_office} rejected a {B_adj} proposal to postpone the negotiations.",
    "{A_adj} police on {day} arrested three {B_adj} nationals suspected of spying.",
    "The {A_adj} army deployed additional troops along the border with {B}.",
    "{A_office} did not meet {B_office}, contrary to what had been announced.",
]
FILLER_EN = [
    "The talks covered trade, investment and regional transport links.",
    "Observers say relations between the two countries have improved markedly over the past few years.",
    "Bilateral trade grew by twelve percent in the first half of the year, according to official figures.",
    "Several experts interviewed said the security situation in the region remains a cause for concern.",
    "The next round of political consultations is expected to take place at the level of deputy ministers.",
    "A number of sectoral agreements are being prepared, notably in agriculture and education.",
    "Transport corridors and energy security were also on the agenda.",
    "Analysts believe cultural and academic cooperation still has room to grow.",
    "The final statement stressed the importance of dialogue and respect for international law.",
    "Representatives of the private sector took part in part of the discussions.",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _fill(template: str, rng: random.Random, lang: str = "fr") -> str:
    countries, offices, days = (
        (COUNTRIES, OFFICES, DAYS) if lang == "fr" else (COUNTRIES_EN, OFFICES_EN, DAYS_EN)
    )
    a, b = rng.sample(countries, 2)
    slots = {
        "A": a[0],
        "A_adj": a[1],
        "A_cap": a[2],
        "B": b[0],
        "B_adj": b[1],
        "B_cap": b[2],
        "A_office": rng.choice(offices).format(adj=a[1]),
        "B_office": rng.choice(offices).format(adj=b[1]),
        "A_name": rng.choice(NAMES),
        "B_name": rng.choice(NAMES),
        "day": rng.choice(days),
    }
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def dispatch(i: int, rng: random.Random, lang: str = "fr") -> dict[str, str]:
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    fr = lang == "fr"
    events, filler = (EVENT_SENTENCES, FILLER) if fr else (EVENT_SENTENCES_EN, FILLER_EN)
    place = rng.choice(COUNTRIES if fr else COUNTRIES_EN)[2]
    paragraphs = []
    for _ in range(rng.randint(6, 9)):
        sentences = [_fill(rng.choice(events), rng, lang)]
        sentences += [rng.choice(filler) for _ in range(rng.randint(2, 4))]
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    if fr:
        when = f"{published.day} {MONTHS[published.month - 1]} {published.year}"
        dateline = f"{place}, {when} (Agence Exemple) - "
    else:
        when = f"{MONTHS_EN[published.month - 1]} {published.day}, {published.year}"
        dateline = f"{place.upper()}, {when} (Example Agency) - "
    text = dateline + "\n".join(paragraphs)
    return {"id": f"bench-{i:06d}", "text": text, "lang": lang, "published": published.isoformat()}


def generate(n: int, seed: int = 7, english_share: float = 0.5) -> Iterator[dict[str, str]]:
    """``n`` dispatches, one at a time; each is English with probability ``english_share``."""
    rng = random.Random(seed)
    for i in range(n):
        lang = "en" if rng.random() < english_share else "fr"
        yield dispatch(i, rng, lang)


def write_jsonl(path: str, n: int, seed: int = 7, english_share: float = 0.5) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rec in generate(n, seed, english_share):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
