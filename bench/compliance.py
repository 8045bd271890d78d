#!/usr/bin/env python
"""Benchmark of the compliance engine on a synthetic committee (issue 3, part 12). Not a test.

    .venv/bin/python bench/compliance.py --branches 20000 --groups 5 --database both --scale 0.1

builds a committee of ``branches × scale`` branches with ``groups`` party groups each (20 members a
branch, ~78 meetings a branch and its groups in a year: ~400,000 members and ~1.5 million
meetings at full size) in a database of its own, then measures:

* the whole-year compliance table (``compliance.services.compliance_table``), split into the
  fetch of the facts and the pure evaluation;
* the committee dashboard (``compliance:compliance.dashboard`` through the test client, logged in
  as committee staff);
* recording one meeting (``meetings.services.record_meeting`` on a branch of 20 members, median
  of 20);
* the peak resident memory of the measuring process;
* the counting step against DuckDB counting the same meeting-kind rows held in memory.

Unless ``--no-scaling`` is given it does the same at ``10 × scale`` and prints the time ratio
(target: 10× the data in at most 12× the time).

The data never touches a working database: SQLite goes to ``var/bench/bench-<scale>.sqlite3``
(deleted afterwards unless ``--keep``), PostgreSQL to the database ``zhibu_bench`` on 127.0.0.1
(user postgres, trust authentication), created and dropped by this script. Each build and each
measurement runs in a fresh child process, so memory figures are those of the measurement alone.
Results are printed and written to ``var/bench/results-<time>.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_DATABASE = "zhibu_bench"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"

MEMBERS_PER_BRANCH = 20
SEATS = ("secretary", "deputy_secretary", "organization", "publicity", "discipline")
CHUNK_BRANCHES = 250  # branches generated and loaded per round trip
TARGETS = {"table_s": 10.0, "dashboard_s": 1.0, "record_ms": 150.0, "memory_mib": 1024.0, "scaling": 12.0}

MINUTES = (
    "书记主持会议，传达学习上级党委会议精神，结合支部实际研究贯彻落实措施。与会党员围绕主题逐一发言，"
    "交流学习体会，查找思想和工作中的差距，提出改进意见。会议明确了下一阶段学习安排和责任分工，"
    "要求党员在本职岗位上发挥先锋模范作用，按时完成各项任务。"
)
TOPICS = ("学党章、强基础、作表率", "学习支部工作条例", "发展党员工作规程", "廉政警示教育", "践行五带头")


# --- the bench year ---------------------------------------------------------------------------


def bench_year() -> int:
    """The last complete year: every month of the table is judged."""
    return datetime.date.today().year - 1


# --- databases --------------------------------------------------------------------------------


def database_url(database: str, scale: float) -> str:
    if database == "postgres":
        return PG_URL
    return f"sqlite:///{sqlite_path(scale)}"


def sqlite_path(scale: float) -> Path:
    return BENCH_DIR / f"bench-{scale:g}.sqlite3"


def reset_database(database: str, scale: float) -> None:
    """A fresh, empty bench database (never any other)."""
    if database == "postgres":
        import psycopg

        assert PG_DATABASE == "zhibu_bench"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(scale)}{suffix}").unlink(missing_ok=True)


def drop_database(database: str, scale: float) -> None:
    if database == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path(scale)}{suffix}").unlink(missing_ok=True)


def setup_django(database: str, scale: float) -> None:
    os.environ["DATABASE_URL"] = database_url(database, scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- loading rows fast --------------------------------------------------------------------------


def load_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany on SQLite; rows hold plain values (dates as ISO text)."""
    from django.db import connection

    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def load_instances(objs: list) -> None:
    """Unsaved model instances, each field prepared by the model itself (encrypted fields,
    defaults, auto_now): what bulk_create would write, loaded the fast way."""
    from django.db import connection

    if not objs:
        return
    fields = objs[0]._meta.concrete_fields
    rows = [tuple(f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields) for o in objs]
    load_rows(objs[0]._meta.db_table, tuple(f.column for f in fields), rows)


# --- building the synthetic committee ------------------------------------------------------------


class _Meetings:
    """Rows of the meetings, their kinds and problems for one chunk of branches (explicit ids)."""

    def __init__(self, meeting_id, link_id, problem_id, kinds, staff_id, now, rng):
        self.meeting_id, self.link_id, self.problem_id = meeting_id, link_id, problem_id
        self.kinds, self.staff_id, self.now, self.rng = kinds, staff_id, now, rng
        self.meetings, self.links, self.problems = [], [], []

    def adder(self, founded: datetime.date):
        def add(unit, day, codes, *, host, recorder, lecturer=None, n_problems=0):
            if day >= founded:  # a branch set up during the year holds no meetings before
                self.add(unit, day, codes, host=host, recorder=recorder, lecturer=lecturer, n_problems=n_problems)

        return add

    def add(self, unit, day, codes, *, host, recorder, lecturer=None, n_problems=0):
        self.meeting_id += 1
        now = self.now
        entered = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(18, 0))
        self.meetings.append(
            (self.meeting_id, 1, now, now, unit, day.isoformat(), "14:30:00", "16:30:00", "党员活动室")
            + (self.rng.choice(TOPICS), "party_building", host, recorder, lecturer, "", MINUTES, "")
            + (entered.strftime("%Y-%m-%d %H:%M:%S"), self.staff_id, "form", False, "")
        )
        for code in codes:
            self.link_id += 1
            self.links.append((self.link_id, self.meeting_id, self.kinds[code]))
        for k in range(n_problems):
            self.problem_id += 1
            self.problems.append((self.problem_id, self.meeting_id, f"问题{k + 1}", "", k + 1))


def build(database: str, scale: float, branches: int, groups: int, seed: int) -> dict:
    """Create the bench database and fill it; returns what was built and how long it took."""
    reset_database(database, scale)
    setup_django(database, scale)
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=OFF")

    from django.core.management.color import no_style

    from accounts.models import Role, RoleGrant
    from committees.models import CommitteeTerm, TermMember
    from meetings.models import Meeting, MeetingKind, MeetingProblem
    from members.models import BranchMembership, GroupMembership, Member
    from organizations.models import Unit

    n_branches = max(1, round(branches * scale))
    year = bench_year()
    kinds = dict(MeetingKind.objects.values_list("code", "id"))
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    counts = dict.fromkeys(("units", "members", "meetings", "meeting_kinds", "problems", "seats"), 0)

    from django.contrib.auth import get_user_model

    User = get_user_model()
    with transaction.atomic():
        staff = User.objects.create_user("bench-staff", password="bench-only-not-secret", first_name="基准测试")
        load_started = time.perf_counter()
        load_rows(
            "organizations_unit",
            ("id", "version", "created_at", "updated_at", "name", "kind", "parent_id", "path", "founded_on")
            + ("term_years", "department", "sort_order"),
            [(1, 1, now, now, "基准测试机关党委", "committee", None, "000001/", "2015-01-01", 5, "", 0)],
        )
        unit_id, member_id, meeting_id, link_id, problem_id, seat_id = 1, 0, 0, 0, 0, 0
        for first in range(0, n_branches, CHUNK_BRANCHES):
            units, members, b_rows, g_rows, terms, seats = [], [], [], [], [], []
            batch = _Meetings(meeting_id, link_id, problem_id, kinds, staff.pk, now, rng)
            for b in range(first, min(first + CHUNK_BRANCHES, n_branches)):
                unit_id += 1
                branch_id = unit_id
                path = f"000001/{branch_id:06d}/"
                # One branch in a hundred was set up during the bench year (not applicable before).
                founded = (
                    datetime.date(year, rng.randint(2, 11), 1) if rng.random() < 0.01 else datetime.date(2016, 3, 1)
                )
                units.append(
                    (
                        branch_id,
                        1,
                        now,
                        now,
                        f"基准第{b + 1:05d}党支部",
                        "branch",
                        1,
                        path,
                        founded.isoformat(),
                        3,
                        "",
                        b,
                    )
                )
                group_ids = []
                for g in range(groups):
                    unit_id += 1
                    group_ids.append(unit_id)
                    units.append(
                        (unit_id, 1, now, now, f"基准第{b + 1:05d}党支部第{g + 1}党小组", "party_group", branch_id)
                        + (f"{path}{unit_id:06d}/", founded.isoformat(), 3, f"第{g + 1}科", g)
                    )
                branch_members = []
                for i in range(MEMBERS_PER_BRANCH):
                    member_id += 1
                    branch_members.append(member_id)
                    probationary = i >= 5 and rng.random() < 0.06
                    birth = datetime.date(1965 + rng.randint(0, 35), rng.randint(1, 12), rng.randint(1, 28))
                    joined = datetime.date(birth.year + 25, birth.month, birth.day)
                    full = None if probationary else datetime.date(joined.year + 1, joined.month, joined.day)
                    if probationary:
                        joined = datetime.date(year, 1, 15)
                    member = Member(
                        id=member_id,
                        name=f"党员{member_id:06d}",
                        name_initials="dy",
                        gender="male" if i % 3 else "female",
                        birth_date=birth,
                        id_number=f"{100000 + member_id // 1000:06d}{birth:%Y%m%d}{member_id % 1000:03d}X",
                        education="bachelor",
                        category="probationary" if probationary else "full",
                        joined_on=joined,
                        full_member_on=full,
                        phone=f"139{member_id:08d}",
                        department=f"第{i % groups + 1}科",
                        post="科员",
                        is_leading_cadre=i < 2,
                    )
                    if hasattr(member, "sync_lookup_hashes"):  # keyed hashes of encrypted fields
                        member.sync_lookup_hashes()
                    members.append(member)
                    start = max(founded, joined).isoformat()
                    b_rows.append((member_id, branch_id, start, now))
                    if group_ids:
                        g_rows.append((member_id, group_ids[i % len(group_ids)], start, now))
                terms.append((branch_id, 1, now, now, branch_id, 1, f"{year - 2}-05-10", 3, "current", "", ""))
                for s, role in enumerate(SEATS):
                    seat_id += 1
                    seats.append((seat_id, branch_id, branch_members[s], role, s))
                secretary, deputy, organizer = branch_members[0], branch_members[1], branch_members[2]
                add = batch.adder(founded)

                for month in range(1, 13):
                    if rng.random() < 0.93:
                        add(
                            branch_id,
                            datetime.date(year, month, rng.randint(2, 8)),
                            ("committee_meeting",),
                            host=secretary,
                            recorder=organizer,
                        )
                    if rng.random() < 0.95:
                        codes = ["theme_day"]
                        lecturer = None
                        if month in (2, 5, 8, 11):
                            codes += ["general_meeting", "party_lesson"]
                            lecturer = secretary if month == 2 and rng.random() < 0.85 else deputy
                        if month in (3, 6, 9, 12):
                            codes.append("reading_exchange")
                        day = datetime.date(year, month, rng.randint(10, 20))
                        add(branch_id, day, codes, host=secretary, recorder=organizer, lecturer=lecturer)
                    for g, group_id in enumerate(group_ids):
                        if rng.random() < 0.9:
                            leader = branch_members[g]
                            add(
                                group_id,
                                datetime.date(year, month, rng.randint(15, 28)),
                                ("group_meeting",),
                                host=leader,
                                recorder=branch_members[groups + g] if groups + g < MEMBERS_PER_BRANCH else leader,
                            )
                if rng.random() < 0.9:
                    day = datetime.date(year, 12, rng.randint(10, 28))
                    # Now and then three problems: then the 组织生活会 does not count (rule: 1–2).
                    n = rng.choice((1, 2, 2, 1, 3)) if rng.random() < 0.1 else rng.choice((1, 2))
                    add(branch_id, day, ("life_meeting",), host=secretary, recorder=organizer, n_problems=n)

            load_rows(
                "organizations_unit",
                ("id", "version", "created_at", "updated_at", "name", "kind", "parent_id", "path", "founded_on")
                + ("term_years", "department", "sort_order"),
                units,
            )
            load_instances(members)
            load_rows("members_branchmembership", ("member_id", "unit_id", "start_on", "created_at"), b_rows)
            load_rows("members_groupmembership", ("member_id", "unit_id", "start_on", "created_at"), g_rows)
            load_rows(
                "committees_committeeterm",
                ("id", "version", "created_at", "updated_at", "unit_id", "number", "elected_on", "term_years")
                + ("status", "return_reason", "note"),
                terms,
            )
            load_rows("committees_termmember", ("id", "term_id", "member_id", "role", "sort_order"), seats)
            load_rows(
                "meetings_meeting",
                ("id", "version", "created_at", "updated_at", "unit_id", "date", "start_time", "end_time", "place")
                + ("topic", "theme_category", "host_id", "recorder_id", "lecturer_id", "invited", "minutes")
                + ("resolutions", "entered_at", "entered_by_id", "source", "late_entry", "import_key"),
                batch.meetings,
            )
            load_rows("meetings_meeting_kinds", ("id", "meeting_id", "meetingkind_id"), batch.links)
            load_rows("meetings_meetingproblem", ("id", "meeting_id", "text", "measure", "sort_order"), batch.problems)
            meeting_id, link_id, problem_id = batch.meeting_id, batch.link_id, batch.problem_id
            counts["units"] += len(units)
            counts["members"] += len(members)
            counts["meetings"] += len(batch.meetings)
            counts["meeting_kinds"] += len(batch.links)
            counts["problems"] += len(batch.problems)
            counts["seats"] += len(seats)
        counts["units"] += 1
        loaded = time.perf_counter() - load_started
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(
                no_style(),
                [Unit, Member, BranchMembership, GroupMembership, CommitteeTerm, TermMember]
                + [Meeting, Meeting.kinds.through, MeetingProblem],
            ):
                c.execute(sql)
        RoleGrant.objects.create(user=staff, unit_id=1, role=Role.COMMITTEE_STAFF)

    # The rows were loaded bare (COPY), so the kept monthly counts are built as
    # `manage.py recount_meetings` does after a restore.
    from meetings import counts as meeting_counts

    recount_started = time.perf_counter()
    count_rows = meeting_counts.rebuild()
    recounted = time.perf_counter() - recount_started

    analyze_started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("ANALYZE")
    analyzed = time.perf_counter() - analyze_started
    return {
        "branches": n_branches,
        "groups_per_branch": groups,
        "year": year,
        "counts": counts,
        "migrate_s": round(migrated, 2),
        "load_s": round(loaded, 2),
        "analyze_s": round(analyzed, 2),
        "recount_s": round(recounted, 2),
        "count_rows": count_rows,
    }


# --- measuring --------------------------------------------------------------------------------


def _timed(fn, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        result = None  # let the previous result go first: peak memory is that of one run
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def _table_halves(year: int, as_of: datetime.date, repeat: int) -> dict:
    """The table's two halves: fetching the facts (five queries, the meetings counted by the
    database) and the pure evaluation of those counts."""
    from compliance import engine, services

    fetch_times, facts = _timed(lambda: services.count_facts(year, as_of=as_of), repeat)
    units, rules, counted, secretaries, held = facts
    eval_times, _cells = _timed(
        lambda: engine.evaluate_counts(units, rules, counted, secretaries, held, year=year, as_of=as_of), repeat
    )
    return {
        "fetch_s": fetch_times,
        "tally_groups": len(counted.monthly),
        "tally_details": sum(len(v) for v in counted.details.values()),
        "evaluate_s": eval_times,
    }


def _recorder(year: int):
    """``record(day)``: a 主题党日 of the first branch founded before ``year`` (20 members, two
    absent), through ``meetings.services.record_meeting``."""
    from django.contrib.auth import get_user_model

    from meetings.models import MeetingKind
    from meetings.services import record_meeting
    from members.models import Member
    from organizations.models import Unit

    as_of = datetime.date(year, 12, 31)
    branch = Unit.objects.filter(kind="branch", founded_on__lt=datetime.date(year, 1, 1)).order_by("id").first()
    members = list(Member.objects.in_unit_on(branch, as_of).order_by("id"))
    kinds = list(MeetingKind.objects.filter(code="theme_day"))
    staff = get_user_model().objects.get(username="bench-staff")

    def record(day: datetime.date):
        attendance = [(m, "present", "") for m in members[:-2]] + [(m, "absent", "sick") for m in members[-2:]]
        data = {
            "date": day,
            "start_time": datetime.time(14, 30),
            "end_time": datetime.time(16, 30),
            "place": "党员活动室",
            "topic": "基准测试：学党章、强基础、作表率",
            "theme_category": "party_building",
            "host": members[0],
            "recorder": members[2],
            "lecturer": None,
            "minutes": MINUTES,
            "resolutions": "",
            "invited": "",
        }
        return record_meeting(branch, data, actor=staff, kinds=kinds, attendance=attendance)

    record.members = len(members)
    return record


def _dashboard(year: int, repeat: int) -> dict:
    """The committee dashboard through the test client, logged in as committee staff:

    * cold: every branch's kept standing dropped first, so the request judges all of them (what
      the first request of a month does unless ``run_periodic`` has run);
    * kept: ``repeat`` requests that find every standing current;
    * after a change: ``repeat`` times, a meeting is recorded in one branch and the dashboard is
      requested right after (the request judges that branch again)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from compliance.models import Standing

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-staff"))
    url = reverse("compliance:compliance.dashboard") + f"?year={year}"
    Standing.objects.all().delete()
    cold, _response = _timed(lambda: client.get(url), 1)
    times, response = _timed(lambda: client.get(url), repeat)
    record = _recorder(year)
    after_change = []
    for i in range(repeat):
        record(datetime.date(year, 12, 31) - datetime.timedelta(days=40 + i))
        t, _response = _timed(lambda: client.get(url), 1)
        after_change.extend(t)
    return {
        "dashboard_cold_s": cold,
        "dashboard_s": times,
        "dashboard_after_change_s": after_change,
        "dashboard_status": response.status_code,
        "dashboard_bytes": len(response.content),
    }


def measure(database: str, scale: float, repeat: int, records: int) -> dict:
    setup_django(database, scale)
    from django.db import connection

    from compliance import services

    year = bench_year()
    # The year is over: judged as of the next 1 January (every period closed), as the dashboard
    # shows a past year (compliance.periods.default_as_of).
    as_of = datetime.date(year + 1, 1, 1)
    out: dict = {"database": connection.vendor, "year": year}

    # The whole-year table, end to end, then its two halves.
    times, cells = _timed(lambda: services.compliance_table(year, as_of=as_of), repeat)
    out["table_s"] = times
    out["cells"] = len(cells)
    statuses = {}
    for c in cells:
        statuses[c.status] = statuses.get(c.status, 0) + 1
    out["statuses"] = statuses
    del cells
    out.update(_table_halves(year, as_of, repeat))

    # The committee dashboard, as committee staff sees it.
    out.update(_dashboard(year, repeat))

    # Recording one meeting on a branch of 20 members.
    record = _recorder(year)
    record_times = []
    for i in range(records):
        started = time.perf_counter()
        record(datetime.date(year, 12, 31) - datetime.timedelta(days=3 + i))
        record_times.append(time.perf_counter() - started)
    out["record_ms"] = [round(t * 1000, 1) for t in record_times]
    out["record_members"] = record.members

    # Peak resident memory of this process so far (the table, the dashboard and the records).
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    out["duckdb"] = duckdb_ratio(year)
    return out


def duckdb_ratio(year: int) -> dict:
    """DuckDB counting the year's meeting-kind rows (unit, kind, month) held in memory."""
    try:
        import duckdb
    except ImportError:
        return {"available": False, "note": "duckdb is not installed (pip install -r requirements-bench.txt)"}
    from meetings.models import Meeting

    through = Meeting.kinds.through
    rows = (
        through.objects.filter(meeting__date__year=year, meeting__archived_at__isnull=True)
        .order_by()
        .values_list("meeting_id", "meeting__unit_id", "meeting__date", "meetingkind__code")
    )
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        path = f.name
        f.write("meeting_id,unit_id,date,kind\n")
        for mid, unit_id, day, code in rows.iterator(chunk_size=20000):
            f.write(f"{mid},{unit_id},{day.isoformat()},{code}\n")
    try:
        con = duckdb.connect()
        started = time.perf_counter()
        con.execute(f"CREATE TABLE rows AS SELECT * FROM read_csv('{path}', header=true)")
        load_s = time.perf_counter() - started
        n = con.execute("SELECT count(*) FROM rows").fetchone()[0]
        times = []
        for i in range(5):
            started = time.perf_counter()
            con.execute(
                f"CREATE TABLE counts{i} AS SELECT unit_id, kind, month(date) AS month, count(*) AS held "
                "FROM rows GROUP BY ALL"
            )
            times.append(time.perf_counter() - started)
        groups = con.execute("SELECT count(*) FROM counts0").fetchone()[0]
        con.close()
    finally:
        os.unlink(path)
    return {
        "available": True,
        "version": duckdb.__version__,
        "rows": n,
        "groups": groups,
        "load_s": round(load_s, 3),
        "count_s": times,
    }


# --- the driver -------------------------------------------------------------------------------


def child(args) -> None:
    if args.phase == "build":
        result = build(args.database, args.scale, args.branches, args.groups, args.seed)
    else:
        result = measure(args.database, args.scale, args.repeat, args.records)
    print(json.dumps(result, ensure_ascii=False))


def run_child(phase: str, database: str, scale: float, args) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        phase,
        "--database",
        database,
        "--scale",
        repr(scale),
        "--branches",
        str(args.branches),
        "--groups",
        str(args.groups),
        "--repeat",
        str(args.repeat),
        "--records",
        str(args.records),
        "--seed",
        str(args.seed),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{phase} failed on {database} at scale {scale:g}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median(values) -> float:
    return statistics.median(values)


def report(database: str, scale: float, built: dict, measured: dict) -> list[str]:
    c = built["counts"]
    lines = [
        f"== {database}, scale {scale:g}: {built['branches']} branches × {built['groups_per_branch']} groups, "
        f"{c['members']:,} members, {c['meetings']:,} meetings ({c['meeting_kinds']:,} meeting-kind rows), "
        f"year {built['year']}",
        f"   build: migrate {built['migrate_s']} s, load {built['load_s']} s, "
        f"recount_meetings {built.get('recount_s')} s ({built.get('count_rows', 0):,} rows), analyze {built['analyze_s']} s",
        f"   whole-year table: {median(measured['table_s']):.2f} s median of {len(measured['table_s'])} "
        f"({', '.join(f'{t:.2f}' for t in measured['table_s'])}); {measured['cells']:,} cells {measured['statuses']}",
        f"     of which fetch (5 queries) {median(measured['fetch_s']):.2f} s, "
        f"evaluate (pure) {median(measured['evaluate_s']):.2f} s",
        f"   committee dashboard: {median(measured['dashboard_s']):.2f} s median with every branch kept, "
        f"{median(measured.get('dashboard_after_change_s') or [0]):.2f} s right after a meeting is recorded "
        f"(max {max(measured.get('dashboard_after_change_s') or [0]):.2f}), "
        f"{measured['dashboard_cold_s'][0]:.2f} s judging every branch (first request of a month) "
        f"(HTTP {measured['dashboard_status']}, {measured['dashboard_bytes']:,} bytes)",
        f"   record one meeting ({measured['record_members']} members): {median(measured['record_ms']):.1f} ms "
        f"median of {len(measured['record_ms'])}, max {max(measured['record_ms']):.1f} ms",
        f"   peak memory (max RSS of the measuring process): {measured['peak_rss_mib']:.0f} MiB",
    ]
    duck = measured["duckdb"]
    if duck.get("available"):
        ours = median(measured["fetch_s"]) + median(measured["evaluate_s"])
        theirs = median(duck["count_s"])
        lines.append(
            f"   counting vs DuckDB {duck['version']}: ours (fetch + evaluate) {ours:.2f} s, DuckDB GROUP BY over "
            f"{duck['rows']:,} in-memory rows {theirs * 1000:.1f} ms (load {duck['load_s']:.2f} s) → ratio "
            f"{ours / theirs:,.0f}×; evaluate alone {median(measured['evaluate_s']) / theirs:,.0f}×"
        )
    else:
        lines.append(f"   DuckDB: not measured ({duck.get('note')})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=20000)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of --branches to build (default 1)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the run at 10 × scale")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the table and the dashboard (median)")
    parser.add_argument("--records", type=int, default=20, help="meetings recorded (median)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument("--child", choices=("build", "measure"), dest="phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args)
        return

    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    scales = [args.scale] if args.no_scaling else [args.scale, args.scale * 10]
    results = []
    print(
        f"Zhibu compliance benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for database in databases:
        runs = []
        for scale in scales:
            started = time.perf_counter()
            built = run_child("build", database, scale, args)
            measured = run_child("measure", database, scale, args)
            if not args.keep:
                drop_database(database, scale)
            for line in report(database, scale, built, measured):
                print(line, flush=True)
            print(
                f"   wall time {time.perf_counter() - started:.0f} s, load average now {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            runs.append({"scale": scale, "build": built, "measure": measured})
        if len(runs) == 2:
            small, large = runs
            for key in ("table_s", "dashboard_s"):
                ratio = median(large["measure"][key]) / median(small["measure"][key])
                verdict = "met" if ratio <= TARGETS["scaling"] else "NOT met"
                print(f"== {database}: {key} at 10× the data costs {ratio:.1f}× the time (target ≤ 12×: {verdict})")
        results.append({"database": database, "runs": runs})
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"results-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results}, ensure_ascii=False, indent=1))
    print(f"results: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
