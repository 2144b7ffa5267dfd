"""Places mentioned in a sentence, and dateline places.

A capitalised name is taken for a place only when the language pack's vocabulary introduces
it: a locative phrase right before it ("à Bakou", "près d'Alger", "au Caire"), a coordination
after such a place ("à Bakou et Erevan"), or the "capital of <country>" pattern ("dans la
capitale du Kazakhstan" -> Astana). Town names are too often also person names, organisations
or common words ("Sucre", "Florence", "Mobile") to be matched bare.

Countries are actors, not places: a name that the injected ``country_of`` recognises is never
returned, except after a phrase that introduces a town, where the town of that name is meant
("à Koweït", "à Djibouti").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from communique.knowledge.places import Gazetteer, Locative, PlaceEntry, Token, tokenize
from communique.model import Place, TextSpan

# Longest place name tried, in words: "Santa Cruz de la Sierra" and "Hô Chi Minh-Ville" have
# five and four; six leaves a margin without letting a run swallow a whole clause.
MAX_NAME_WORDS = 6

# Longest country phrase tried after "capitale de": "République démocratique du Congo" has
# four words, "Saint-Vincent-et-les Grenadines" three; six leaves a margin.
MAX_COUNTRY_WORDS = 6

# Characters stripped around a dateline place before lookup ("BAKOU," or "(Bakou)").
_DATELINE_PUNCTUATION = " \t\n,.;:()[]«»\"'"


def find_places(
    text: str,
    start: int,
    end: int,
    gazetteer: Gazetteer,
    country_of: Callable[[str], str | None],
) -> list[Place]:
    """Places mentioned in ``text[start:end]`` (one sentence), in text order.

    Spans are absolute offsets into ``text``; ``text[span.start:span.end] == span.text``.
    ``method`` is ``"gazetteer:<how the name matched>"`` (exonym, name, alternate) or
    ``"capital-of:<ISO3>"``.
    """
    tokens = tokenize(text, start, end)
    taken: set[int] = set()
    found: list[Place] = []

    for i, token in enumerate(tokens):
        if token.key in gazetteer.vocabulary.capital_heads:
            capital = _capital_phrase(text, tokens, i, gazetteer, country_of)
            if capital is not None:
                place, first, last = capital
                found.append(place)
                taken.update(range(first, last + 1))

    # Index of the last word of each place found through a locative, with that locative:
    # the left side of a coordination ("à Bakou et Erevan").
    ends: dict[int, Locative] = {}
    i = 0
    while i < len(tokens):
        if not tokens[i].capitalised or i in taken:
            i += 1
            continue
        locative = _locative_before(text, tokens, i, gazetteer) or _coordinated(
            text, tokens, i, gazetteer, ends
        )
        hit = (
            None
            if locative is None
            else _name_at(text, tokens, i, locative, gazetteer, country_of, taken)
        )
        if locative is None or hit is None:
            i += 1
            continue
        place, last = hit
        found.append(place)
        ends[last] = locative
        i = last + 1
    found.sort(key=lambda p: p.span.start if p.span else 0)
    return found


def resolve_place_name(
    name: str, gazetteer: Gazetteer, span: TextSpan | None = None
) -> Place | None:
    """Resolve a bare place name, as found in a dateline ("Bakou", "PARIS", "MOSCOU").
    ``span``, when given, is attached to the result unchanged."""
    hit = gazetteer.best(name.strip(_DATELINE_PUNCTUATION))
    if hit is None:
        return None
    entry, source = hit
    return _place(entry, f"gazetteer:{source}", span)


def _place(entry: PlaceEntry, method: str, span: TextSpan | None) -> Place:
    return Place(
        name=entry.name,
        country=entry.country,
        lat=entry.lat,
        lon=entry.lon,
        place_id=entry.place_id,
        method=method,
        span=span,
    )


def _joined(text: str, tokens: Sequence[Token]) -> bool:
    """True when only white space separates consecutive tokens (nothing after an elision)."""
    return all(
        not text[a.end : b.start] or text[a.end : b.start].isspace() for a, b in pairwise(tokens)
    )


def _locative_before(
    text: str, tokens: Sequence[Token], i: int, gazetteer: Gazetteer
) -> Locative | None:
    """The longest locative phrase ending right before token ``i``."""
    vocab = gazetteer.vocabulary
    for n in range(min(vocab.longest_locative, i), 0, -1):
        words = tuple(t.key for t in tokens[i - n : i])
        locative = vocab.locatives.get(words)
        if locative is not None and _joined(text, tokens[i - n : i + 1]):
            return locative
    return None


def _coordinated(
    text: str, tokens: Sequence[Token], i: int, gazetteer: Gazetteer, ends: dict[int, Locative]
) -> Locative | None:
    """ "et Erevan" right after a place found through a locative: that locative's kind."""
    if i < 2 or tokens[i - 1].key not in gazetteer.vocabulary.coordination:
        return None
    previous = ends.get(i - 2)
    if previous is None or not _joined(text, tokens[i - 2 : i + 1]):
        return None
    return Locative((), previous.city)


def _name_at(
    text: str,
    tokens: Sequence[Token],
    i: int,
    locative: Locative,
    gazetteer: Gazetteer,
    country_of: Callable[[str], str | None],
    taken: set[int],
) -> tuple[Place, int] | None:
    """The place named from token ``i``, and the index of its last word.

    The run of capitalised words (with connectors such as "de" inside) starting at ``i`` is
    tried whole, then cut before each connector, longest first. A cut right before another
    capitalised word is never tried: "à Florence Parly" is a person, not Florence.
    """
    connectors = gazetteer.vocabulary.connectors
    last = i
    while (
        last + 1 < len(tokens)
        and last + 1 - i < MAX_NAME_WORDS
        and last + 1 not in taken
        and (tokens[last + 1].capitalised or tokens[last + 1].key in connectors)
        and _joined(text, tokens[last : last + 2])
    ):
        last += 1
    while last > i and tokens[last].key in connectors:
        last -= 1

    for k in range(last, i - 1, -1):
        if not tokens[k].capitalised or (k != i and tokens[k].key in connectors):
            continue
        if k < last and tokens[k + 1].key not in connectors:
            continue
        surface = text[tokens[i].start : tokens[k].end]
        form = f"{locative.article} {surface}" if locative.article else surface
        is_country = country_of(surface) is not None or (
            form != surface and country_of(form) is not None
        )
        if is_country and not locative.city:
            return None  # a country is an actor, not a place
        hit = gazetteer.best(form)
        if hit is not None:
            entry, source = hit
            span = TextSpan(tokens[i].start, tokens[k].end, surface)
            return _place(entry, f"gazetteer:{source}", span), k
        if is_country:
            return None
    return None


def _capital_phrase(
    text: str,
    tokens: Sequence[Token],
    i: int,
    gazetteer: Gazetteer,
    country_of: Callable[[str], str | None],
) -> tuple[Place, int, int] | None:
    """ "la capitale du Kazakhstan" around the head word at ``i``: the capital, and the
    indexes of the phrase's first and last words."""
    vocab = gazetteer.vocabulary
    first = i
    if (
        i > 0
        and tokens[i - 1].key in vocab.capital_determiners
        and _joined(text, tokens[i - 1 : i + 1])
    ):
        first = i - 1

    after = None
    for n in range(min(vocab.longest_link, len(tokens) - i - 1), 0, -1):
        words = tuple(t.key for t in tokens[i + 1 : i + 1 + n])
        if words in vocab.capital_links and _joined(text, tokens[i : i + 2 + n]):
            after = i + 1 + n
            break
    if after is not None:
        if (
            after < len(tokens)
            and tokens[after].key in vocab.capital_articles
            and _joined(text, tokens[after - 1 : after + 1])
        ):
            after += 1
        if after >= len(tokens) or not tokens[after].capitalised:
            return None
        stop = min(after + MAX_COUNTRY_WORDS, len(tokens)) - 1
        for q in range(stop, after - 1, -1):
            if not _joined(text, tokens[after - 1 : q + 1]):
                continue
            iso = country_of(text[tokens[after].start : tokens[q].end])
            if iso is not None:
                return _capital_place(text, tokens, first, q, iso, gazetteer)
        return None

    if vocab.capital_adjectives and i + 1 < len(tokens):
        adjective = tokens[i + 1]
        if not adjective.capitalised and _joined(text, tokens[i : i + 2]):
            iso = country_of(adjective.text)
            if iso is not None:
                return _capital_place(text, tokens, first, i + 1, iso, gazetteer)
    return None


def _capital_place(
    text: str, tokens: Sequence[Token], first: int, last: int, iso: str, gazetteer: Gazetteer
) -> tuple[Place, int, int] | None:
    capital = gazetteer.capital_of(iso)
    if capital is None:
        return None
    span = TextSpan.of(text, tokens[first].start, tokens[last].end)
    return _place(capital, f"capital-of:{iso.upper()}", span), first, last
