"""The load section of `make bench`: many users at once, and concurrent edits.

Both run against gunicorn, as the Dockerfile serves (server.SERVING), on loopback, on the largest
scale's bench database, with a Python client of threads and http.client
(locust is not a dependency, and wrk's Lua cannot follow a form's version
from one request to the next).

* Mixed load: `--users` simulated users (100) for `--load-duration` seconds
  (60), spread over the bench programmes. Seven in ten are steering-group
  members reading — programme and principal dashboards (with every panel in
  the page: one request for the page and the panels a browser fetches after
  it), meeting pages, the decision register, weighted 3:2:3:2; three in ten
  are process leaders who also edit, with real POSTs carrying the CSRF
  token: an agenda item's minutes of a draft meeting (GET the form, append a
  line, POST with the version it showed) and a new review of an open risk.
  Each user waits `--think` seconds (uniformly 1–5 by default, like a locust
  user) between requests. An error is a refused connection, a timeout or an
  unexpected status (a 500, a 403, a redirect to the login page); a save
  refused because someone else saved the same item first is the optimistic
  lock working, counted apart as a conflict. Target: 0 errors. The edits
  stay in the bench database (`--fresh` starts it again).
* Same minutes: 20 clients append their own line to one new agenda item at
  the same moment, each retrying (re-reading the form) when its save is
  refused as a conflict. Afterwards the text must hold all 20 lines. Lost
  updates: lines missing from the text, and saves that were answered as
  saved but whose line is gone (silently overwritten). Target: 0.
"""

from __future__ import annotations

import datetime
import html
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench import server

TEXTAREA = re.compile(r'<textarea[^>]*name="minutes"[^>]*>(.*?)</textarea>', re.DOTALL)
VERSION = re.compile(r'<input[^>]*name="version"[^>]*>')
VALUE = re.compile(r'value="(\d+)"')
CONCURRENT_EDITORS = 20
# What readers open, by weight; then one of that kind's pages at random.
READ_WEIGHTS = {
    "programme dashboard": 3,
    "principal dashboard": 2,
    "meeting page": 3,
    "decision register": 2,
}


def parse_form(body: str) -> tuple[str, int]:
    """The minutes text and version the edit form shows."""
    text = TEXTAREA.search(body)
    tag = VERSION.search(body)
    value = VALUE.search(tag.group(0)) if tag else None
    if text is None or value is None:
        raise ValueError("no minutes form in the page")
    minutes = html.unescape(text.group(1))
    # Django's textarea starts with a newline that browsers drop.
    minutes = minutes.removeprefix("\r\n").removeprefix("\n")
    return minutes.replace("\r\n", "\n"), int(value.group(1))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    conflicts: int = 0

    def record(self, kind: str, ms: float) -> None:
        with self.lock:
            self.timings.setdefault(kind, []).append(ms)

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if len(self.examples) < 10:
                self.examples.append(f"{kind}: {what}")


class Timed:
    def __init__(self, port: int, cookies: dict[str, str], tally: Tally) -> None:
        self.port, self.cookies, self.tally = port, cookies, tally

    def __call__(
        self, kind: str, method: str, path: str, *, form: dict[str, str] | None = None
    ) -> tuple[int, str] | None:
        start = time.perf_counter()
        try:
            status, _headers, body = server.request(
                self.port, method, path, cookies=self.cookies, form=form
            )
        except OSError as error:  # refused, reset, timed out
            self.tally.error(kind, f"{path}: {type(error).__name__} {error}")
            return None
        self.tally.record(kind, (time.perf_counter() - start) * 1000)
        return status, body


def edit_minutes(call: Timed, item: dict[str, str], line: str) -> str:
    """GET the form, append `line`, POST with the version shown: 'saved',
    'conflict' (someone saved first; nothing written) or 'error'."""
    got = call("minutes form", "GET", item["url"])
    if got is None:
        return "error"
    status, body = got
    if status != 200:
        call.tally.error("minutes form", f"{item['url']} answered {status}")
        return "error"
    try:
        text, version = parse_form(body)
    except ValueError as error:
        call.tally.error("minutes form", f"{item['url']}: {error}")
        return "error"
    form = {
        "title": item["title"],
        "kind": item["kind"],
        "minutes": f"{text}\n{line}" if text else line,
        "version": str(version),
    }
    saved = call("minutes save", "POST", item["url"], form=form)
    if saved is None:
        return "error"
    status, body = saved
    if status == 302:
        return "saved"
    if status == 200 and "<form" in body:
        return "conflict"  # the form again: refused, the other text shown
    call.tally.error("minutes save", f"{item['url']} answered {status}")
    return "error"


def mixed_user(
    n: int,
    *,
    port: int,
    programme: dict[str, Any],
    cookies: dict[str, str],
    editor: bool,
    until: float,
    think: tuple[float, float],
    tally: Tally,
) -> None:
    rng = random.Random(n)  # noqa: S311 -- a repeatable mix, not a secret
    call = Timed(port, cookies, tally)
    reads: dict[str, list[str]] = {}
    for page, path in programme["reads"]:
        reads.setdefault(page, []).append(path)
    kinds = [kind for kind in READ_WEIGHTS if kind in reads]
    weights = [READ_WEIGHTS[kind] for kind in kinds]
    today = datetime.date.today().isoformat()
    while time.monotonic() < until:
        choice = rng.random() if editor else 0.0
        if choice < 0.5 or not (programme["minutes"] or programme["reviews"]):
            page = rng.choices(kinds, weights)[0]
            path = rng.choice(reads[page])
            got = call(f"read: {page}", "GET", path)
            if got is not None and got[0] != 200:
                tally.error(f"read: {page}", f"{path} answered {got[0]}")
        elif choice < 0.8 and programme["minutes"]:
            item = rng.choice(programme["minutes"])
            if edit_minutes(call, item, f"- Belastningsprov, användare {n}.") == "conflict":
                with tally.lock:
                    tally.conflicts += 1
        elif programme["reviews"]:
            path = rng.choice(programme["reviews"])
            form = {
                "reviewed_on": today,
                "likelihood": str(rng.randint(1, 4)),
                "consequence": str(rng.randint(1, 4)),
                "status": "hanteras",
                "note": f"Belastningsprov, användare {n}.",
            }
            got = call("risk review", "POST", path, form=form)
            if got is not None and got[0] != 302:
                tally.error("risk review", f"{path} answered {got[0]}")
        time.sleep(rng.uniform(*think))


def summarise(tally: Tally, seconds: float) -> dict[str, Any]:
    every = [ms for values in tally.timings.values() for ms in values]
    kinds = {
        kind: {
            "requests": len(values),
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
            "errors": tally.errors.get(kind, 0),
        }
        for kind, values in sorted(tally.timings.items())
    }
    for kind, count in tally.errors.items():  # kinds whose every request failed
        kinds.setdefault(kind, {"requests": 0, "p50_ms": 0.0, "p95_ms": 0.0, "errors": count})
    return {
        "requests": len(every),
        "requests_per_s": round(len(every) / seconds, 1),
        "errors": sum(tally.errors.values()),
        "error_examples": tally.examples,
        "conflicts": tally.conflicts,
        "p50_ms": percentile(every, 50),
        "p95_ms": percentile(every, 95),
        "mean_ms": round(statistics.fmean(every), 1) if every else 0.0,
        "by_kind": kinds,
    }


def mixed_load(
    port: int | list[int],
    programmes: list[dict[str, Any]],
    sessions: dict[str, dict[str, str]],
    *,
    users: int,
    duration: int,
    think: tuple[float, float],
) -> dict[str, Any]:
    """`users` users over `duration` s; with several ports (web instances) the
    users are spread over them in turn, each with the session it logged in
    with wherever that was."""
    ports = port if isinstance(port, list) else [port]
    tally = Tally()
    start = time.monotonic()
    until = start + duration
    threads = []
    for n in range(users):
        programme = programmes[n % len(programmes)]
        editor = n % 10 < 3
        login = programme["pl"] if editor else programme["sg"]
        thread = threading.Thread(
            target=mixed_user,
            kwargs={
                "n": n,
                "port": ports[n % len(ports)],
                "programme": programme,
                "cookies": sessions[login],
                "editor": editor,
                "until": until,
                "think": think,
                "tally": tally,
            },
            daemon=True,
        )
        threads.append(thread)
    for thread in threads:
        thread.start()
        time.sleep(duration / 60 / users)  # ramp up over the first second of a minute
    for thread in threads:
        thread.join()
    result = summarise(tally, time.monotonic() - start)
    result |= {"users": users, "duration_s": duration, "think_s": list(think)}
    return result


def same_minutes(
    port: int | list[int], item: dict[str, str], cookies: dict[str, str]
) -> dict[str, Any]:
    """Twenty editors of one agenda item at once, spread over the ports given."""
    ports = port if isinstance(port, list) else [port]
    tally = Tally()
    barrier = threading.Barrier(CONCURRENT_EDITORS)
    outcomes: dict[int, dict[str, Any]] = {}

    def editor(n: int) -> None:
        call = Timed(ports[n % len(ports)], cookies, tally)
        line = f"- Rad från samtidig redaktör {n:02d}."
        attempts = 0
        barrier.wait()
        outcome = "error"
        while attempts < 100:
            attempts += 1
            outcome = edit_minutes(call, item, line)
            if outcome != "conflict":
                break
            time.sleep(random.uniform(0, 0.05))  # noqa: S311 -- jitter, not a secret
        outcomes[n] = {"line": line, "outcome": outcome, "attempts": attempts}

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(CONCURRENT_EDITORS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    status, _headers, body = server.request(ports[-1], "GET", item["url"], cookies=cookies)
    final, _version = parse_form(body) if status == 200 else ("", 0)
    lines = set(final.splitlines())
    saved = [o for o in outcomes.values() if o["outcome"] == "saved"]
    missing = [o["line"] for o in outcomes.values() if o["line"] not in lines]
    overwritten = [o["line"] for o in saved if o["line"] not in lines]
    return {
        "editors": CONCURRENT_EDITORS,
        "saved": len(saved),
        "gave_up_or_failed": CONCURRENT_EDITORS - len(saved),
        "conflicts_retried": sum(o["attempts"] - 1 for o in outcomes.values()),
        "lines_in_final_text": CONCURRENT_EDITORS - len(missing),
        "lost_updates": len(missing),
        "silently_overwritten": len(overwritten),
        "errors": sum(tally.errors.values()),
        "error_examples": tally.examples,
        "seconds": round(seconds, 1),
        "item": item["url"],
    }


BIG_USERS = 300


def bench_load(
    *, scale: int, users: int, duration: int, think: tuple[float, float]
) -> dict[str, Any]:
    print(f"load, scale {scale}:", flush=True)
    server.prepare_database(scale, fresh=False)
    found = server.targets(scale, load=True)
    programmes: list[dict[str, Any]] = found["load"]
    item: dict[str, str] = found["same_minutes"]
    with server.gunicorn(scale) as running:
        sessions = {}
        for programme in programmes:
            for login in (programme["pl"], programme["sg"]):
                sessions[login] = server.login(running.port, login)
        mixed = mixed_load(
            running.port, programmes, sessions, users=users, duration=duration, think=think
        )
        concurrent = same_minutes(running.port, item, sessions[programmes[0]["pl"]])
        # The same mix, three times the people (issue 17, item 3): reported, no target.
        big = mixed_load(
            running.port, programmes, sessions, users=BIG_USERS, duration=duration, think=think
        )
    result = {
        "method": (
            f"gunicorn ({server.SERVING.label}) on loopback, bench database of scale "
            f"{scale}; a Python client (threads, http.client): {users} users for {duration} s, "
            f"think time {think[0]}–{think[1]} s, 3 in 10 process leaders who also edit "
            "(minutes of draft meetings, risk reviews: POSTs with CSRF through the views and "
            f"services); then {CONCURRENT_EDITORS} clients appending a line each to one "
            "agenda item's minutes at once, retrying on conflict; then the same mix with "
            f"{BIG_USERS} users"
        ),
        "mixed": mixed,
        "same_minutes": concurrent,
        "mixed_300": big,
    }
    print_load(result)
    print(
        f"  {BIG_USERS} users, the same mix for {duration} s: p95 {big['p95_ms']} ms, "
        f"{big['errors']} errors, {big['requests_per_s']} req/s"
    )
    return result


def print_load(result: dict[str, Any]) -> None:
    mixed, same = result["mixed"], result["same_minutes"]
    print()
    print(
        f"{'load (' + str(mixed['users']) + ' users, ' + str(mixed['duration_s']) + ' s)':<34}"
        f"{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
    )
    for kind, row in mixed["by_kind"].items():
        print(
            f"{'  ' + kind:<34}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['errors']:>8}"
        )
    print(
        f"{'  all':<34}{mixed['requests']:>9}{mixed['p50_ms']:>9}{mixed['p95_ms']:>9}"
        f"{mixed['errors']:>8}   {mixed['requests_per_s']} req/s, "
        f"{mixed['conflicts']} edit conflicts refused"
    )
    for example in mixed["error_examples"][:5]:
        print(f"    {example}")
    print()
    mark = "PASS" if mixed["errors"] == 0 else "FAIL"
    print(f"  {mark}  mixed load: 0 errors: {mixed['errors']} (p95 {mixed['p95_ms']} ms)")
    lost = same["lost_updates"] + same["silently_overwritten"]
    mark = "PASS" if lost == 0 and same["saved"] == same["editors"] else "FAIL"
    print(
        f"  {mark}  {same['editors']} concurrent edits of the same minutes: 0 lost updates: "
        f"{same['lost_updates']} lost, {same['silently_overwritten']} silently overwritten, "
        f"{same['lines_in_final_text']}/{same['editors']} lines kept, "
        f"{same['conflicts_retried']} conflicts retried"
    )
