"""Copy detection: recall, precision, 复制比 error and check latency, beside two baselines.

    .venv/bin/python bench/originality.py [--sizes 10000,100000] [--per-case 8] [--honest 300]
                                          [--db both|postgres|sqlite]

The synthetic corpus (seeded, so every run sees the same texts):
- Characters: the 3,755 level-1 characters of GB2312. Words: 8,000 of one to three
  characters, drawn with a Zipf-like weight (1/rank^0.8) so common words recur as in
  real prose. Sentences of 8-20 words (about 27 characters, as in
  real reflections) with a comma inside and a full stop at the end.
- Stock phrases: 40 formulations every real reflection leans on (the five real ones in
  pingyi/originality/tests/texts.py plus 35 fixed word strings of 12-28 characters),
  drawn with a Zipf weight, so the commonest appear in several percent of all texts.
- Library: SIZE documents of 200-700 characters (web articles cut to their body),
  each with 0-3 stock phrases (1.5 on average) between its sentences.
- Honest essays (HONEST of them): about 1,000 characters of fresh sentences in the same
  vocabulary with 3-6 stock phrases, as two members writing on the same theme share
  slogans but nothing else.
- Plagiarised essays: for each disguise and passage length (20, 50, 150, 400 characters),
  PER_CASE essays of about 1,000 honest characters into which passages copied from
  library documents are planted until about 30% of the essay is copied (15 passages of
  20 characters, 6 of 50, 2 of 150, 1 of 400), each from a different document of the
  first 10,000 (so they are in the library at every size) and clear of its stock phrases.
  Disguises: verbatim; light edits (a two-character word replaced about every 15
  characters); reordered sentences (the copied section's sentences shuffled); synonym
  swaps (a word replaced about every 6 characters); traditional characters (OpenCC s2t);
  a mix (light edits, then reordering, traditional characters and ASCII punctuation).
The truth: a planted passage is copied in full (its edited words included); 复制比 truth
is the planted normalised characters over the essay's normalised characters.

Measured, per disguise: passage-level recall and precision by characters (an engine
passage counts where it overlaps a planted passage and names its source) and PAN's
plagdet (F1 / log2(1 + granularity)); document-level recall and precision with an essay
flagged when its 去除引用复制比 reaches the 10% threshold (positives: every plagiarised
essay, about 30% copied; negatives: the honest essays); 复制比 mean absolute error. Per
database and library size: the index build time (import of the library through the
app's service, in batches of 2,000), the index size (fingerprint and stats tables with
their indexes) and the per-essay check latency p50/p95 (normalise, look up, align,
without storing the report).

Baselines, in the same run over the same texts: datasketch MinHashLSH over whole
documents (character 5-gram shingles, 128 permutations, threshold 0.3: an essay is
flagged when the LSH returns any library document) and an exact 13-character n-gram
match (every 13-gram of the normalised essay looked up in all library 13-grams; copied
characters are those covered; flagged at the same 10%). Both get the same normalisation.

The last line: document-level recall and precision over all disguises but synonym swaps,
the worst p95 at the largest size over both databases, and MinHashLSH's recall.
"""

import argparse
import itertools
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from _common import ROOT, child_main, run_child, scratch_databases

sys.path.insert(0, str(ROOT))

DISGUISES = ["verbatim", "light", "reorder", "synonym", "traditional", "mix"]
LENGTHS = [20, 50, 150, 400]
THRESHOLD = 10.0
BATCH = 2_000
SOURCES_FROM = 10_000  # planted passages come from the first documents, in the library at every size


# ---------------------------------------------------------------- corpus


def _characters() -> list[str]:
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


class Generator:
    def __init__(self, seed: int) -> None:
        from pingyi.originality.tests.texts import STOCK

        self.rng = random.Random(seed)
        chars = _characters()
        lengths = self.rng.choices([1, 2, 3], weights=[25, 60, 15], k=8_000)
        self.words = ["".join(self.rng.choices(chars, k=n)) for n in lengths]
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.words))))
        made = ["".join(self.rng.choices(self.words, k=8))[: self.rng.randint(12, 28)] for _ in range(35)]
        self.stock = list(STOCK) + made
        self.stock_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(self.stock))))

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=self.rng.randint(8, 20))
        cut = len(words) // 2
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + "。"

    def text(self, length: int, stock: int) -> tuple[str, list[tuple[int, int]]]:
        """About `length` characters with `stock` stock phrases; returns the text and the phrases' ranges."""
        sentences = []
        while sum(map(len, sentences)) < length:
            sentences.append(self.sentence())
        phrases = self.rng.choices(self.stock, cum_weights=self.stock_weights, k=stock)
        for phrase in phrases:
            sentences.insert(self.rng.randint(0, len(sentences)), phrase + "。")
        text, ranges, at = "", [], 0
        for s in sentences:
            if s[:-1] in phrases:
                ranges.append((at, at + len(s) - 1))
            text += s
            at += len(s)
        return text, ranges


def _replace_words(rng: random.Random, text: str, every: int, words: list[str]) -> str:
    """Replace a two-character word about every `every` characters with another common one."""
    pairs = _two_character(tuple(words[:2000]))
    chars, i = list(text), every // 2
    while i + 2 <= len(chars):
        if chars[i] not in "，。" and chars[i + 1] not in "，。":
            chars[i : i + 2] = rng.choice(pairs)
        i += every
    return "".join(chars)


@cache
def _two_character(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if len(w) == 2]


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _reorder(rng: random.Random, text: str) -> str:
    parts = [p + "。" for p in text.split("。") if p]
    if not text.endswith("。") and parts:
        parts[-1] = parts[-1][:-1]
    rng.shuffle(parts)
    return "".join(parts)


def disguise(rng: random.Random, how: str, text: str, words: list[str]) -> str:
    s2t = _s2t()
    if how == "light":
        return _replace_words(rng, text, 15, words)
    if how == "reorder":
        return _reorder(rng, text)
    if how == "synonym":
        return _replace_words(rng, text, 6, words)
    if how == "traditional":
        return s2t.convert(text)
    if how == "mix":
        mixed = s2t.convert(_reorder(rng, _replace_words(rng, text, 15, words)))
        return mixed.replace("，", ", ").replace("。", ". ")
    return text


def make_corpus(size: int, per_case: int, honest: int, seed: int) -> dict[str, Any]:
    from pingyi.originality.engine import normalize_text

    gen = Generator(seed)
    rng = gen.rng
    library, stock_ranges = [], []
    for _ in range(size):
        text, ranges = gen.text(rng.randint(200, 700), min(3, int(rng.expovariate(1 / 1.5))))
        library.append(text)
        stock_ranges.append(ranges)
    essays = []
    for _ in range(honest):
        text, _ = gen.text(1000, rng.randint(3, 6))
        essays.append({"disguise": "honest", "length": 0, "text": text, "planted": [], "truth": 0.0})
    usable = min(size, SOURCES_FROM)
    for how in DISGUISES:
        for length in LENGTHS:
            for _ in range(per_case):
                essays.append(_plagiarised(gen, how, length, library, stock_ranges, usable, normalize_text))
    return {"library": library, "essays": essays}


def _plagiarised(
    gen: Generator, how: str, length: int, library: list, stock_ranges: list, usable: int, norm: Any
) -> dict:
    rng = gen.rng
    base, _ = gen.text(1000, rng.randint(3, 6))
    count = {20: 15, 50: 6, 150: 2, 400: 1}[length]
    sentences = [s + "。" for s in base.split("。") if s]
    passages = []
    used: set[int] = set()
    while len(passages) < count:
        doc = rng.randrange(usable)
        text = library[doc]
        if doc in used or len(text) < length + 2:
            continue
        start = rng.randrange(len(text) - length)
        if any(a < start + length and start < b for a, b in stock_ranges[doc]):
            continue
        used.add(doc)
        passages.append((doc, disguise(rng, how, text[start : start + length], gen.words)))
    slots = sorted(rng.sample(range(len(sentences) + 1), count))
    essay, planted, at, slot_i = "", [], 0, 0
    for i in range(len(sentences) + 1):
        while slot_i < count and slots[slot_i] == i:
            doc, copied = passages[slot_i]
            planted.append((at, at + len(copied), doc))
            essay += copied
            at += len(copied)
            slot_i += 1
        if i < len(sentences):
            essay += sentences[i]
            at += len(sentences[i])
    truth = 100 * sum(len(norm(essay[a:b])) for a, b, _ in planted) / len(norm(essay))
    return {"disguise": how, "length": length, "text": essay, "planted": planted, "truth": truth}


# ---------------------------------------------------------------- the engine against one database (child)


def _table_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('originality_fingerprint')"
                " + pg_total_relation_size('originality_fingerprintstat')"
            )
            return int(cursor.fetchone()[0])
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'originality_fingerprint%'"
                " OR name LIKE 'sqlite_autoindex_originality_fingerprint%'"
            )
            return int(cursor.fetchone()[0] or 0)
        except Exception:  # dbstat is optional in SQLite builds: fall back to the whole file
            path = connection.settings_dict["NAME"]
            return os.path.getsize(path) + (os.path.getsize(f"{path}-wal") if os.path.exists(f"{path}-wal") else 0)


def measure(label: str, corpus_path: str, sizes: list[int]) -> dict:
    from django.db import connection

    from pingyi.originality import engine, services
    from pingyi.originality.conf import engine_settings
    from pingyi.originality.index import DatabaseStore
    from pingyi.originality.library import LibraryItem
    from pingyi.originality.models import CorpusDocument

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, as a server would configure it
    corpus = json.loads(Path(corpus_path).read_text(encoding="utf-8"))
    library, essays = corpus["library"], corpus["essays"]
    cfg = engine_settings()
    out: dict[str, Any] = {}
    done = 0
    for size in sizes:
        added = size - done
        start = time.perf_counter()
        for first in range(done, size, BATCH):
            items = [LibraryItem(f"L{i}", f"L{i}", "", library[i]) for i in range(first, min(size, first + BATCH))]
            services.import_library(items=items, org=None, by="bench")
        build_s = time.perf_counter() - start
        done = size
        index = {pk: int(title[1:]) for pk, title in CorpusDocument.objects.values_list("pk", "title")}
        store = DatabaseStore(scope_path="//", family="")
        engine.check(essays[0]["text"], store, cfg)  # warm the connection and caches
        results, latencies = [], []
        for essay in essays:
            t0 = time.perf_counter()
            result = engine.check(essay["text"], store, cfg)
            latencies.append((time.perf_counter() - t0) * 1000)
            results.append(
                {
                    "unquoted": result.unquoted_percent,
                    "copied": result.copied_percent,
                    "passages": [(p.q_start, p.q_end, index[p.source]) for p in result.passages],
                }
            )
        q = statistics.quantiles(latencies, n=100)
        out[str(size)] = {
            "build_s": build_s,
            "bytes": _table_bytes(),
            "p50": statistics.median(latencies),
            "p95": q[94],
            "results": results,
        }
        print(
            f"{label} {size:>7,} docs: +{added:,} indexed in {build_s:6.1f} s, {out[str(size)]['bytes'] / 1e6:7.1f} MB;"
            f" check p50 {out[str(size)]['p50']:6.1f} ms p95 {q[94]:6.1f} ms",
            file=sys.stderr,
            flush=True,
        )
    return out


# ---------------------------------------------------------------- baselines (in the parent, in memory)


def exact_13gram(library: list[str], essays: list[dict]) -> list[dict]:
    import numpy as np

    from pingyi.originality.engine import kgram_hashes, normalize, normalize_text

    k = 13
    hashes, owners = [], []
    for i, text in enumerate(library):
        h = np.unique(kgram_hashes(normalize_text(text), k))
        hashes.append(h)
        owners.append(np.full(len(h), i, dtype=np.int32))
    all_h = np.concatenate(hashes)
    all_o = np.concatenate(owners)
    order = np.argsort(all_h, kind="stable")
    all_h, all_o = all_h[order], all_o[order]
    out = []
    for essay in essays:
        norm = normalize(essay["text"])
        h = kgram_hashes(norm.text, k)
        left = np.searchsorted(all_h, h, side="left")
        right = np.searchsorted(all_h, h, side="right")
        covered: dict[int, int] = {}
        spans = []
        for pos in np.nonzero(right > left)[0].tolist():
            doc = int(all_o[left[pos]])  # one owner is enough to mark the characters
            for c in range(pos, pos + k):
                covered[c] = doc
            spans.append((pos, doc))
        copied = 100 * len(covered) / max(1, len(norm.text))
        passages = [(norm.positions[p], norm.positions[p + k - 1] + 1, d) for p, d in spans]
        out.append({"unquoted": round(copied, 1), "copied": round(copied, 1), "passages": passages})
    return out


def minhash_lsh(library: list[str], essays: list[dict]) -> list[bool]:
    from datasketch import MinHash, MinHashLSH

    from pingyi.originality.engine import normalize_text

    def sketch(text: str) -> MinHash:
        norm = normalize_text(text)
        m = MinHash(num_perm=128)
        m.update_batch([norm[i : i + 5].encode("utf-8") for i in range(max(1, len(norm) - 4))])
        return m

    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    with lsh.insertion_session() as session:
        for i, text in enumerate(library):
            session.insert(i, sketch(text))
    return [bool(lsh.query(sketch(e["text"]))) for e in essays]


# ---------------------------------------------------------------- scoring


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def score(essays: list[dict], results: list[dict]) -> dict[str, dict[str, float]]:
    """Per disguise (and 'all', 'headline' = all but synonym swaps): passage and document figures."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(essays):
        if e["disguise"] != "honest":
            groups[e["disguise"]].append(i)
            groups["all"].append(i)
            if e["disguise"] != "synonym":
                groups["headline"].append(i)
    honest = [i for i, e in enumerate(essays) if e["disguise"] == "honest"]
    flagged = [r["unquoted"] >= THRESHOLD for r in results]
    false_flags = sum(flagged[i] for i in honest)
    out = {}
    for name, members in groups.items():
        planted_chars = found_chars = reported = correct = detected = pieces = cases = 0
        for i in members:
            for a, b, doc in essays[i]["planted"]:
                cases += 1
                planted_chars += b - a
                hits = [(c, d) for c, d, src in results[i]["passages"] if src == doc and _overlap(a, b, c, d)]
                found_chars += min(b - a, sum(_overlap(a, b, c, d) for c, d in hits))
                if hits:
                    detected += 1
                    pieces += len(hits)
            for c, d, src in results[i]["passages"]:
                reported += d - c
                correct += sum(_overlap(a, b, c, d) for a, b, doc in essays[i]["planted"] if doc == src)
        # Precision counts the honest essays' reports too: every flagged character there is wrong.
        reported += sum(d - c for i in honest for c, d, _ in results[i]["passages"])
        recall = found_chars / planted_chars if planted_chars else 0.0
        precision = correct / reported if reported else 1.0
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        granularity = pieces / detected if detected else 1.0
        true_flags = sum(flagged[i] for i in members)
        out[name] = {
            "p_recall": recall,
            "p_precision": precision,
            "plagdet": f1 / math.log2(1 + granularity),
            "d_recall": true_flags / len(members),
            "d_precision": true_flags / (true_flags + false_flags) if true_flags + false_flags else 1.0,
            "mae": statistics.mean(abs(results[i]["copied"] - essays[i]["truth"]) for i in members),
        }
    out["honest"] = {
        "flagged": false_flags / len(honest) if honest else 0.0,
        "mae": statistics.mean(results[i]["copied"] for i in honest) if honest else 0.0,
    }
    return out


def score_flags(essays: list[dict], flags: list[bool]) -> dict[str, dict[str, float]]:
    honest = [i for i, e in enumerate(essays) if e["disguise"] == "honest"]
    false_flags = sum(flags[i] for i in honest)
    out = {}
    for name in [*DISGUISES, "all", "headline"]:
        members = [
            i
            for i, e in enumerate(essays)
            if e["disguise"] != "honest"
            and (name == e["disguise"] or name == "all" or (name == "headline" and e["disguise"] != "synonym"))
        ]
        true_flags = sum(flags[i] for i in members)
        out[name] = {
            "d_recall": true_flags / len(members),
            "d_precision": true_flags / (true_flags + false_flags) if true_flags + false_flags else 1.0,
        }
    out["honest"] = {"flagged": false_flags / len(honest) if honest else 0.0}
    return out


def report(title: str, scores: dict, passages: bool = True) -> None:
    print(f"\n{title}")
    head = f"  {'disguise':12s} {'d_recall':>8s} {'d_prec':>7s}"
    if passages:
        head += f" {'p_recall':>8s} {'p_prec':>7s} {'plagdet':>7s} {'MAE':>6s}"
    print(head)
    for name in [*DISGUISES, "all", "headline"]:
        s = scores[name]
        line = f"  {name:12s} {s['d_recall']:8.3f} {s['d_precision']:7.3f}"
        if passages:
            line += f" {s['p_recall']:8.3f} {s['p_precision']:7.3f} {s['plagdet']:7.3f} {s['mae']:6.2f}"
        print(line)
    honest = scores["honest"]
    extra = f", mean 复制比 {honest['mae']:.2f}" if "mae" in honest else ""
    print(f"  honest essays flagged at {THRESHOLD:.0f}%: {honest['flagged']:.2%}{extra}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--per-case", type=int, default=8)
    parser.add_argument("--honest", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument("--db", choices=["both", "postgres", "sqlite"], default="both")
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        child_main(lambda label: measure(label, args.corpus, sizes), args.child)
        return

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingyi.settings")
    django.setup()
    start = time.perf_counter()
    corpus = make_corpus(max(sizes), args.per_case, args.honest, args.seed)
    library, essays = corpus["library"], corpus["essays"]
    chars = sum(map(len, library))
    print(
        f"corpus: {len(library):,} library documents ({chars / len(library):.0f} characters on average),"
        f" {len(essays)} essays ({args.honest} honest), built in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(corpus, f, ensure_ascii=False)
        corpus_path = f.name
    try:
        runs = {}
        with scratch_databases(args.db, "pingyi_bench_originality") as urls:
            for label, url in urls.items():
                runs[label] = run_child(__file__, label, url, "--corpus", corpus_path, "--sizes", args.sizes)
    finally:
        os.unlink(corpus_path)

    largest = str(max(sizes))
    first = next(iter(runs.values()))
    labels = list(runs)
    same = all(
        run[largest]["results"][i]["copied"] == first[largest]["results"][i]["copied"]
        for run in runs.values()
        for i in range(len(essays))
    )
    print(f"same 复制比 for every essay on {', '.join(labels)}: {same}")
    engine_scores = score(essays, first[largest]["results"])
    report(f"engine (winnowed 8-grams, w=6, seed and extend) at {int(largest):,} library documents", engine_scores)

    start = time.perf_counter()
    exact_scores = score(essays, exact_13gram(library, essays))
    report(f"baseline: exact 13-gram match ({time.perf_counter() - start:.0f} s)", exact_scores)
    start = time.perf_counter()
    lsh_scores = score_flags(essays, minhash_lsh(library, essays))
    report(
        f"baseline: datasketch MinHashLSH, whole documents ({time.perf_counter() - start:.0f} s)",
        lsh_scores,
        passages=False,
    )

    print("\nlatency per essay (ms) and index")
    for label, run in runs.items():
        for size in sizes:
            r = run[str(size)]
            print(
                f"  {label:8s} {size:>7,} docs  p50 {r['p50']:6.1f}  p95 {r['p95']:6.1f}"
                f"  build {r['build_s']:6.1f} s  size {r['bytes'] / 1e6:7.1f} MB"
            )
    headline = engine_scores["headline"]
    p95 = max(run[largest]["p95"] for run in runs.values())
    print(
        f"originality: recall={headline['d_recall']:.3f} precision={headline['d_precision']:.3f}"
        f" p95_ms={p95:.1f} baseline_recall={lsh_scores['headline']['d_recall']:.3f}"
    )


if __name__ == "__main__":
    main()
