"""Feed configuration, scheduling decisions (which feed is due, back-off, disabling) and feed state rows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.feeds_config import FeedConfig, feed_configs, parse_interval, resolve_feeds
from flows.schedule import backoff_delay, due_feeds, is_due, plan_next
from flows.settings import Settings, load_settings
from warehouse import writer
from warehouse.feeds import FeedState, all_feed_states, feed_id, feed_states, save_feed_states
from warehouse.tables import table

NOW = datetime(2024, 5, 1, 12, 0, 0)


@pytest.mark.parametrize(("raw", "seconds"), [(300, 300), ("300", 300), ("5m", 300), ("1h30m", 5400),
                                              ("90s", 90), ("1d", 86400), (60.5, 60)])
def test_parse_interval(raw: object, seconds: int) -> None:
    assert parse_interval(raw) == seconds


@pytest.mark.parametrize("raw", ["soon", "5 parsecs", "", 3, True, "-5m"])
def test_bad_intervals_are_refused(raw: object) -> None:
    with pytest.raises(ConfigError):
        parse_interval(raw)


def test_feeds_from_a_toml_file(tmp_path: Path) -> None:
    cfg = tmp_path / "wire.toml"
    cfg.write_text(
        'feed_interval = 600\n'
        '[[feeds]]\nurl = "https://a.example/rss"\nname = "A"\ninterval = "5m"\nagency = "AP"\n'
        'fetch_article = true\n'
        '[[feeds]]\nurl = "https://b.example/atom"\n', encoding="utf-8")
    settings = load_settings(cfg, env={})
    a, b = feed_configs(settings)
    assert a == FeedConfig("https://a.example/rss", "A", 300, "AP", True)
    assert b.interval_s == 600 and b.name is None and not b.fetch_article


@pytest.mark.parametrize(("feeds", "message"), [
    ([{"name": "no url"}], "not an http"),
    ([{"url": "ftp://x.example/feed"}], "not an http"),
    ([{"url": "https://x.example/f", "every": 5}], "unknown key"),
    ([{"url": "https://x.example/f"}, {"url": "HTTPS://X.example/f"}], "twice"),
    ([{"url": "https://x.example/f", "fetch_article": "yes"}], "true or false"),
])
def test_bad_feed_tables_are_refused(feeds: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        feed_configs(Settings(feeds=feeds))


def test_resolve_feeds_uses_the_configuration_of_a_given_url() -> None:
    settings = Settings(feeds=[{"url": "https://a.example/rss", "name": "A", "agency": "AP"}])
    (a,) = resolve_feeds(["https://a.example/rss"], settings)
    assert a.name == "A" and a.agency == "AP"
    (adhoc,) = resolve_feeds(["https://other.example/feed"], settings, agency="Reuters", fetch_article=None)
    assert adhoc.agency == "Reuters" and adhoc.interval_s == settings.feed_interval and not adhoc.fetch_article
    assert [f.url for f in resolve_feeds(None, settings)] == ["https://a.example/rss"]
    with pytest.raises(ConfigError):
        resolve_feeds(["not-a-url"], settings)


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    assert backoff_delay(0, 60, 3600) == 0
    for failures in range(1, 12):
        full = min(3600, 60 * 2 ** (failures - 1))
        draws = [backoff_delay(failures, 60, 3600, rng) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in draws)
        assert len(set(draws)) > 1  # jitter: polls of failing feeds do not line up
    assert backoff_delay(3, 60, 3600, random.Random(1)) > backoff_delay(1, 60, 3600, random.Random(1))


def test_plan_next_after_success_failure_and_retry_after() -> None:
    settings = Settings(feed_backoff_base=60, feed_backoff_max=3600, feed_disable_after=3)
    st = FeedState.new("https://a.example/rss")
    plan_next(st, now=NOW, interval_s=900, ok=True, settings=settings)
    assert st.next_poll == NOW + timedelta(seconds=900) and st.failures == 0 and st.last_ok == NOW
    plan_next(st, now=NOW, interval_s=900, ok=False, settings=settings, rng=random.Random(1))
    assert st.failures == 1 and NOW + timedelta(seconds=30) <= st.next_poll <= NOW + timedelta(seconds=60)
    plan_next(st, now=NOW, interval_s=900, ok=False, retry_after=7200, settings=settings)
    assert st.failures == 2 and st.next_poll == NOW + timedelta(seconds=7200)
    assert not st.disabled  # transient failures never disable


def test_repeated_hard_failures_disable_the_feed_with_the_reason() -> None:
    settings = Settings(feed_disable_after=3)
    st = FeedState.new("https://a.example/rss")
    for i in range(3):
        st.last_status = "404 Not Found"
        assert not st.disabled, i
        plan_next(st, now=NOW, interval_s=900, ok=False, hard=True, settings=settings)
    assert st.disabled and st.hard_failures == 3
    assert st.disabled_reason is not None and "404 Not Found" in st.disabled_reason
    plan_next(st, now=NOW, interval_s=900, ok=True, settings=settings)  # an explicit poll that works
    assert not st.disabled and st.disabled_reason is None and st.hard_failures == 0


def test_a_transient_failure_breaks_a_run_of_hard_failures() -> None:
    settings = Settings(feed_disable_after=2)
    st = FeedState.new("https://a.example/rss")
    plan_next(st, now=NOW, interval_s=900, ok=False, hard=True, settings=settings)
    plan_next(st, now=NOW, interval_s=900, ok=False, hard=False, settings=settings)
    plan_next(st, now=NOW, interval_s=900, ok=False, hard=True, settings=settings)
    assert not st.disabled and st.failures == 3


def test_which_feed_is_due() -> None:
    a, b, c, d = (FeedConfig(f"https://{x}.example/f") for x in "abcd")
    states = {
        b.feed_id: FeedState.new(b.url, next_poll=NOW + timedelta(minutes=5)),
        c.feed_id: FeedState.new(c.url, next_poll=NOW - timedelta(seconds=1)),
        d.feed_id: FeedState.new(d.url, next_poll=NOW - timedelta(hours=1), disabled=True),
    }
    assert due_feeds([a, b, c, d], states, NOW) == [a, c]  # never polled, and overdue; not the disabled one
    assert due_feeds([a, b, c, d], states, NOW, skip="none") == [a, b, c, d]
    # scheduled runs skip only feeds backing off after a failure
    assert is_due(states[b.feed_id], NOW, skip="backoff")
    failing = FeedState.new(b.url, next_poll=NOW + timedelta(minutes=5), failures=2)
    assert not is_due(failing, NOW, skip="backoff")
    assert is_due(failing, NOW + timedelta(minutes=5), skip="backoff")
    assert is_due(FeedState.new(a.url, next_poll=NOW + timedelta(seconds=2)), NOW)  # within the slack


def test_feed_state_fields_are_the_table_columns() -> None:
    assert sorted(FeedState.new("https://a.example/").row()) == sorted(table("feeds").column_names())


def test_feed_id_ignores_scheme_and_host_case_only() -> None:
    assert feed_id("https://A.Example/Feed") == feed_id("HTTPS://a.example/Feed")
    assert feed_id("https://a.example/Feed") != feed_id("https://a.example/feed")


def test_feed_state_round_trip(db: str) -> None:
    st = FeedState.new("https://a.example/rss", name="A", etag='"e1"', last_poll=NOW, failures=2,
                       next_poll=NOW + timedelta(minutes=1), disabled=True, disabled_reason="gone")
    other = FeedState.new("https://b.example/rss")
    with writer(db) as con:
        save_feed_states(con, [st, other])
        st.etag = '"e2"'
        save_feed_states(con, [st])  # replaces the row
        got = feed_states(con, [st.feed_id, "missing"])
        everything = all_feed_states(con)
    assert list(got) == [st.feed_id] and got[st.feed_id] == st
    assert [s.url for s in everything] == ["https://a.example/rss", "https://b.example/rss"]
    assert everything[1].failures == 0 and everything[1].disabled is False


def test_serve_builds_one_deployment_per_feed_on_its_interval(tmp_path: Path) -> None:
    from flows.serve import build_deployments

    settings = Settings(feeds=[{"url": "https://a.example/rss", "name": "A Wire", "interval": "5m"},
                               {"url": "https://b.example/atom"}], feed_interval=1200)
    a, b = build_deployments(settings, str(tmp_path / "w.duckdb"))
    assert a.name == "feed-a-wire" and b.name == "feed-b-example-atom"
    assert [s.schedule.interval for s in a.schedules] == [timedelta(minutes=5)]
    assert [s.schedule.interval for s in b.schedules] == [timedelta(minutes=20)]
    assert a.parameters == {"urls": ["https://a.example/rss"], "db": str(tmp_path / "w.duckdb"), "skip": "backoff"}
