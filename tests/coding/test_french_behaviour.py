"""Behavioural tests of the French coder, written against ``CODING.md``.

Every sentence here is an original wire-style sentence. Each test states one property of
the output of the public call ``communique.extract.extract_text`` in terms of the scorer's
actor keys (country, else org, else "unknown"). Expectations that follow CODING.md but that
the coder does not meet yet are marked ``xfail(strict=True)`` with the reason
"coder gap: ...": they document the gap and turn into failures (XPASS) once it is closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from behaviour_rows import Code, assert_event, cached_runner, case, dyads, gap, key, show

pytestmark = pytest.mark.model

# A Thursday: "mardi dernier" is 2024-09-10, "hier" 2024-09-11.
PUBLISHED = dt.date(2024, 9, 12)


@pytest.fixture(scope="module")
def coder() -> Any:
    from communique.pipeline import Coder
    from communique.settings import Settings

    return Coder(Settings())


@pytest.fixture(scope="module")
def code(coder: Any) -> Code:
    return cached_runner(coder, "fr", PUBLISHED)


# --------------------------------------------------------------------------- one test per type
# Each case: (text, expected source key, expected target key).

CONSULT_CASES = [
    case(
        "Le chef de la diplomatie indienne s'est entretenu jeudi avec son homologue brésilien.",
        "IND",
        "BRA",
        id="s-entretenir-avec",
    ),
    case(
        "Le président égyptien Abdel Fattah al-Sissi a rencontré lundi le roi Abdallah II "
        "de Jordanie.",
        "EGY",
        "JOR",
        id="rencontrer",
    ),
]
AGREE_CASES = [
    case(
        "Le président vietnamien a invité son homologue philippin à effectuer une visite "
        "d'État à Hanoï.",
        "VNM",
        "PHL",
        id="inviter",
    ),
    case(
        "Le Premier ministre polonais a promis à l'Ukraine de nouvelles livraisons d'armes.",
        "POL",
        "UKR",
        id="promettre",
    ),
]
SUPPORT_CASES = [
    case(
        "Le président argentin a félicité le nouveau président mexicain pour sa victoire "
        "électorale.",
        "ARG",
        "MEX",
        id="feliciter",
    ),
    case(
        "Le Premier ministre libanais a remercié le Qatar pour son soutien financier à l'armée.",
        "LBN",
        "QAT",
        id="remercier",
    ),
]
CONCEDE_CASES = [
    case(
        "L'armée soudanaise a annoncé jeudi un cessez-le-feu unilatéral de trois jours.",
        "SDN",
        None,
        id="annoncer-cessez-le-feu",
    ),
    case(
        "L'Azerbaïdjan a annoncé un cessez-le-feu avec les forces arméniennes au Karabakh.",
        "AZE",
        "ARM",
        id="annoncer-cessez-le-feu-avec",
    ),
]
COOPERATE_CASES = [
    case(
        "La Chine et la Russie ont organisé des exercices militaires conjoints en mer du Japon.",
        "CHN",
        "RUS",
        id="exercices-conjoints",
    ),
    case(
        "La police marocaine a coopéré avec les enquêteurs espagnols pour démanteler un "
        "réseau de passeurs.",
        "MAR",
        "ESP",
        id="cooperer-avec",
    ),
]
AID_CASES = [
    case(
        "Le Japon a accordé une aide de 50 millions de dollars au Bangladesh.",
        "JPN",
        "BGD",
        id="accorder-aide",
    ),
    case(
        "Les États-Unis ont livré des munitions d'artillerie à l'Ukraine.",
        "USA",
        "UKR",
        id="livrer",
    ),
]
RETREAT_CASES = [
    case(
        "Le Venezuela a libéré dix ressortissants américains détenus à Caracas.",
        "VEN",
        "USA",
        id="liberer-ressortissants",
    ),
    case(
        "Israël a libéré trente prisonniers palestiniens dans la nuit de mardi à mercredi.",
        "ISR",
        "PSE",
        id="liberer-prisonniers",
    ),
]
REQUEST_CASES = [
    case(
        "Le secrétaire général de l'ONU a exhorté Israël à autoriser l'entrée de l'aide "
        "humanitaire à Gaza.",
        "UNO",
        "ISR",
        id="exhorter",
    ),
    case(
        "La Chine a demandé aux Philippines de retirer leur navire du récif contesté.",
        "CHN",
        "PHL",
        id="demander",
    ),
]
ACCUSE_CASES = [
    case(
        "L'Algérie a convoqué l'ambassadeur de France à Alger.",
        "DZA",
        "FRA",
        id="convoquer-ambassadeur",
    ),
    case(
        "Le gouvernement malien a accusé l'Algérie d'ingérence dans ses affaires intérieures.",
        "MLI",
        "DZA",
        id="accuser",
    ),
]
REJECT_CASES = [
    case(
        "L'Iran a rejeté mardi la proposition américaine de reprendre les négociations nucléaires.",
        "IRN",
        "USA",
        id="rejeter",
    ),
    case(
        "La Serbie a refusé l'entrée sur son territoire à un député croate.",
        "SRB",
        "HRV",
        id="refuser",
    ),
]
THREATEN_CASES = [
    case(
        "La Corée du Nord a menacé la Corée du Sud de représailles militaires.",
        "PRK",
        "KOR",
        id="menacer-de-represailles",
    ),
    case(
        "Le président turc a menacé la Suède de bloquer son adhésion à l'OTAN.",
        "TUR",
        "SWE",
        id="menacer-de-bloquer",
    ),
]
PROTEST_CASES = [
    case(
        "Des milliers d'Arméniens ont manifesté jeudi à Erevan contre le Premier ministre "
        "Nikol Pachinian.",
        "ARM",
        "ARM",
        id="manifester-contre",
    ),
    case(
        "Des centaines d'étudiants indonésiens ont manifesté devant l'ambassade des États-Unis "
        "à Jakarta.",
        "IDN",
        "USA",
        id="manifester-devant-ambassade",
    ),
]
SANCTION_CASES = [
    case(
        "Le Canada a imposé de nouvelles sanctions contre la Biélorussie.",
        "CAN",
        "BLR",
        id="imposer-sanctions",
    ),
    case(
        "La Moldavie a expulsé deux diplomates russes accusés d'espionnage.",
        "MDA",
        "RUS",
        id="expulser-diplomates",
    ),
]
MOBILIZE_CASES = [
    case(
        "Le Rwanda a déployé des troupes supplémentaires en Centrafrique.",
        "RWA",
        "CAF",
        id="deployer-troupes-en",
    ),
    case(
        "L'Inde a déployé des milliers de soldats près de sa frontière avec la Chine dans "
        "l'Himalaya.",
        "IND",
        "CHN",
        id="deployer-soldats-frontiere",
    ),
]
COERCE_CASES = [
    case(
        "La police iranienne a arrêté trois ressortissants français à Téhéran.",
        "IRN",
        "FRA",
        id="arreter-ressortissants",
    ),
    case(
        "Les autorités chinoises ont arrêté un journaliste australien à Pékin.",
        "CHN",
        "AUS",
        id="arreter-journaliste",
    ),
]
ASSAULT_CASES = [
    case(
        "L'aviation israélienne a bombardé des positions du Hezbollah au Liban.",
        "ISR",
        "LBN",
        id="bombarder",
    ),
    case(
        "La Russie a mené dans la nuit des frappes contre des infrastructures énergétiques "
        "ukrainiennes.",
        "RUS",
        "UKR",
        id="frappes-contre-after-adverbial",
    ),
]


@pytest.mark.parametrize(("text", "source", "target"), CONSULT_CASES)
def test_consult(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "CONSULT", source, target)


@pytest.mark.parametrize(("text", "source", "target"), AGREE_CASES)
def test_agree(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "AGREE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), SUPPORT_CASES)
def test_support(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "SUPPORT", source, target)


@pytest.mark.parametrize(("text", "source", "target"), CONCEDE_CASES)
def test_concede(code: Code, text: str, source: str, target: str | None) -> None:
    assert_event(code(text), "CONCEDE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), COOPERATE_CASES)
def test_cooperate(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "COOPERATE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), AID_CASES)
def test_aid(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "AID", source, target)


@pytest.mark.parametrize(("text", "source", "target"), RETREAT_CASES)
def test_retreat(code: Code, text: str, source: str, target: str) -> None:
    row = assert_event(code(text), "RETREAT", source, target)
    assert row["mode"] == "release"


@pytest.mark.parametrize(("text", "source", "target"), REQUEST_CASES)
def test_request(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "REQUEST", source, target)


@pytest.mark.parametrize(("text", "source", "target"), ACCUSE_CASES)
def test_accuse(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "ACCUSE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), REJECT_CASES)
def test_reject(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "REJECT", source, target)


@pytest.mark.parametrize(("text", "source", "target"), THREATEN_CASES)
def test_threaten(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "THREATEN", source, target)


@pytest.mark.parametrize(("text", "source", "target"), PROTEST_CASES)
def test_protest(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "PROTEST", source, target)


@pytest.mark.parametrize(("text", "source", "target"), SANCTION_CASES)
def test_sanction(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "SANCTION", source, target)


@pytest.mark.parametrize(("text", "source", "target"), MOBILIZE_CASES)
def test_mobilize(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "MOBILIZE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), COERCE_CASES)
def test_coerce(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "COERCE", source, target)


@pytest.mark.parametrize(("text", "source", "target"), ASSAULT_CASES)
def test_assault(code: Code, text: str, source: str, target: str) -> None:
    assert_event(code(text), "ASSAULT", source, target)


# --------------------------------------------------------------------------- more vocabulary
# (text, type, source key, target key) for the other trigger verbs a user would expect.
VOCABULARY_CASES = [
    case(
        "Le ministre arménien des Affaires étrangères a exprimé sa gratitude à la France "
        "pour son appui.",
        "SUPPORT",
        "ARM",
        "FRA",
        id="exprimer-sa-gratitude-a",
    ),
    case(
        "Paris a appelé Kinshasa et Kigali à la retenue.",
        "REQUEST",
        "FRA",
        "RWA",
        id="appeler-a",
    ),
    case(
        "Le Conseil de sécurité de l'ONU a condamné la Corée du Nord pour son dernier tir "
        "de missile.",
        "ACCUSE",
        "UNO",
        "PRK",
        id="condamner",
    ),
    case(
        "Des drones ukrainiens ont attaqué une raffinerie russe dans la région de Samara.",
        "ASSAULT",
        "UKR",
        "RUS",
        id="attaquer",
    ),
    case(
        "Les États-Unis ont mené des frappes contre des sites houthis au Yémen.",
        "ASSAULT",
        "USA",
        "YEM",
        id="mener-des-frappes-contre",
    ),
    case(
        "Le Premier ministre indien s'est rendu au Japon pour une visite de trois jours.",
        "CONSULT",
        "IND",
        "JPN",
        id="se-rendre-en",
    ),
    case(
        "Le Japon et les Philippines ont mené des exercices militaires conjoints en mer de "
        "Chine méridionale.",
        "COOPERATE",
        "JPN",
        "PHL",
        id="mener-exercices-conjoints",
    ),
    case(
        "L'Estonie a expulsé un diplomate russe et l'a déclaré persona non grata.",
        "SANCTION",
        "EST",
        "RUS",
        id="expulser-un-diplomate",
    ),
]


@pytest.mark.parametrize(("text", "type_", "source", "target"), VOCABULARY_CASES)
def test_more_trigger_verbs(code: Code, text: str, type_: str, source: str, target: str) -> None:
    assert_event(code(text), type_, source, target)


# --------------------------------------------------------------------------- joint signing
# (text, the pairs of parties that signed)
SIGNING_CASES = [
    case(
        "Le Kenya et l'Éthiopie ont signé mercredi à Nairobi un accord de coopération énergétique.",
        {("KEN", "ETH")},
        id="two-parties",
    ),
    case(
        "Le Maroc a signé mardi avec Israël un accord de coopération dans le domaine de la "
        "défense.",
        {("MAR", "ISR")},
        id="signer-avec",
    ),
    case(
        "La Turquie, l'Azerbaïdjan et la Géorgie ont signé lundi à Bakou un accord trilatéral "
        "sur le transport ferroviaire.",
        {("TUR", "AZE"), ("TUR", "GEO"), ("AZE", "GEO")},
        id="three-parties",
    ),
    case(
        "Les ministres des Affaires étrangères tchadien et nigérien ont signé à N'Djamena un "
        "protocole d'accord sur la sécurité des frontières.",
        {("TCD", "NER")},
        id="coordinated-nationalities",
    ),
    case(
        "Le président kényan a reçu mercredi son homologue somalien à Nairobi. Les deux "
        "dirigeants ont signé un accord de sécurité.",
        {("KEN", "SOM")},
        id="les-deux-dirigeants",
    ),
]


@pytest.mark.parametrize(("text", "pairs"), SIGNING_CASES)
def test_joint_signing_is_one_support_row_per_pair(
    code: Code, text: str, pairs: set[tuple[str, str]]
) -> None:
    rows = [r for r in code(text) if r["type"] == "SUPPORT"]
    got = [frozenset((key(r["source"]), key(r["target"]))) for r in rows]
    assert sorted(map(sorted, got)) == sorted(sorted(p) for p in pairs), show(rows)
    assert all(r["joint"] for r in rows), show(rows)


# --------------------------------------------------------------------------- direction
# CONSULT visit: the visitor is the source, the host the target.
HOST_RECEIVES_CASES = [
    case(
        "Le président nigérian a reçu son homologue sénégalais à Abuja.",
        "SEN",
        "NGA",
        id="recevoir-homologue",
    ),
    case(
        "Le roi de Jordanie a reçu mardi le ministre allemand des Affaires étrangères.",
        "DEU",
        "JOR",
        id="recevoir-ministre",
    ),
    case(
        "Le président ghanéen a reçu mardi à Accra le ministre britannique des Affaires "
        "étrangères.",
        "GBR",
        "GHA",
        id="recevoir-day-and-place-before-object",
    ),
    case(
        "Le président ghanéen a reçu le ministre britannique des Affaires étrangères à Accra.",
        "GBR",
        "GHA",
        id="recevoir-place-after-ministry",
    ),
]


@pytest.mark.parametrize(("text", "visitor", "host"), HOST_RECEIVES_CASES)
def test_host_who_receives_is_the_target(code: Code, text: str, visitor: str, host: str) -> None:
    rows = code(text)
    row = assert_event(rows, "CONSULT", visitor, host)
    assert row["mode"] == "visit", show(rows)
    assert (host, visitor) not in dyads(rows, "CONSULT"), show(rows)


VISITOR_MEETS_CASES = [
    case(
        "Le Premier ministre grec, en visite à Ankara, a rencontré le président turc Recep "
        "Tayyip Erdogan.",
        "GRC",
        "TUR",
        id="en-visite-a",
    ),
    case(
        "Le président français, en visite d'État au Maroc, a rencontré le roi Mohammed VI.",
        "FRA",
        "MAR",
        id="en-visite-d-etat-au",
    ),
]


@pytest.mark.parametrize(("text", "visitor", "host"), VISITOR_MEETS_CASES)
def test_visitor_who_meets_the_host_is_the_source(
    code: Code, text: str, visitor: str, host: str
) -> None:
    rows = code(text)
    assert_event(rows, "CONSULT", visitor, host)
    assert (host, visitor) not in dyads(rows, "CONSULT"), show(rows)


PASSIVE_CASES = [
    case(
        "Le chef de la diplomatie ukrainienne a été reçu lundi par le président polonais.",
        "UKR",
        "POL",
        id="recu-par",
    ),
    case(
        "Le ministre iranien des Affaires étrangères a été accueilli à Riyad par le prince "
        "héritier saoudien.",
        "IRN",
        "SAU",
        id="accueilli-par",
    ),
]


@pytest.mark.parametrize(("text", "visitor", "host"), PASSIVE_CASES)
def test_passive_reception_keeps_the_visitor_as_source(
    code: Code, text: str, visitor: str, host: str
) -> None:
    rows = code(text)
    row = assert_event(rows, "CONSULT", visitor, host)
    assert row["mode"] == "visit", show(rows)
    assert (host, visitor) not in dyads(rows, "CONSULT"), show(rows)


PRONOUN_CASES = [
    case(
        "Le chancelier allemand Olaf Scholz est arrivé lundi à Pékin pour une visite de deux "
        "jours. Il a rencontré mardi le président chinois Xi Jinping.",
        "CONSULT",
        "DEU",
        "CHN",
        id="il-active",
    ),
    case(
        "La présidente de la Commission européenne est arrivée lundi à Tunis. Elle s'est "
        "entretenue avec le président tunisien.",
        "CONSULT",
        "EUR",
        "TUN",
        id="elle-active",
    ),
    case(
        "Le ministre indien des Affaires étrangères est arrivé mardi à Moscou. Il a été reçu "
        "mercredi par le président russe.",
        "CONSULT",
        "IND",
        "RUS",
        id="il-passive",
        xfail="a subject pronoun of a passive ('Il a été reçu par ...') is not resolved to "
        "the person named in the previous sentence: nothing is coded",
    ),
]


@pytest.mark.parametrize(("text", "type_", "source", "target"), PRONOUN_CASES)
def test_pronoun_subject_is_the_person_named_before(
    code: Code, text: str, type_: str, source: str, target: str
) -> None:
    assert_event(code(text), type_, source, target)


QUOTE_CASES = [
    case(
        "« Nous soutenons pleinement l'Arménie dans ces négociations », a déclaré le "
        "président français Emmanuel Macron.",
        "SUPPORT",
        "FRA",
        "ARM",
        id="nous-soutenons",
    ),
    case(
        "« Nous rejetons catégoriquement ces accusations de l'Inde », a affirmé jeudi le "
        "Premier ministre pakistanais.",
        "REJECT",
        "PAK",
        "IND",
        id="nous-rejetons",
    ),
    case(
        "« J'ai rencontré ce matin mon homologue chinois », a indiqué le ministre kényan des "
        "Affaires étrangères.",
        "CONSULT",
        "KEN",
        "CHN",
        id="j-ai-rencontre",
    ),
]


@pytest.mark.parametrize(("text", "type_", "source", "target"), QUOTE_CASES)
def test_first_person_in_a_quote_is_the_speaker(
    code: Code, text: str, type_: str, source: str, target: str
) -> None:
    assert_event(code(text), type_, source, target)


# --------------------------------------------------------------------------- modality
NEGATION_CASES = [
    case(
        "L'Égypte n'a pas signé l'accord avec l'Éthiopie sur le barrage de la Renaissance.",
        "SUPPORT",
        "EGY",
        "ETH",
        id="n-a-pas-signe",
    ),
    case(
        "Le Brésil n'a pas condamné la Russie lors du sommet du G20.",
        "ACCUSE",
        "BRA",
        "RUS",
        id="n-a-pas-condamne",
    ),
]


@pytest.mark.parametrize(("text", "type_", "source", "target"), NEGATION_CASES)
def test_denied_event_is_negated(
    code: Code, text: str, type_: str, source: str, target: str
) -> None:
    rows = code(text)
    row = assert_event(rows, type_, source, target, ordered=False)
    assert row["negated"] is True, show(rows)
    assert not [r for r in rows if r["type"] == type_ and not r["negated"]], show(rows)


PLANNED_CASES = [
    case(
        "Le président sud-coréen rencontrera la semaine prochaine le Premier ministre japonais.",
        "KOR",
        "JPN",
        id="futur-simple",
    ),
    case(
        "Le ministre saoudien des Affaires étrangères doit se rendre en Iran dans les "
        "prochains jours.",
        "SAU",
        "IRN",
        id="doit-se-rendre",
    ),
]


@pytest.mark.parametrize(("text", "source", "target"), PLANNED_CASES)
def test_planned_meeting_is_agree_with_alt_consult(
    code: Code, text: str, source: str, target: str
) -> None:
    rows = code(text)
    row = assert_event(rows, "AGREE", source, target)
    assert row["alt_type"] == "CONSULT", show(rows)
    assert row["future"] is False, show(rows)
    assert not dyads(rows, "CONSULT"), show(rows)


BACKGROUND_CASES = [
    case(
        "Les Kurdes de Turquie ont manifesté contre le gouvernement d'Ankara pendant 30 ans.",
        id="pendant-30-ans",
    ),
    case(
        "Depuis trente ans, des Tibétains en exil manifestent chaque année à Dharamsala "
        "contre la politique chinoise.",
        id="depuis-trente-ans-fronted",
    ),
    case(
        "Les Kurdes de Turquie ont manifesté contre le gouvernement d'Ankara depuis trente ans.",
        id="depuis-trente-ans-in-words",
        xfail="background durations written in words ('depuis trente ans') are coded; "
        "the background patterns only accept digits",
    ),
]


@pytest.mark.parametrize("text", BACKGROUND_CASES)
def test_background_protest_is_not_coded(code: Code, text: str) -> None:
    rows = code(text)
    assert not dyads(rows, "PROTEST"), show(rows)


AGGREGATE_CASES = [
    case(
        "Le ministre turc des Affaires étrangères s'est rendu 16 fois en Russie depuis son "
        "entrée en fonctions.",
        id="16-fois",
    ),
    case(
        "Le Premier ministre hongrois s'est rendu à trois reprises en Chine cette année.",
        id="a-trois-reprises",
    ),
]


@pytest.mark.parametrize("text", AGGREGATE_CASES)
def test_aggregate_visits_are_not_coded(code: Code, text: str) -> None:
    rows = code(text)
    assert not dyads(rows, "CONSULT"), show(rows)


# --------------------------------------------------------------------------- dates
DATE_CASES = [
    case(
        "Le ministre qatari des Affaires étrangères a rencontré hier le chef de la diplomatie "
        "iranienne.",
        PUBLISHED,
        "CONSULT",
        "2024-09-11",
        id="hier",
    ),
    case(
        "Le ministre qatari des Affaires étrangères a rencontré hier le chef de la diplomatie "
        "iranienne.",
        dt.date(2023, 1, 5),
        "CONSULT",
        "2023-01-04",
        id="hier-across-year",
    ),
    case(
        "Le président ivoirien s'est entretenu mardi dernier avec le président ghanéen.",
        PUBLISHED,
        "CONSULT",
        "2024-09-10",
        id="mardi-dernier",
    ),
    case(
        "Le président ivoirien s'est entretenu mardi dernier avec le président ghanéen.",
        dt.date(2023, 1, 5),
        "CONSULT",
        "2023-01-03",
        id="mardi-dernier-other-week",
    ),
    case(
        "Le président sénégalais a reçu le 3 mars le Premier ministre mauritanien.",
        PUBLISHED,
        "CONSULT",
        "2024-03-03",
        id="le-3-mars",
    ),
    case(
        "Le Premier ministre indien s'est rendu au Japon en mai de cette année.",
        PUBLISHED,
        "CONSULT",
        "2024-05",
        id="en-mai-de-cette-annee",
    ),
    case(
        "L'armée malienne a libéré deux soldats ivoiriens capturés en janvier.",
        PUBLISHED,
        "RETREAT",
        "2024-09-12",
        id="date-of-participle-not-taken",
    ),
]


@pytest.mark.parametrize(("text", "published", "type_", "expected"), DATE_CASES)
def test_relative_dates_resolve_against_published(
    code: Code, text: str, published: dt.date, type_: str, expected: str
) -> None:
    rows = [r for r in code(text, published) if r["type"] == type_]
    assert rows, show(code(text, published))
    assert {r["date"] for r in rows} == {expected}, show(rows)


# --------------------------------------------------------------------------- actors
ACTOR_CASES = [
    case(
        # met in Canberra: the Japanese guest is the visitor, the host the target (CODING.md)
        "Le ministre australien de la Défense a rencontré son homologue japonais à Canberra.",
        "CONSULT",
        "JPN",
        "AUS",
        id="son-homologue-japonais",
    ),
    case(
        "La partie turque a félicité l'Azerbaïdjan pour la signature de l'accord.",
        "SUPPORT",
        "TUR",
        "AZE",
        id="la-partie-turque-source",
    ),
    case(
        "La partie turque a rejeté la proposition grecque.",
        "REJECT",
        "TUR",
        "GRC",
        id="la-partie-turque-rejects",
    ),
    case(
        "L'ONU a appelé la Birmanie à libérer les prisonniers politiques.",
        "REQUEST",
        "UNO",
        "MMR",
        id="l-onu",
    ),
    case(
        "L'Union européenne a félicité la Moldavie pour ses réformes.",
        "SUPPORT",
        "EUR",
        "MDA",
        id="l-union-europeenne",
    ),
    case(
        "L'Union européenne a accordé une aide de 50 millions d'euros à la Jordanie.",
        "AID",
        "EUR",
        "JOR",
        id="l-union-europeenne-aid",
    ),
    case(
        "Moscou a dénoncé le déploiement de soldats de l'OTAN en Estonie.",
        "ACCUSE",
        "RUS",
        "NATO",
        id="moscou-a-denonce",
    ),
    case(
        "Moscou a accusé Kiev d'avoir saboté les négociations.",
        "ACCUSE",
        "RUS",
        "UKR",
        id="moscou-accuse-kiev",
    ),
    case(
        "Le président chinois a reçu à Xi'an les dirigeants des pays d'Asie centrale.",
        "CONSULT",
        "CAS",
        "CHN",
        id="pays-d-asie-centrale-visitors",
    ),
    case(
        "Le Japon a promis une aide financière aux pays d'Asie centrale.",
        "AGREE",
        "JPN",
        "CAS",
        id="pays-d-asie-centrale-target",
    ),
    case(
        "Vladimir Poutine a menacé la Finlande de représailles.",
        "THREATEN",
        "RUS",
        "FIN",
        id="vladimir-poutine",
    ),
    case(
        "Emmanuel Macron a reçu mercredi le président kényan William Ruto à l'Élysée.",
        "CONSULT",
        "KEN",
        "FRA",
        id="emmanuel-macron-host",
    ),
    case(
        "Le Royaume-Uni a imposé des sanctions contre la Biélorussie.",
        "SANCTION",
        "GBR",
        "BLR",
        id="le-royaume-uni-sentence-initial",
    ),
    case(
        "Le président kazakh a rencontré le Premier ministre hongrois.",
        "CONSULT",
        "KAZ",
        "HUN",
        id="le-president-kazakh",
    ),
    case(
        "Le Hamas a annoncé samedi une trêve de 72 heures avec Israël.",
        "CONCEDE",
        "PSE",
        "ISR",
        id="le-hamas-bare",
    ),
    case(
        "Les talibans ont libéré un ressortissant britannique détenu à Kaboul.",
        "RETREAT",
        "AFG",
        "GBR",
        id="les-talibans",
    ),
]


@pytest.mark.parametrize(("text", "type_", "source", "target"), ACTOR_CASES)
def test_actor_resolution(code: Code, text: str, type_: str, source: str, target: str) -> None:
    assert_event(code(text), type_, source, target)


PLACE_NOT_TARGET_CASES = [
    case(
        "Des hommes armés ont attaqué un poste militaire nigérien près de la frontière malienne.",
        "ASSAULT",
        "MLI",
        id="pres-de-la-frontiere-malienne",
        xfail="a place phrase ('près de la frontière malienne') yields a second ASSAULT row "
        "with target MLI",
    ),
]


@pytest.mark.parametrize(("text", "type_", "not_target"), PLACE_NOT_TARGET_CASES)
def test_place_phrase_is_not_a_target(code: Code, text: str, type_: str, not_target: str) -> None:
    rows = code(text)
    assert dyads(rows, type_), show(rows)
    assert not [d for d in dyads(rows, type_) if d[1] == not_target], show(rows)


# --------------------------------------------------------------------------- modes
MODE_CASES = [
    case(
        "La Moldavie a expulsé deux diplomates russes accusés d'espionnage.",
        "SANCTION",
        "expel",
        id="sanction-expel",
    ),
    case(
        "L'Algérie a convoqué l'ambassadeur de France à Alger.",
        "ACCUSE",
        "disapprove",
        id="accuse-summon-disapprove",
    ),
    case(
        "Le Premier ministre indien s'est rendu au Japon pour une visite de trois jours.",
        "CONSULT",
        "visit",
        id="consult-visit",
    ),
    case(
        "La Russie a déployé des missiles Iskander au Bélarus.",
        "MOBILIZE",
        "weapons",
        id="mobilize-weapons",
        xfail="deploying missiles gets mode 'troops' instead of 'weapons'",
    ),
]


@pytest.mark.parametrize(("text", "type_", "mode"), MODE_CASES)
def test_mode(code: Code, text: str, type_: str, mode: str) -> None:
    rows = [r for r in code(text) if r["type"] == type_]
    assert rows, show(code(text))
    assert {r["mode"] for r in rows} == {mode}, show(rows)


# --------------------------------------------------------------------------- evidence
def _texts(cases: list[Any]) -> list[str]:
    return [p.values[0] for p in cases]


ALL_TEXTS = sorted(
    set(
        _texts(
            CONSULT_CASES
            + AGREE_CASES
            + SUPPORT_CASES
            + CONCEDE_CASES
            + COOPERATE_CASES
            + AID_CASES
            + RETREAT_CASES
            + REQUEST_CASES
            + ACCUSE_CASES
            + REJECT_CASES
            + THREATEN_CASES
            + PROTEST_CASES
            + SANCTION_CASES
            + MOBILIZE_CASES
            + COERCE_CASES
            + ASSAULT_CASES
            + VOCABULARY_CASES
            + SIGNING_CASES
            + HOST_RECEIVES_CASES
            + VISITOR_MEETS_CASES
            + PASSIVE_CASES
            + PRONOUN_CASES
            + QUOTE_CASES
            + NEGATION_CASES
            + PLANNED_CASES
            + BACKGROUND_CASES
            + AGGREGATE_CASES
            + DATE_CASES
            + ACTOR_CASES
            + PLACE_NOT_TARGET_CASES
            + MODE_CASES
        )
    )
)


def test_evidence_offsets_point_into_the_text_for_every_row(code: Code) -> None:
    checked = 0
    bad = []
    for text in ALL_TEXTS:
        for r in code(text):
            ev = r["evidence"]
            checked += 1
            if text[ev["start"] : ev["end"]] != ev["text"]:
                bad.append(f"{text!r}: [{ev['start']}:{ev['end']}] {ev['text']!r}")
    assert checked >= len(ALL_TEXTS) // 2, f"only {checked} rows for {len(ALL_TEXTS)} texts"
    assert not bad, "\n".join(bad)


@gap(
    "evidence is the whole sentence; CODING.md asks for a verbatim snippet of at most "
    "10 words (normally the start of the sentence)"
)
def test_evidence_is_at_most_ten_words(code: Code) -> None:
    rows = [r for text in ALL_TEXTS for r in code(text)]
    assert rows
    long = [r["evidence"]["text"] for r in rows if len(r["evidence"]["text"].split()) > 10]
    assert not long, "\n".join(long)


# Ordinary French typography: offsets must still index the caller's string.
TYPOGRAPHY_CASES = [
    case(
        "Le ministre japonais des Affaires étrangères s’est entretenu jeudi avec son "
        "homologue indien.",
        id="typographic-apostrophe",
    ),
    case(
        "Le Danemark a accordé une aide de 20\u00a0millions d'euros à la Moldavie.",
        id="no-break-space",
        xfail="evidence offsets index the normalised text (NBSP -> space), not the caller's",
    ),
    case(
        "La Lettonie a accusé la Russie\u202f: Moscou a bombardé un village ukrainien.",
        id="narrow-no-break-space",
        xfail="evidence offsets index the normalised text (NNBSP -> space), not the caller's",
    ),
    case(
        "Le président chilien est arrivé à Lima.\r\nIl a rencontré la présidente péruvienne.",
        id="crlf",
        xfail="evidence offsets index the normalised text (CRLF -> LF), not the caller's",
    ),
    case(
        "La Norve\u0300ge a accorde\u0301 une aide d'urgence au Soudan.",
        id="decomposed-accents",
        xfail="evidence offsets index the NFC-normalised text, not the caller's NFD text",
    ),
    case(
        "\ufeffLa Lituanie a expulsé deux diplomates biélorusses.",
        id="byte-order-mark",
        xfail="evidence offsets index the text without its BOM, not the caller's",
    ),
]


@pytest.mark.parametrize("text", TYPOGRAPHY_CASES)
def test_evidence_offsets_survive_typography(code: Code, text: str) -> None:
    rows = code(text)
    assert rows, "expected at least one event"
    for r in rows:
        ev = r["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"], (ev, text)
