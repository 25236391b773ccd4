"""Worker-side batching: spaCy batches bounded by stories and characters, order kept."""

from __future__ import annotations

from flows.nlp_worker import batches_by_size


def test_batches_keep_order_and_bound_docs_and_chars() -> None:
    texts = ["a" * 10, "b" * 10, "c" * 10, "d" * 10, "e" * 10]
    assert [len(g) for g in batches_by_size(texts, max_docs=2, max_chars=1000)] == [2, 2, 1]
    assert [len(g) for g in batches_by_size(texts, max_docs=10, max_chars=25)] == [2, 2, 1]
    assert [t for g in batches_by_size(texts, 3, 25) for t in g] == texts


def test_long_text_is_a_batch_of_its_own() -> None:
    texts = ["x" * 5, "L" * 100, "y" * 5, "z" * 5]
    assert [[len(t) for t in g] for g in batches_by_size(texts, max_docs=16, max_chars=30)] == [[5], [100], [5, 5]]


def test_no_texts_no_batches() -> None:
    assert list(batches_by_size([], 16)) == []


def test_prewarmed_pool_is_taken_over_by_the_runner() -> None:
    from flows import pipeline

    pipeline.prewarm_workers("en_core_web_sm", 2)
    pool = pipeline._PREWARMED[("en_core_web_sm", 2)]
    with pipeline.NLPRunner("en_core_web_sm", 2) as runner:
        assert runner._executor() is pool
        assert ("en_core_web_sm", 2) not in pipeline._PREWARMED  # taken once, not shared by a second runner
    pipeline.prewarm_workers("en_core_web_sm", 1)  # one worker parses in-process: no pool
    assert not pipeline._PREWARMED


def test_worker_pipeline_runs_on_one_blas_thread_and_numpy_ops() -> None:
    from thinc.backends.numpy_ops import NumpyOps
    from threadpoolctl import threadpool_info

    from flows.nlp_worker import single_threaded_blas, worker_nlp

    assert single_threaded_blas()
    assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")
    nlp = worker_nlp("en_core_web_sm")
    assert worker_nlp("en_core_web_sm") is nlp  # loaded once per process
    tok2vec = nlp.get_pipe("tok2vec").model
    assert isinstance(tok2vec.ops, NumpyOps) and not tok2vec.ops.use_blis
