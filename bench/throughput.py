"""Throughput and memory of the whole pipeline against a bare spaCy pass, in one run.

    python bench/throughput.py [--n 2000] [--workers 2] [--out bench/out/throughput.json]
    python bench/throughput.py --memory 10000 [--workers 2]

Throughput mode generates ``--n`` dispatches of ~400 words (bench/corpus.py, French and
English mixed) and times, over the same texts and in the same run (so machine speed
cancels out):

1. bare: each language's spaCy model as published, ``nlp.pipe`` over that language's texts
   (model load excluded); the baseline;
2. the whole pipeline (read, normalise, parse, resolve, code) in this one process
   (models loaded and warmed outside the timed region, as for the bare pass), with the
   fast path (``Settings.fast_path``: only sentences that may hold an event are parsed);
2b. the same with the fast path off (every sentence parsed), unless ``--skip-full``;
3. the fast pipeline in ``--workers`` spawned processes (``communique.engines.local.CodingPool``):
   timed with the pool started and warmed, and also end to end with its start-up.

The ratio that matters is pipeline seconds / bare seconds. Peak memory is
``resource.getrusage`` ``ru_maxrss`` of this process and of its largest child.

Memory mode ingests ``--memory N`` generated dispatches with the local engine
(``run_ingest``, ``--workers`` processes) into a temporary store: the corpus streams from
a generator to a JSONL file, one line at a time, and ingest streams that file. It samples
the resident memory of this process and its workers after every stored batch, so a flat
curve shows that memory does not grow with the corpus. Writes bench/out/memory_N.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate, write_jsonl


def _peak_mb() -> dict[str, int]:
    """Peak RSS (MB) of this process and of its largest terminated, waited-for child.

    On Linux a spawned child's figure starts at the parent's RSS when it forked (the
    kernel keeps the pre-exec peak), so workers' own peaks are read from /proc instead."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"self": round(self_kb / 1024), "largest_child": round(children_kb / 1024)}


def _rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    """Resident memory of a live process (Linux /proc), MB: now (VmRSS) or its peak since
    it started its program (VmHWM); 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def _rates(n: int, words: int, seconds: float) -> dict[str, float]:
    return {
        "seconds": round(seconds, 2),
        "dispatches_per_s": round(n / seconds, 1),
        "words_per_s": round(words / seconds),
    }


def throughput(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from communique.engines.local import CodingPool
    from communique.ingest import article_from_text
    from communique.nlp.models import choose_model
    from communique.pipeline import Coder
    from communique.settings import Settings

    settings = Settings(fast_path_ner_all=args.ner_all)
    # held for the three passes over the same texts (~3 kB a dispatch); ingest streams
    records = list(generate(args.n, args.seed))
    words = sum(len(r["text"].split()) for r in records)
    langs = sorted({r["lang"] for r in records})
    models = {
        lang: choose_model(lang, settings.models[lang], settings.prefer_official_models)
        for lang in langs
    }
    per_lang = {lang: sum(r["lang"] == lang for r in records) for lang in langs}
    mem = {"start": _peak_mb()}

    # 1. bare spaCy, each language's model over its own texts
    bare_s = 0.0
    bare_by_lang = {}
    for lang in langs:
        nlp = spacy.load(str(models[lang]))
        texts = [r["text"] for r in records if r["lang"] == lang]
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        seconds = time.perf_counter() - t0
        bare_s += seconds
        bare_by_lang[lang] = round(seconds, 2)
        del nlp, texts
        gc.collect()
    mem["after_bare"] = _peak_mb()

    def articles() -> Iterator[Any]:  # streaming, as ingest does
        for r in records:
            yield article_from_text(
                r["text"],
                id=r["id"],
                origin="bench",
                lang=r["lang"],
                published=date.fromisoformat(r["published"]),
                settings=settings,
            )

    def warm(k: int) -> list[Any]:
        return [
            article_from_text(
                "Paris, 1 mars 2024 - Le président a rencontré son homologue."
                if i % 2 == 0
                else "PARIS, March 1, 2024 - The president met his counterpart.",
                id=f"warm{i}",
                origin="warm",
                published=date(2024, 3, 1),
                lang="fr" if i % 2 == 0 else "en",
                settings=settings,
            )
            for i in range(k)
        ]

    # 2. the whole pipeline in this process
    coder = Coder(settings)
    list(coder.code(warm(2)))  # load models and knowledge outside the timed region
    t0 = time.perf_counter()
    events_1 = sum(len(c.events) for c in coder.code(articles()))
    pipe1_s = time.perf_counter() - t0
    mem["after_pipeline_1"] = _peak_mb()
    del coder
    gc.collect()

    # 2b. the whole pipeline parsing every sentence
    full: dict[str, Any] = {}
    if not args.skip_full:
        coder = Coder(settings.with_(fast_path=False))
        list(coder.code(warm(2)))
        t0 = time.perf_counter()
        events_full = sum(len(c.events) for c in coder.code(articles()))
        full_s = time.perf_counter() - t0
        full = {
            "pipeline_1_process_full_parse": {
                **_rates(args.n, words, full_s),
                "events": events_full,
            },
            "ratio_full_parse_to_bare": round(full_s / bare_s, 3),
            "fast_path_speedup": round(full_s / pipe1_s, 2),
        }
        del coder
        gc.collect()

    # 3. the same in worker processes
    t_start = time.perf_counter()
    with CodingPool(settings, args.workers, preload=langs) as pool:
        # at least one chunk per worker, so that every worker is started and warm
        few = warm(4 * args.workers)
        list(pool.code_chunks((few[i : i + 2], None) for i in range(0, len(few), 2)))
        startup_s = time.perf_counter() - t_start
        t0 = time.perf_counter()
        events_n = sum(len(c.events) for c in pool.code(articles()))
        pipen_s = time.perf_counter() - t0
        peak_workers = [round(_rss_mb(p.pid, "VmHWM")) for p in multiprocessing.active_children()]
    mem["after_pipeline_n"] = _peak_mb()
    if events_n != events_1:
        raise SystemExit(f"workers coded {events_n} events, one process {events_1}")

    return {
        "dispatches": args.n,
        "dispatches_by_lang": per_lang,
        "words": words,
        "models": models,
        "batch_size": settings.batch_size,
        "bare_spacy": {**_rates(args.n, words, bare_s), "seconds_by_lang": bare_by_lang},
        "pipeline_1_process": {**_rates(args.n, words, pipe1_s), "events": events_1},
        f"pipeline_{args.workers}_processes": {
            **_rates(args.n, words, pipen_s),
            "startup_seconds": round(startup_s, 2),
            "with_startup": _rates(args.n, words, pipen_s + startup_s),
            "events": events_n,
            "peak_rss_mb_of_each_worker": peak_workers,
        },
        **full,
        "fast_path_ner_all": settings.fast_path_ner_all,
        "ratio_pipeline_1_to_bare": round(pipe1_s / bare_s, 3),
        f"ratio_pipeline_{args.workers}_to_bare": round(pipen_s / bare_s, 3),
        "speedup_workers": round(pipe1_s / pipen_s, 2),
        "peak_rss_mb": mem,
        "cpu_count": multiprocessing.cpu_count(),
    }


def memory(args: argparse.Namespace) -> dict[str, Any]:
    from communique.engines.local import run_ingest
    from communique.settings import Settings

    samples: list[dict[str, float]] = []
    worker_peaks: dict[int, float] = {}
    t0 = time.perf_counter()

    def on_progress(done: int, events: int) -> None:
        children = multiprocessing.active_children()
        workers = [_rss_mb(p.pid) for p in children]
        for p in children:
            worker_peaks[p.pid] = max(worker_peaks.get(p.pid, 0.0), _rss_mb(p.pid, "VmHWM"))
        samples.append(
            {
                "articles": done,
                "seconds": round(time.perf_counter() - t0, 1),
                "driver_rss_mb": round(_rss_mb()),
                "workers_rss_mb": round(sum(workers)),
            }
        )
        if args.progress is not None:  # a long run leaves its curve even if stopped
            with args.progress.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(samples[-1]) + "\n")

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_jsonl(str(corpus), args.memory, args.seed)  # streamed from the generator
        settings = Settings(fast_path_ner_all=args.ner_all).with_(
            store_path=Path(tmp) / "bench.duckdb"
        )
        t0 = time.perf_counter()
        report = run_ingest(
            [corpus], settings=settings, workers=args.workers, on_progress=on_progress
        )
        seconds = time.perf_counter() - t0
        store_mb = Path(settings.store_path).stat().st_size / 1e6
    total = [s["driver_rss_mb"] + s["workers_rss_mb"] for s in samples]
    return {
        "dispatches": args.memory,
        "workers": args.workers,
        "seconds": round(seconds, 1),
        "dispatches_per_s": round(args.memory / seconds, 1),
        "hours_for_100k_at_this_rate": round(100_000 / (args.memory / seconds) / 3600, 2),
        "articles_added": report.articles_added,
        "events_added": report.events_added,
        "store_mb": round(store_mb, 1),
        "peak_rss_mb": _peak_mb(),
        "peak_rss_mb_of_each_worker": [round(v) for v in worker_peaks.values()],
        "rss_mb_driver_plus_workers": {
            "first_batch": round(total[0]) if total else None,
            "max": round(max(total)) if total else None,
            "last_batch": round(total[-1]) if total else None,
        },
        "samples_every_10th_batch": samples[::10],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--n", type=int, default=2000, help="number of dispatches (>= 2000 for the report)"
    )
    ap.add_argument("--workers", type=int, default=2, help="processes of the parallel pass")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--memory",
        type=int,
        metavar="N",
        default=None,
        help="memory mode: ingest N generated dispatches into a temporary store",
    )
    ap.add_argument("--skip-full", action="store_true", help="skip the pass with the fast path off")
    ap.add_argument(
        "--ner-all",
        action="store_true",
        help="fast path with the entity recogniser on every run (Settings.fast_path_ner_all)",
    )
    ap.add_argument(
        "--progress", type=Path, default=None, help="memory mode: append each sample here"
    )
    ap.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = ap.parse_args(argv)
    if args.memory is not None:
        result = memory(args)
        out = args.out or Path(f"bench/out/memory_{args.memory}.json")
    else:
        result = throughput(args)
        out = args.out or Path("bench/out/throughput.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
