"""Loading and validating a language pack's coding vocabulary (triggers, modality, contexts).

Other pack files (dates, places, countries, titles) are read by the modules that own them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from communique.errors import DataFileError
from communique.model.plover import CONTEXTS, MODES, PLOVER_TYPES, QUADS, SPECIAL_CONTEXTS
from communique.textfold import fold, fold_key

PACKS_DIR = Path(__file__).parent

# communique's additions to PLOVER (intensity, CAMEO root per type), checked against
# communique.model.plover by `load_plover`.
PLOVER_FILE = Path(__file__).parent.parent / "coding" / "data" / "plover.yaml"
_PLOVER_TYPE_KEYS = frozenset({"intensity", "cameo", "quad", "modes"})
_CAMEO_ROOT = re.compile(r"\d{2}")
_CAMEO_CODE = re.compile(r"\d{2,4}")

TARGET_SLOTS = frozenset(
    fold_key(s)
    for s in {
        "obj",
        "iobj",
        "place",
        "avec",
        "à",
        "au",
        "aux",
        "contre",
        "envers",
        "en",
        "entre",
        "de",
        "du",
        "des",
        "sur",
        "pour",
        "chez",
        "auprès",
        "vers",
        "dans",
        "près",
        "le long",
        "devant",
        "visant",
        "en faveur",
        # English
        "with",
        "to",
        "against",
        "on",
        "between",
        "of",
        "for",
        "at",
        "in",
        "from",
        "toward",
        "towards",
        "into",
        "over",
        "about",
        "near",
        "along",
        "outside",
        "upon",
    }
)


@dataclass(frozen=True)
class TriggerSpec:
    """One trigger entry of triggers.yaml (see the schema comment there)."""

    rule: str
    pos: str  # verb | noun | adjective
    lemma: str  # folded lemma (may be several words)
    type: str
    mode: str | None
    objects: tuple[str, ...]  # folded lemmas, or "*PERSON" / "*AGREEMENT"
    target: tuple[str, ...]
    visit: str | None
    joint: bool
    no_target_ok: bool
    reflexive: bool
    confidence: float
    only_with: tuple[str, ...]
    needs_light: bool = False


@dataclass(frozen=True)
class Modality:
    negation_words: frozenset[str]
    negating_verbs: frozenset[str]
    future_governors: frozenset[str]
    future_auxiliaries: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_markers: tuple[str, ...]
    anterior_adverbs: frozenset[str]
    aggregate_patterns: tuple[re.Pattern[str], ...]
    background_patterns: tuple[re.Pattern[str], ...]
    future_to_agree: frozenset[str]
    future_to_concede: frozenset[str]


@dataclass(frozen=True)
class Grammar:
    """Function words by the role the coder's rules give them (grammar.yaml; every field
    is folded text)."""

    locative_country: frozenset[str]
    locative_city: frozenset[str]
    object_blockers: frozenset[str]
    locative_slots: frozenset[str]
    relative_pronouns: frozenset[str]
    relative_subjects: frozenset[str]
    honorifics: frozenset[str]
    genitive_words: frozenset[str]
    complement_preps: frozenset[str]
    genitive_preps: frozenset[str]
    genitive_case: frozenset[str]
    possessive_determiners: frozenset[str]
    pair_numbers: frozenset[str]
    and_words: frozenset[str]
    coordination_words: frozenset[str]
    preposition_aliases: dict[str, str]
    agent_preps: frozenset[str]
    between_preps: frozenset[str]
    subject_pronouns: frozenset[str]
    first_person: frozenset[str]
    third_person: frozenset[str]
    negation_particles: frozenset[str]
    perfect_auxiliaries: frozenset[str]
    visit_nouns: frozenset[str]
    crowd_protest_verbs: frozenset[str]
    country_articles: tuple[str, ...]
    aerial_agents: frozenset[str]
    ceasefire_nouns: frozenset[str]
    ceasefire_with: frozenset[str]


@lru_cache(maxsize=8)
def load_grammar(lang: str, pack_dir: Path | None = None) -> Grammar:
    """Load and validate grammar.yaml of one language: every key present, lists of words."""
    path = (pack_dir or PACKS_DIR) / lang / "grammar.yaml"
    if not path.is_file():
        raise DataFileError(
            f"no grammar.yaml for language {lang!r}",
            where=str(path),
            hint="copy langpacks/fr/grammar.yaml and translate its word lists",
        )
    data = _read_yaml(path)
    where = str(path)
    values: dict[str, Any] = {}
    for f in Grammar.__dataclass_fields__:
        if f not in data:
            raise DataFileError(
                f"grammar.yaml lacks the key {f!r}",
                where=where,
                hint="every key of langpacks/fr/grammar.yaml is required (an empty list is fine)",
            )
        if f == "preposition_aliases":
            raw = data[f] or {}
            if not isinstance(raw, dict):
                raise DataFileError(
                    f"{f} must be a mapping", where=where, hint="write {contraction: preposition}"
                )
            values[f] = {fold(str(k)): fold(str(v)) for k, v in raw.items() if k != "__line__"}
        elif f == "country_articles":
            values[f] = tuple(fold(w) for w in _words(data[f], where, f))
        else:
            values[f] = frozenset(fold(w) for w in _words(data[f], where, f))
    unknown = set(data) - set(Grammar.__dataclass_fields__) - {"__line__"}
    if unknown:
        raise DataFileError(
            f"unknown grammar.yaml key(s): {', '.join(sorted(unknown))}",
            where=where,
            hint=f"valid keys: {', '.join(Grammar.__dataclass_fields__)}",
        )
    return Grammar(**values)


@dataclass(frozen=True)
class LanguagePack:
    lang: str
    triggers: tuple[TriggerSpec, ...]
    light_verbs: frozenset[str]
    happen_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    agreement_nouns: frozenset[str]
    receive_verbs: frozenset[str]
    container_nouns: frozenset[str]
    phone_cues: frozenset[str]
    modality: Modality
    contexts: tuple[tuple[str, tuple[str, ...]], ...]
    grammar: Grammar

    # Indexes are built on first use and kept on the instance (functools.cached_property
    # writes to the instance dict, which a frozen dataclass allows).
    @cached_property
    def _indexes(self) -> dict[str, dict[str, list[TriggerSpec]]]:
        return {pos: _index(self.triggers, pos) for pos in ("verb", "noun", "adjective")}

    @cached_property
    def _by_first_word(self) -> dict[str, dict[str, list[TriggerSpec]]]:
        """Specs keyed by the first word of their lemma (multi-word triggers included)."""
        out: dict[str, dict[str, list[TriggerSpec]]] = {}
        for pos, index in self._indexes.items():
            by_first: dict[str, list[TriggerSpec]] = {}
            for key, specs in index.items():
                by_first.setdefault(key.split(" ")[0], []).extend(specs)
            out[pos] = by_first
        return out

    def verbs(self) -> dict[str, list[TriggerSpec]]:
        return self._indexes["verb"]

    def nouns(self) -> dict[str, list[TriggerSpec]]:
        return self._indexes["noun"]

    def adjectives(self) -> dict[str, list[TriggerSpec]]:
        return self._indexes["adjective"]

    def starting_with(self, pos: str, word: str) -> list[TriggerSpec]:
        """Every trigger of ``pos`` whose lemma starts with ``word``."""
        return self._by_first_word[pos].get(word, [])

    @cached_property
    def context_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """One compiled pattern per context: its cues at word starts."""
        return tuple(
            (name, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + ")"))
            for name, cues in self.contexts
            if cues
        )


def _index(specs: tuple[TriggerSpec, ...], pos: str) -> dict[str, list[TriggerSpec]]:
    out: dict[str, list[TriggerSpec]] = {}
    for s in specs:
        if s.pos == pos:
            out.setdefault(s.lemma, []).append(s)
    return out


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise DataFileError(
            "language pack file is missing",
            where=str(path),
            hint="reinstall communique or restore the file from the repository",
        )
    try:
        # libyaml's parser when available (5-10 times faster); errors keep their marks
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise DataFileError(
            f"invalid YAML: {exc}", where=where, hint="fix the YAML syntax"
        ) from exc


def _words(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(
            f"{key} must be a list of strings", where=where, hint=f"write {key}: [a, b]"
        )
    return tuple(v if v.startswith("*") else fold_key(v) for v in value)


def _trigger(entry: Any, pos: str, lang: str, where: str, plover: dict[str, Any]) -> TriggerSpec:
    if not isinstance(entry, dict) or "lemma" not in entry or "type" not in entry:
        raise DataFileError(
            f"{pos} trigger needs lemma and type: {entry!r}",
            where=where,
            hint="write {lemma: ..., type: ...}",
        )
    etype = entry["type"]
    if etype not in plover:
        raise DataFileError(
            f"unknown PLOVER type {etype!r} for {entry['lemma']!r}",
            where=where,
            hint=f"use one of {', '.join(sorted(plover))}",
        )
    mode = entry.get("mode")
    if mode is not None and mode not in plover[etype]["modes"]:
        raise DataFileError(
            f"mode {mode!r} is not a mode of {etype}",
            where=where,
            hint=f"use one of {plover[etype]['modes']} or null",
        )
    target = _words(entry.get("target", ["obj", "à"]), where, "target")
    bad = [t for t in target if t not in TARGET_SLOTS]
    if bad:
        raise DataFileError(
            f"unknown target slot(s) {bad} for {entry['lemma']!r}",
            where=where,
            hint=f"use slots among {sorted(TARGET_SLOTS)}",
        )
    visit = entry.get("visit")
    if visit not in (None, "subject", "object"):
        raise DataFileError(
            f"visit must be subject or object, not {visit!r}",
            where=where,
            hint="see the schema at the top of the file",
        )
    conf = float(entry.get("confidence", 0.8))
    if not 0 < conf <= 1:
        raise DataFileError(f"confidence {conf} out of (0, 1]", where=where, hint="use 0.1-1.0")
    lemma = fold_key(entry["lemma"])
    suffix = entry.get("id") or lemma.replace(" ", "-")
    return TriggerSpec(
        rule=f"{lang}.{etype.lower()}.{suffix}",
        pos=pos,
        lemma=lemma,
        type=etype,
        mode=mode,
        objects=_words(entry.get("objects"), where, "objects"),
        target=target,
        visit=visit,
        joint=bool(entry.get("joint", False)),
        no_target_ok=bool(entry.get("no_target_ok", False)),
        reflexive=bool(entry.get("reflexive", False)),
        confidence=conf,
        only_with=_words(entry.get("only_with"), where, "only_with"),
        needs_light=bool(entry.get("needs_light", False)),
    )


def _plover_entry(etype: str, entry: Any, where: str) -> dict[str, Any]:
    """One type of plover.yaml, checked, with quad and modes filled from model/plover.py."""
    if not isinstance(entry, dict):
        raise DataFileError(
            f"entry of {etype} must be a mapping, got {entry!r}",
            where=where,
            hint=f'write {etype}: {{intensity: 1.0, cameo: "04"}}',
        )
    unknown = sorted(set(map(str, entry)) - _PLOVER_TYPE_KEYS)
    if unknown:
        raise DataFileError(
            f"unknown key(s) {unknown} in the entry of {etype}",
            where=where,
            hint=f"allowed keys: {', '.join(sorted(_PLOVER_TYPE_KEYS))}",
        )
    intensity = entry.get("intensity")
    if (
        isinstance(intensity, bool)
        or not isinstance(intensity, (int, float))
        or not (-10 <= intensity <= 10)
    ):
        raise DataFileError(
            f"intensity of {etype} is {intensity!r}",
            where=where,
            hint="give a number from -10 (most hostile) to +10 (most cooperative)",
        )
    cameo = entry.get("cameo")
    if not isinstance(cameo, str) or not _CAMEO_ROOT.fullmatch(cameo):
        raise DataFileError(
            f"cameo of {etype} is {cameo!r}, not a two-digit CAMEO root",
            where=where,
            hint='quote the code so YAML keeps it a string: "04"',
        )
    if "quad" in entry and entry["quad"] != QUADS[etype]:
        raise DataFileError(
            f"quad of {etype} is {entry['quad']!r} but PLOVER puts it in quad {QUADS[etype]}",
            where=where,
            hint="remove quad: (it comes from communique/model/plover.py)",
        )
    if "modes" in entry:
        given = entry["modes"] or []
        if not isinstance(given, list) or not all(isinstance(m, str) for m in given):
            raise DataFileError(
                f"modes of {etype} must be a list of strings",
                where=where,
                hint="remove modes: (they come from communique/model/plover.py)",
            )
        extra = sorted(set(given) - set(MODES[etype]))
        missing = [m for m in MODES[etype] if m not in given]
        if extra or missing or len(given) != len(set(given)):
            raise DataFileError(
                f"modes of {etype} differ from PLOVER's (not modes: {extra}, missing: {missing})",
                where=where,
                hint=f"remove modes: or write exactly {list(MODES[etype])} (CODING.md)",
            )
    return {
        "quad": QUADS[etype],
        "intensity": float(intensity),
        "cameo": cameo,
        "modes": list(MODES[etype]),
    }


def _cameo_by_mode(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataFileError(
            "cameo_by_mode must map TYPE.mode to a CAMEO code",
            where=where,
            hint='write CONSULT.visit: "042"',
        )
    out: dict[str, str] = {}
    for key, code in value.items():
        etype, _, mode = str(key).partition(".")
        if etype not in MODES or mode not in MODES[etype]:
            allowed = ", ".join(MODES.get(etype, ())) or "none"
            raise DataFileError(
                f"cameo_by_mode key {key!r} is not TYPE.mode of PLOVER",
                where=where,
                hint=f"modes of {etype}: {allowed}"
                if etype in MODES
                else f"use one of {', '.join(PLOVER_TYPES)} before the dot",
            )
        if not isinstance(code, str) or not _CAMEO_CODE.fullmatch(code):
            raise DataFileError(
                f"cameo_by_mode {key} is {code!r}, not a CAMEO code",
                where=where,
                hint='quote the code: "042"',
            )
        out[str(key)] = code
    return out


@lru_cache(maxsize=8)
def load_plover(path: Path | None = None) -> dict[str, Any]:
    """Load communique's PLOVER data file and check it against communique.model.plover.

    Returns ``{"types": {TYPE: {"quad", "intensity", "cameo", "modes"}}, "cameo_by_mode":
    {"TYPE.mode": code}}``, with ``quad`` and ``modes`` taken from model/plover.py. Raises
    DataFileError when a type is missing or unknown, or when the file states a quad or a
    mode list that is not PLOVER's.
    """
    path = path or PLOVER_FILE
    where = str(path)
    data = _read_yaml(path)
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        raise DataFileError(
            "plover.yaml must have a 'types:' mapping of the 16 PLOVER types",
            where=where,
            hint="restore the file from the repository",
        )
    extra_keys = sorted(set(map(str, data)) - {"types", "cameo_by_mode"})
    if extra_keys:
        raise DataFileError(
            f"unknown top-level key(s) {extra_keys}",
            where=where,
            hint="plover.yaml has only types: and cameo_by_mode:",
        )
    unknown = sorted(set(map(str, types)) - set(PLOVER_TYPES))
    missing = [t for t in PLOVER_TYPES if t not in types]
    if unknown or missing:
        raise DataFileError(
            f"plover.yaml must define exactly the 16 PLOVER types (unknown: {unknown}, "
            f"missing: {missing})",
            where=where,
            hint=f"types are {', '.join(PLOVER_TYPES)}",
        )
    return {
        "types": {t: _plover_entry(t, types[t], where) for t in PLOVER_TYPES},
        "cameo_by_mode": _cameo_by_mode(data.get("cameo_by_mode"), where),
    }


def load_contexts(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Read a pack's contexts.yaml: PLOVER context name -> folded cue stems.

    Every key must be a general PLOVER context of communique.model.plover.CONTEXTS; a
    missing file means no contexts. Raises DataFileError naming the file otherwise.
    """
    if not path.is_file():
        return ()
    where = str(path)
    data = _read_yaml(path)
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise DataFileError(
            "contexts.yaml must map PLOVER context names to cue lists",
            where=where,
            hint="write economic: [econom, commerc]",
        )
    out: list[tuple[str, tuple[str, ...]]] = []
    for name, cues in data.items():
        if name not in CONTEXTS:
            if name in SPECIAL_CONTEXTS:
                hint = (
                    f"{name} is a special PLOVER context: the coder derives it from "
                    "modality.yaml, so remove it here"
                )
            else:
                close = difflib.get_close_matches(str(name), CONTEXTS, n=1)
                hint = (f"did you mean {close[0]!r}? " if close else "") + (
                    f"PLOVER contexts: {', '.join(CONTEXTS)}"
                )
            raise DataFileError(f"{name!r} is not a PLOVER context", where=where, hint=hint)
        words = _words(cues, where, str(name))
        if not words or any(not w for w in words):
            raise DataFileError(
                f"context {name!r} needs non-empty cue stems",
                where=where,
                hint=f"write {name}: [stem, other stem]",
            )
        out.append((name, words))
    return tuple(out)


def installed_languages(pack_dir: Path | None = None) -> tuple[str, ...]:
    root = pack_dir or PACKS_DIR
    return tuple(sorted(p.name for p in root.iterdir() if (p / "triggers.yaml").is_file()))


@lru_cache(maxsize=8)
def load_pack(lang: str, pack_dir: Path | None = None) -> LanguagePack:
    """Load and validate the coding vocabulary of one language."""
    root = (pack_dir or PACKS_DIR) / lang
    if not (root / "triggers.yaml").is_file():
        raise DataFileError(
            f"no language pack for {lang!r}",
            where=str(root),
            hint=f"installed packs: {', '.join(installed_languages(pack_dir)) or 'none'}",
        )
    plover = load_plover()["types"]
    trig_path = root / "triggers.yaml"
    data = _read_yaml(trig_path)
    where = str(trig_path)
    triggers: list[TriggerSpec] = []
    for pos, key in (("verb", "verbs"), ("noun", "nouns"), ("adjective", "adjectives")):
        for entry in data.get(key) or []:
            triggers.append(_trigger(entry, pos, lang, where, plover))
    seen: set[str] = set()
    for t in triggers:
        if t.rule in seen:
            raise DataFileError(
                f"duplicate rule id {t.rule}",
                where=where,
                hint="give one of the entries an explicit id:",
            )
        seen.add(t.rule)
    mod_path = root / "modality.yaml"
    m = _read_yaml(mod_path)
    mwhere = str(mod_path)

    def _regexes(key: str) -> tuple[re.Pattern[str], ...]:
        out = []
        for pat in m.get(key) or []:
            try:
                out.append(re.compile(pat))
            except re.error as exc:
                raise DataFileError(
                    f"bad regular expression {pat!r}: {exc}", where=mwhere, hint="fix the pattern"
                ) from exc
        return tuple(out)

    modality = Modality(
        negation_words=frozenset(_words(m.get("negation_words"), mwhere, "negation_words")),
        negating_verbs=frozenset(_words(m.get("negating_verbs"), mwhere, "negating_verbs")),
        future_governors=frozenset(_words(m.get("future_governors"), mwhere, "future_governors")),
        future_auxiliaries=frozenset(
            _words(m.get("future_auxiliaries"), mwhere, "future_auxiliaries")
        ),
        hypothetical_governors=frozenset(
            _words(m.get("hypothetical_governors"), mwhere, "hypothetical_governors")
        ),
        hypothetical_markers=_words(m.get("hypothetical_markers"), mwhere, "hypothetical_markers"),
        anterior_adverbs=frozenset(_words(m.get("anterior_adverbs"), mwhere, "anterior_adverbs")),
        aggregate_patterns=_regexes("aggregate_patterns"),
        background_patterns=_regexes("background_patterns"),
        future_to_agree=frozenset(m.get("future_to_agree") or ()),
        future_to_concede=frozenset(m.get("future_to_concede") or ()),
    )
    contexts = load_contexts(root / "contexts.yaml")
    return LanguagePack(
        lang=lang,
        triggers=tuple(triggers),
        light_verbs=frozenset(_words(data.get("light_verbs"), where, "light_verbs")),
        happen_verbs=frozenset(_words(data.get("happen_verbs"), where, "happen_verbs")),
        speech_verbs=frozenset(_words(data.get("speech_verbs"), where, "speech_verbs")),
        agreement_nouns=frozenset(_words(data.get("agreement_nouns"), where, "agreement_nouns")),
        receive_verbs=frozenset(_words(data.get("receive_verbs"), where, "receive_verbs")),
        container_nouns=frozenset(_words(data.get("container_nouns"), where, "container_nouns")),
        phone_cues=frozenset(_words(data.get("phone_cues"), where, "phone_cues")),
        modality=modality,
        contexts=contexts,
        grammar=load_grammar(lang, pack_dir),
    )


def load_combining_forms(lang: str, kb: Any, pack_dir: Path | None = None) -> dict[str, str]:
    """Folded combining form -> ISO3 ("franco" -> FRA); {} when the pack has none."""
    path = (pack_dir or PACKS_DIR) / lang / "combining_forms.yaml"
    if not path.is_file():
        return {}
    data = _read_yaml(path) or {}
    forms = data.get("forms") if isinstance(data, dict) else None
    if not isinstance(forms, dict):
        raise DataFileError(
            "combining_forms.yaml needs a `forms:` mapping",
            where=str(path),
            hint="write forms: {franco: FRA, ...}",
        )
    out: dict[str, str] = {}
    for form, code in forms.items():
        if kb.country(str(code)) is None:
            raise DataFileError(
                f"unknown country code {code!r} for {form!r}",
                where=str(path),
                hint="use ISO alpha-3 codes from knowledge/data/countries.tsv",
            )
        out[fold_key(str(form))] = str(code)
    return out
