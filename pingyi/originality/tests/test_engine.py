"""The engine on its own (no database): planted copies are found, honest essays are not flagged."""

import pytest

from pingyi.originality.engine import EngineSettings, MemoryStore, check, normalize, quoted_mask, verdict
from pingyi.originality.engine.fingerprint import fingerprints

from . import disguise
from .texts import ARTICLE, HONEST_A, HONEST_B, OTHER_ARTICLES, STOCK

CFG = EngineSettings()
ARTICLE_ID = 1


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore(CFG)
    s.add(ARTICLE_ID, ARTICLE)
    for i, text in enumerate(OTHER_ARTICLES):
        s.add(10 + i, text)
    # Stock phrases recur across the library, as slogans do in real articles.
    for i in range(CFG.stock_library_docs + 1):
        s.add(100 + i, "。".join(STOCK[(i + j) % len(STOCK)] for j in range(4)) + f"。资料库第{i}篇。")
    return s


def n_chars(text: str) -> int:
    return len(normalize(text).text)


def test_normalise_folds_width_script_and_punctuation() -> None:
    n = normalize("學習ＡＢＣ，實踐　科學發展觀！１２３")
    assert n.text == "学习abc实践科学发展观123"
    assert n.original_span(5, 7) == (6, 8)  # 实践 sits after the comma in the original


def test_any_shared_run_of_13_characters_shares_a_fingerprint() -> None:
    run = ARTICLE[40:53]
    left = normalize("在这里" + run + HONEST_A[:30]).text
    right = normalize(HONEST_B[:17] + run + "结束").text
    assert {h for h, _ in fingerprints(left, 8, 6)} & {h for h, _ in fingerprints(right, 8, 6)}


def test_verbatim_copy_is_all_copied_from_the_article(store: MemoryStore) -> None:
    result = check(ARTICLE, store, CFG)
    assert result.sources[0].source == ARTICLE_ID
    # The one stock phrase in the article is discounted, everything else counts.
    assert result.copied_percent >= 95
    assert verdict(result.unquoted_percent, CFG) == "red"


def test_thirty_percent_copy_reports_about_thirty_percent(store: MemoryStore) -> None:
    copied = ARTICLE[100:300]
    essay = HONEST_A[:230] + copied + HONEST_B[:230]
    truth = 100 * n_chars(copied) / n_chars(essay)
    result = check(essay, store, CFG)
    assert abs(result.copied_percent - truth) <= 3
    assert [s.source for s in result.sources] == [ARTICLE_ID]
    passage = result.passages[0]
    assert essay[passage.q_start : passage.q_end] in copied
    assert ARTICLE[passage.s_start : passage.s_end] in copied


@pytest.mark.parametrize(
    "disguised",
    [
        disguise.light_edits(ARTICLE[60:460]),
        disguise.reorder(ARTICLE[60:460]),
        disguise.traditional(ARTICLE[60:460]),
        disguise.full_width(ARTICLE[60:460]),
    ],
    ids=["light-edits", "reordered", "traditional", "full-width"],
)
def test_disguised_copies_are_found(store: MemoryStore, disguised: str) -> None:
    essay = HONEST_A + disguised + HONEST_B
    truth = 100 * n_chars(disguised) / n_chars(essay)
    result = check(essay, store, CFG)
    assert result.sources[0].source == ARTICLE_ID
    assert result.copied_percent >= truth - 5
    assert result.copied_percent <= truth + 1
    assert verdict(result.unquoted_percent, CFG) == "red"


def test_traditional_copy_is_highlighted_in_the_traditional_text(store: MemoryStore) -> None:
    disguised = disguise.traditional(ARTICLE[60:200])
    essay = HONEST_A + disguised
    passage = check(essay, store, CFG).passages[0]
    assert essay[passage.q_start : passage.q_end] in disguised


@pytest.mark.parametrize("essay", [HONEST_A, HONEST_B], ids=["A", "B"])
def test_honest_essays_sharing_stock_phrases_are_not_flagged(store: MemoryStore, essay: str) -> None:
    result = check(essay, store, CFG)
    assert result.stock_chars > 0  # they do quote the stock phrases
    assert result.copied_chars == 0
    assert verdict(result.unquoted_percent, CFG) == "green"


def test_honest_essays_are_not_flagged_against_each_other(store: MemoryStore) -> None:
    store.add(200, HONEST_A, library=False)
    assert check(HONEST_B, store, CFG).copied_chars == 0


def test_the_same_essays_without_a_library_would_share_the_stock_phrase() -> None:
    """Why stock phrases are discounted: the raw match is there."""
    bare = MemoryStore(CFG)
    bare.add(200, HONEST_A, library=False)
    essay = "我的体会是" + STOCK[4] + "，并且" + STOCK[3] + "。"
    assert check(essay, bare, CFG).copied_chars > 0


def test_quoted_copy_counts_in_total_but_not_in_unquoted_ratio(store: MemoryStore) -> None:
    quote = ARTICLE[200:260]
    essay = HONEST_A + "文章写道：“" + quote + "”" + HONEST_B
    result = check(essay, store, CFG)
    assert result.copied_percent > 5
    assert result.unquoted_percent == 0
    assert all(p.quoted for p in result.passages)


def test_a_long_quotation_is_copying() -> None:
    long_quote = "“" + "字" * 300 + "”"
    assert not any(quoted_mask(long_quote, max_length=200))
    assert all(quoted_mask("“" + "字" * 10 + "”", max_length=200))


def test_block_quotation_lines_are_quotations() -> None:
    text = "正文\n> 引用的一段话\n正文"
    mask = quoted_mask(text, max_length=200)
    assert mask[text.index("引用")] and not mask[0]


def test_short_coincidences_are_not_reported(store: MemoryStore) -> None:
    essay = HONEST_A + ARTICLE[60:70] + HONEST_B  # ten characters: below the 13-character minimum
    assert check(essay, store, CFG).copied_chars == 0


def test_excluded_documents_are_not_sources(store: MemoryStore) -> None:
    store.excluded.add(ARTICLE_ID)
    assert check(ARTICLE, store, CFG).copied_chars == 0


def test_per_source_shares_with_two_sources(store: MemoryStore) -> None:
    essay = ARTICLE[100:250] + HONEST_A + OTHER_ARTICLES[1][:100]
    result = check(essay, store, CFG)
    shares = {s.source: s.percent for s in result.sources}
    assert set(shares) == {ARTICLE_ID, 11}
    assert shares[ARTICLE_ID] > shares[11] > 0
    assert result.copied_percent == pytest.approx(sum(shares.values()), abs=0.2)


# Self-repetition: a figure of its own, checked against a brute-force count on texts with planted repeats.


def _random_text(n: int, seed: int) -> str:
    import random

    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(n))


def _brute_force_repeated(norm: str, span: int) -> int:
    """Every character inside a run of `span` characters that occurred earlier: the definition, spelt out."""
    seen: set[str] = set()
    marked = [False] * len(norm)
    for pos in range(len(norm) - span + 1):
        run = norm[pos : pos + span]
        if run in seen:
            marked[pos : pos + span] = [True] * span
        seen.add(run)
    return sum(marked)


def test_a_sentence_pasted_over_and_over_is_almost_all_repetition() -> None:
    from pingyi.originality.engine import self_repetition

    sentence = "我们要认真学习党的理论，努力提高自身素质。"  # 19 characters once normalised
    padded = sentence * 215
    result = self_repetition(padded, CFG)
    assert result.repeated_chars == len(normalize(sentence).text) * 214
    assert result.percent == 99.5


@pytest.mark.parametrize("seed", range(5))
def test_planted_repeats_match_the_brute_force_count(seed: int) -> None:
    from pingyi.originality.engine import self_repetition

    head, body, tail = _random_text(300, seed), _random_text(40 + seed, seed + 100), _random_text(200, seed + 200)
    text = head + body * (seed + 2) + tail
    result = self_repetition(text, CFG)
    assert result.repeated_chars == len(body) * (seed + 1)  # every copy after the first, computed by hand
    assert result.repeated_chars == _brute_force_repeated(normalize(text).text, CFG.min_span)


def test_honest_essays_and_runs_shorter_than_a_passage_are_not_repetition() -> None:
    from pingyi.originality.engine import self_repetition

    for essay in (HONEST_A, HONEST_B, ARTICLE):
        result = self_repetition(essay, CFG)
        assert result.repeated_chars == _brute_force_repeated(normalize(essay).text, CFG.min_span)
        assert result.percent < 3
    control = _random_text(500, 9)
    twelve = control[:12]
    assert self_repetition(control + twelve + control[200:260], CFG).repeated_chars == 60
    assert self_repetition("", CFG).percent == 0.0
