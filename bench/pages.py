#!/usr/bin/env python
"""Page-timing benchmark over the province-size committee (issue 13). Not a test; run on demand.

    .venv/bin/python bench/pages.py --database postgres            # the kept 20,000-branch committee
    .venv/bin/python bench/pages.py --database sqlite --scale 0.01 --build

It opens the committee that ``bench/compliance.py`` builds (20,000 branches with 5 party groups
each, ~400,000 members, ~1.5 million meetings at ``--scale 1``), building it first when it is
missing or ``--build`` is given, and keeps it for the next run. In that committee it makes (once)
one persona per role — committee staff, inspector, a branch secretary, a committee member, a party
group leader, a member — and, in the first branch, one sample of every object a page is about,
resolved the same way as the access matrix of the test suite (``tests/test_access_matrix.py``
and each app's ``tests/access.py``).

Then, signed in as each role, it requests every GET page of the access matrix that the role may
open, twice, and prints each page's time (the second, warm request; the first is shown too), its
query count and its status, slowest first. It exits 1 when a page exceeds its budget (1 s for a
page, 300 ms for a list) or answers 500. ``--only TEXT`` keeps the pages whose URL name contains
TEXT; ``--roles staff,member`` keeps those roles. A request that runs longer than ``--cutoff``
seconds (default 30) is abandoned and reported as over the cutoff.

Results go to ``var/bench/pages-<time>.json``; ``docs/performance.md`` keeps the figures with the
load average of the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load_builder():
    """bench/compliance.py, the committee builder (loaded by path: its name is also an app's)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_committee", ROOT / "bench" / "compliance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_committee = _load_builder()

PAGE_BUDGET_S = 1.0
LIST_BUDGET_S = 0.3
ROLES = ("staff", "inspector", "secretary", "committee_member", "group_leader", "member")
SAMPLE_MARKER = "bench-pages-samples"
# Samples that cannot be made over a large committee yet (docs/performance.md, "Page timings"):
# computing a year's assessment writes every branch's scores in one UPDATE, which PostgreSQL did
# not finish in 1 h 38 min at 20,000 branches and which then blocked DROP DATABASE.
LARGE_BRANCHES = 1000
_ASSESSMENT = "computing the year's assessment writes every score in one statement (issue 13)"
UNSAFE_AT_SIZE = dict.fromkeys(("year", "indicator", "assessment", "score", "assessment_published"), _ASSESSMENT)


class Cutoff(Exception):
    pass


@contextmanager
def cutoff(seconds: float):
    """Abandon a request that runs longer than ``seconds`` (SIGALRM; the client runs in this thread)."""

    def _raise(signum, frame):
        raise Cutoff

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def database_exists(database: str, scale: float) -> bool:
    if database == "sqlite":
        return bench_committee.sqlite_path(scale).exists()
    import psycopg

    with psycopg.connect(bench_committee.PG_ADMIN, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (bench_committee.PG_DATABASE,)).fetchone()
    return row is not None


def build(database: str, scale: float, branches: int, groups: int, seed: int) -> None:
    """Build the committee in a child process (the same builder as bench/compliance.py)."""
    command = [
        sys.executable,
        str(ROOT / "bench" / "compliance.py"),
        "--child",
        "build",
        "--database",
        database,
        "--scale",
        repr(scale),
        "--branches",
        str(branches),
        "--groups",
        str(groups),
        "--seed",
        str(seed),
    ]
    started = time.perf_counter()
    print(f"building the committee ({database}, scale {scale:g}) …", flush=True)
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


# --- personas and samples ---------------------------------------------------------------------


def personas():
    """The bench committee's personas, made once and found again on later runs.

    The shape is that of the test suite's ``personas`` fixture (so the access matrix's target
    resolvers work unchanged), plus a committee member and a group leader."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from accounts.models import Role, RoleGrant
    from committees.models import CommitteeTerm, TermStatus
    from members.models import Member
    from organizations.models import Unit, UnitKind

    User = get_user_model()
    committee = Unit.objects.get(pk=1)
    branch_a, branch_b = Unit.objects.filter(kind=UnitKind.BRANCH).order_by("pk")[:2]
    group_a = Unit.objects.filter(parent=branch_a).order_by("pk").first()
    group_b = Unit.objects.filter(parent=branch_b).order_by("pk").first()

    def members_of(branch):
        return list(Member.objects.in_unit_on(branch, datetime.date.today()).order_by("pk")[:6])

    a, b = members_of(branch_a), members_of(branch_b)

    def user(username, role, unit, member=None):
        u, created = User.objects.get_or_create(username=username, defaults={"first_name": username})
        if created:
            u.set_unusable_password()
            u.save()
        RoleGrant.objects.get_or_create(user=u, unit=unit, role=role)
        if member is not None and member.user_id != u.pk:
            Member.objects.filter(pk=member.pk).update(user=u)
            member.user = u
        return u

    with transaction.atomic():
        staff = User.objects.get(username="bench-staff")
        people = SimpleNamespace(
            staff=staff,
            inspector=user("bench-inspector", Role.INSPECTOR, committee),
            secretary_a=user("bench-secretary-a", Role.SECRETARY, branch_a, a[0]),
            member_a=user("bench-member-a", Role.MEMBER, branch_a, a[1]),
            secretary_b=user("bench-secretary-b", Role.SECRETARY, branch_b, b[0]),
            committee_member=user("bench-committee-member", Role.COMMITTEE_MEMBER, branch_a, a[2]),
            group_leader=user("bench-group-leader", Role.GROUP_LEADER, group_a, a[3]),
        )
    people.org = SimpleNamespace(
        committee=committee, branch_a=branch_a, branch_b=branch_b, group_a=group_a, group_b=group_b
    )
    people.members = SimpleNamespace(secretary_a=a[0], member_a=a[1], secretary_b=b[0], other_a=a[4], other_b=b[4])
    terms = {
        t.unit_id: t for t in CommitteeTerm.objects.filter(unit__in=[branch_a, branch_b], status=TermStatus.CURRENT)
    }
    people.terms = SimpleNamespace(a=terms.get(branch_a.pk), b=terms.get(branch_b.pk))
    return people


def page_urls(people, cache: Path) -> dict[str, str]:
    """``{url name: url}`` of every GET page of the access matrix, with its sample objects made once."""
    if cache.exists():
        return json.loads(cache.read_text())
    from django.db import transaction
    from django.urls import resolve

    import tests.test_access_matrix as matrix
    from organizations.models import Unit, UnitKind

    large = Unit.objects.filter(kind=UnitKind.BRANCH).count() > LARGE_BRANCHES
    urls, samples = {}, {}  # one sample per target, shared by every page about it
    for name, (method, _expected, target) in matrix.MATRIX.items():
        if method != "GET" or "@" in name or name == "accounts:login":
            continue
        if large and target in UNSAFE_AT_SIZE:
            print(f"   skipped {name} ({target}): {UNSAFE_AT_SIZE[target]}", flush=True)
            continue
        try:
            if target in samples:
                urls[name] = _reverse(name, samples[target])
                continue
            with transaction.atomic():
                urls[name] = matrix._url(name, target, people)
            samples[target] = resolve(urls[name].split("?")[0]).kwargs
        except Exception as exc:  # a sample this database cannot make: reported, not fatal
            print(f"   no sample for {name} ({target}): {exc.__class__.__name__}: {exc}", flush=True)
    cache.write_text(json.dumps(urls, ensure_ascii=False, indent=1))
    return urls


def _reverse(name: str, kwargs: dict) -> str:
    from django.urls import reverse

    return reverse(name.split("@")[0], kwargs=kwargs)


def is_list(name: str) -> bool:
    return name.endswith((".list", ".index", ":dashboard", ".tree", ".branch")) or name in {"portal:home"}


# --- measuring ----------------------------------------------------------------------------------


def measure(people, urls: dict[str, str], roles, only: str | None, cutoff_s: float) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    for role in roles:
        user = (
            people.staff
            if role == "staff"
            else getattr(people, {"secretary": "secretary_a", "member": "member_a"}.get(role, role))
        )
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for name, url in urls.items():
            if only and only not in name:
                continue
            timings, status, queries = [], None, None
            for _ in range(2):
                reset_queries()
                started = time.perf_counter()
                try:
                    with cutoff(cutoff_s), CaptureQueriesContext(connection) as captured:
                        response = client.get(url)
                        if getattr(response, "streaming", False):
                            b"".join(response.streaming_content)
                except Cutoff:
                    timings.append(None)
                    status = "cutoff"
                    break
                timings.append(time.perf_counter() - started)
                status, queries = response.status_code, len(captured.captured_queries)
            if status in (302, 403, 404):
                continue  # not this role's page
            seconds = timings[-1]
            budget = LIST_BUDGET_S if is_list(name) else PAGE_BUDGET_S
            rows.append(
                {
                    "role": role,
                    "name": name,
                    "url": url,
                    "status": status,
                    "first_s": timings[0],
                    "seconds": seconds,
                    "queries": queries,
                    "budget_s": budget,
                    "over": status == "cutoff" or status == 500 or (seconds is not None and seconds > budget),
                }
            )
            print(_line(rows[-1]), flush=True)
    return rows


def _fmt(seconds) -> str:
    return "  >cutoff" if seconds is None else f"{seconds * 1000:8.0f}"


def _line(row: dict) -> str:
    flag = "OVER" if row["over"] else "ok  "
    return (
        f"{flag} {_fmt(row['seconds'])} ms (first {_fmt(row['first_s']).strip()} ms) "
        f"{str(row['queries']):>5} q  {row['status']!s:>6}  {row['role']:<16} {row['name']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of --branches (default 1: 20,000)")
    parser.add_argument("--branches", type=int, default=20000)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--build", action="store_true", help="build the committee again even if it exists")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--only", help="keep the pages whose URL name contains this text")
    parser.add_argument("--cutoff", type=float, default=30.0, help="seconds after which a request is abandoned")
    args = parser.parse_args()

    roles = [r for r in args.roles.split(",") if r]
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise SystemExit(f"unknown roles: {', '.join(sorted(unknown))} (known: {', '.join(ROLES)})")
    bench_committee.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    cache = bench_committee.BENCH_DIR / f"pages-urls-{args.database}-{args.scale:g}.json"
    if args.build or not database_exists(args.database, args.scale):
        bench_committee.reset_database(args.database, args.scale)
        cache.unlink(missing_ok=True)
        build(args.database, args.scale, args.branches, args.groups, args.seed)

    os.environ["ZHIBU_ALLOWED_HOSTS"] = "testserver"
    bench_committee.setup_django(args.database, args.scale)
    from django.conf import settings

    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a committee kept from an older checkout
    people = personas()
    urls = page_urls(people, cache)
    print(
        f"Zhibu page timings, {datetime.datetime.now():%Y-%m-%d %H:%M}, {args.database}, scale {args.scale:g}, "
        f"{len(urls)} pages × {len(roles)} roles, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rows = measure(people, urls, roles, args.only, args.cutoff)
    rows.sort(key=lambda r: -(r["seconds"] if r["seconds"] is not None else float("inf")))
    over = [r for r in rows if r["over"]]
    print(
        f"\n== slowest first ({len(rows)} pages timed, {len(over)} over budget); load average {os.getloadavg()[0]:.1f}"
    )
    for row in rows[:40]:
        print(_line(row))
    path = bench_committee.BENCH_DIR / f"pages-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"args": vars(args), "rows": rows}, ensure_ascii=False, indent=1))
    print(f"results: {path.relative_to(ROOT)}")
    raise SystemExit(1 if over else 0)


if __name__ == "__main__":
    main()
