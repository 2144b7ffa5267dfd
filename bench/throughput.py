"""Throughput and memory of the whole pipeline against a bare spaCy pass, in one process.

    python bench/throughput.py [--n 2000] [--out bench/out/throughput.json]

The figure that matters is the ratio: pipeline seconds / bare `nlp.pipe` seconds over the
same texts with the same model and batch size, measured in the same run (so machine speed
cancels out). Peak memory is the process's maximum resident set size after each phase.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--n", type=int, default=2000, help="number of dispatches (>= 2000 for the report)"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("bench/out/throughput.json"))
    args = ap.parse_args(argv)

    from communique.ingest import article_from_text
    from communique.pipeline import Coder
    from communique.settings import Settings

    settings = Settings()
    records = list(generate(args.n, args.seed))
    words = sum(len(r["text"].split()) for r in records)
    mem_start = _peak_mb()

    # 1. bare spaCy over the same texts (model load excluded): the model as published,
    # without communique's components
    import spacy

    nlp = spacy.load(settings.models["fr"])
    t0 = time.perf_counter()
    for _ in nlp.pipe((r["text"] for r in records), batch_size=settings.batch_size):
        pass
    bare_s = time.perf_counter() - t0
    mem_bare = _peak_mb()
    del nlp

    # 2. the whole pipeline: reading, normalising, parsing, resolving, coding
    from datetime import date

    coder = Coder(settings)
    # warm up: load models and knowledge outside the timed region, as for the bare pass
    list(
        coder.code(
            [
                article_from_text(
                    "Paris, 1 mars 2024 - Le président a rencontré son homologue.",
                    id="warm",
                    origin="warm",
                    published=date(2024, 3, 1),
                    lang="fr",
                    settings=settings,
                )
            ]
        )
    )
    t0 = time.perf_counter()
    events = 0

    def articles():  # streaming, as ingest does
        for r in records:
            yield article_from_text(
                r["text"],
                id=r["id"],
                origin="bench",
                lang=r["lang"],
                published=date.fromisoformat(r["published"]),
                settings=settings,
            )

    for coded in coder.code(articles()):
        events += len(coded.events)
    pipe_s = time.perf_counter() - t0
    mem_pipe = _peak_mb()

    result = {
        "dispatches": args.n,
        "words": words,
        "bare_spacy": {
            "seconds": round(bare_s, 2),
            "dispatches_per_s": round(args.n / bare_s, 1),
            "words_per_s": round(words / bare_s),
        },
        "pipeline": {
            "seconds": round(pipe_s, 2),
            "dispatches_per_s": round(args.n / pipe_s, 1),
            "words_per_s": round(words / pipe_s),
            "events": events,
        },
        "ratio_pipeline_to_bare": round(pipe_s / bare_s, 3),
        "peak_rss_mb": {
            "start": round(mem_start),
            "after_bare": round(mem_bare),
            "after_pipeline": round(mem_pipe),
        },
        "model": settings.models["fr"],
        "batch_size": settings.batch_size,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
