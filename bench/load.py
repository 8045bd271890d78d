"""Load test (issue 7, part 6): 50 concurrent users on the demo data, PostgreSQL behind gunicorn.

Not part of ``make test``. Run from the repository root:

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/load.py                # 50 users, 2 minutes
    .venv/bin/python bench/load.py --users 10 --seconds 20   # a quick look

What it does, in order:

1. creates a separate PostgreSQL database ``zhibu_load`` on 127.0.0.1 (user postgres, trust
   authentication, as in CI), migrates it and loads the demo (``seed_demo``); any earlier
   ``zhibu_load`` is dropped first;
2. starts gunicorn on a free port of 127.0.0.1 (loopback only) serving ``zhibu.wsgi`` against it;
3. runs locust in this process: ``--users`` virtual users (default 50) for ``--seconds`` (default
   120), spawned within ten seconds. Each logs in through the login form with a demo login (the
   correct password, so django-axes never locks anyone). The login phase (50 password hashes at
   once) is reported apart; the figures are then reset and the measured phase runs its time. Two in five are branch secretaries
   (``secretary1`` … one per demo branch, shared round-robin) who browse and record meetings
   through the real record form, each with a unique topic; the others (committee staff, inspector,
   committee member, group leader, member) browse the dashboards, lists and detail pages;
4. stops, then checks: every request answered as expected (no 5xx, no refusal, no form error),
   and every meeting whose form the server accepted is in the database exactly once, found by its
   topic (no lost and no doubled writes). Prints p50/p95/max latency per page and the counts;
5. stops gunicorn and drops ``zhibu_load`` (``--keep`` keeps it). Exit status 1 on any error or
   lost write.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_DATABASE = "zhibu_load"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
RUN = uuid.uuid4().hex[:8]
TOPIC_PREFIX = f"压测{RUN}-"

# Filled in by prepare() before the users start.
CONFIG = {"secretaries": [], "browsers": [], "password": "", "theme_day": None}
# Topics of the meetings the server accepted (302 to the new record), and of every attempt.
RECORDED: list[str] = []
ATTEMPTED: list[str] = []
PROBLEMS: list[str] = []
LOGGED_IN: list[str] = []


# -- preparing the database and the server ------------------------------------------------------


def sh(*cmd, env=None, check=True):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def psql(sql: str) -> str:
    return sh("psql", PG_ADMIN, "-v", "ON_ERROR_STOP=1", "-tAc", sql).stdout.strip()


def app_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=PG_URL,
        DJANGO_SETTINGS_MODULE="zhibu.settings",
        ZHIBU_DEBUG="0",
        ZHIBU_ALLOWED_HOSTS="127.0.0.1",
        ZHIBU_DB_CONN_MAX_AGE="60",
    )
    return env


def create_database():
    psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {PG_DATABASE}")
    env = app_env()
    sh(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    sh(PYTHON, "manage.py", "seed_demo", env=env)


def drop_database():
    psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def django_setup():
    os.environ.update({k: v for k, v in app_env().items() if k.startswith(("DATABASE_URL", "DJANGO", "ZHIBU"))})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare():
    """The demo logins and what the record form needs, read from the load database."""
    from accounts.models import RoleGrant
    from demo.steps import organisation as demo
    from meetings.models import MeetingKind

    secretaries = []
    for grant in (
        RoleGrant.objects.filter(role="secretary", user__username__startswith="secretary", user__is_active=True)
        .select_related("user", "unit")
        .order_by("user__username")
    ):
        secretaries.append((grant.user.username, grant.unit_id))
    browsers = ["staff", "inspector", "committee1", "leader1", "member1"]
    CONFIG.update(
        secretaries=secretaries,
        browsers=browsers,
        password=demo.DEMO_PASSWORD,
        theme_day=MeetingKind.objects.get(code="theme_day").pk,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    log = open(ROOT / "var" / "load-gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [
            GUNICORN,
            "zhibu.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            # Longer than the users' think time: with gunicorn's default of 2 s a client may reuse a
            # kept-alive connection in the instant the server closes it (a reset, not a server error).
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env=app_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start; see var/load-gunicorn.log")


# -- the form, as a browser sees it -------------------------------------------------------------


class Form:
    def __init__(self):
        self.values: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.radios: dict[str, list[str]] = {}


class PostForms(HTMLParser):
    """Every POST form of a page: inputs, selects (with their options), radios, textareas."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.form = None
        self._select = self._textarea = None

    def with_field(self, name: str) -> Form:
        return next(f for f in self.forms if name in f.values or name in f.options)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.form = Form()
            self.forms.append(self.form)
        form, name = self.form, a.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind not in ("checkbox", "submit"):
                form.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            form.options[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            form.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data):
        if self._textarea and self.form is not None:
            self.form.values[self._textarea] += data


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


# -- the virtual users --------------------------------------------------------------------------

_counter = itertools.count(1)
_secretary_turn = itertools.count()
_browser_turn = itertools.count()


class ZhibuUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def login(self, username):
        self.username = username
        page = self.client.get("/accounts/login/", name="登录页")
        response = self.client.post(
            "/accounts/login/",
            {"username": username, "password": CONFIG["password"], "csrfmiddlewaretoken": csrf_of(page.text)},
            name="登录",
            allow_redirects=False,
            catch_response=True,
        )
        with response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"login of {username}: {response.status_code} {response.headers.get('Location')}")
                PROBLEMS.append(f"login {username}: {response.status_code}")
        LOGGED_IN.append(username)

    def page(self, url, name):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{url}: {response.status_code}")
                PROBLEMS.append(f"{name} {url}: {response.status_code} {response.error or ''}")
            return response

    def some_detail(self, list_url, list_name, detail_name):
        """A list page, then the detail page of one of the records it links to."""
        listing = self.page(list_url, list_name)
        ids = re.findall(rf'href="{list_url}(\d+)/"', listing.text or "")
        if ids:
            self.page(f"{list_url}{random.choice(ids)}/", detail_name)

    @task(3)
    def dashboard(self):
        self.page("/", "首页")

    @task(2)
    def meetings(self):
        self.some_detail("/meetings/", "会议记录列表", "会议记录详情")

    @task(2)
    def members(self):
        self.some_detail("/members/", "党员名册", "党员详情")

    @task(1)
    def study(self):
        self.page("/study/", "我的学习")

    @task(1)
    def rectification(self):
        self.page("/rectification/", "整改台账")

    @task(1)
    def terms(self):
        self.page("/committees/terms/", "支委会届次")


class Secretary(ZhibuUser):
    """A branch secretary: browses and records meetings through the record form."""

    weight = 2

    def on_start(self):
        username, unit_id = CONFIG["secretaries"][next(_secretary_turn) % len(CONFIG["secretaries"])]
        self.unit_id = unit_id
        self.login(username)

    @task(3)
    def record_meeting(self):
        url = f"/meetings/units/{self.unit_id}/new/"
        form_page = self.page(url, "录入会议（表单）")
        if form_page.status_code != 200:
            return
        parser = PostForms()
        parser.feed(form_page.text)
        fields = parser.with_field("topic")
        people = [v for v in fields.options.get("host", []) if v]
        topic = f"{TOPIC_PREFIX}{self.username}-{next(_counter)}"
        data = dict(fields.values)
        data.update(
            kinds=str(CONFIG["theme_day"]),
            date=time.strftime("%Y-%m-%d"),
            start_time="14:30",
            end_time="16:00",
            place="三楼会议室",
            topic=topic,
            theme_category="party_building",
            host=people[0] if people else "",
            recorder=people[1] if len(people) > 1 else (people[0] if people else ""),
            lecturer="",
            minutes="压测录入：学习党章，交流体会。",
        )
        for name in fields.radios:
            if name.startswith("att_"):
                data[name] = "present"
        ATTEMPTED.append(topic)
        with self.client.post(url, data, name="录入会议（提交）", catch_response=True, allow_redirects=False) as r:
            if r.status_code == 302 and re.search(r"/meetings/\d+/$", r.headers.get("Location", "")):
                RECORDED.append(topic)
            else:
                errors = re.findall(r'class="errorlist[^"]*"><li>([^<]+)', r.text or "")
                r.failure(f"record refused: {r.status_code} {errors[:2]}")
                PROBLEMS.append(f"record {topic}: {r.status_code} {errors[:2]}")


class Browser(ZhibuUser):
    """Committee staff, inspector, committee member, group leader or member: reads only."""

    weight = 3

    def on_start(self):
        self.login(CONFIG["browsers"][next(_browser_turn) % len(CONFIG["browsers"])])

    @task(2)
    def compliance(self):
        if self.username in ("staff", "inspector"):
            self.page("/compliance/dashboard/", "达标看板")
        else:
            self.page("/notifications/", "通知")

    @task(1)
    def tree(self):
        self.page("/org/units/", "组织树")


# -- running and checking -----------------------------------------------------------------------


def percentile_ms(entry, p):
    return entry.get_response_time_percentile(p) or 0


def login_figures(env) -> list[str]:
    lines = []
    for (name, _method), entry in sorted(env.stats.entries.items()):
        if name.startswith("登录"):
            lines.append(
                f"{name:<16}{entry.num_requests:>9}{entry.num_failures:>8}"
                f"{percentile_ms(entry, 0.5):>9.0f}{percentile_ms(entry, 0.95):>9.0f}{entry.max_response_time:>9.0f}"
            )
    return lines


def report(env, seconds, users, logins) -> int:
    from meetings.models import Meeting

    stats = env.stats
    print(f"\nlogin phase ({users} users logging in within the spawn time), run {RUN}")
    print(f"{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    print("\n".join(logins["lines"]))
    print(f"all {users} logged in after {logins['seconds']:.0f} s")
    print(f"\nmeasured phase: {users} users, {seconds} s")
    print(f"{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for (name, _method), entry in sorted(stats.entries.items()):
        print(
            f"{name:<16}{entry.num_requests:>9}{entry.num_failures:>8}"
            f"{percentile_ms(entry, 0.5):>9.0f}{percentile_ms(entry, 0.95):>9.0f}{entry.max_response_time:>9.0f}"
        )
    total = stats.total
    print(
        f"{'all':<16}{total.num_requests:>9}{total.num_failures:>8}"
        f"{percentile_ms(total, 0.5):>9.0f}{percentile_ms(total, 0.95):>9.0f}{total.max_response_time:>9.0f}"
    )
    print(f"throughput {total.num_requests / seconds:.1f} requests/s")

    stored = list(Meeting.objects.filter(topic__startswith=TOPIC_PREFIX).values_list("topic", flat=True))
    lost = sorted(set(RECORDED) - set(stored))
    doubled = sorted({t for t in stored if stored.count(t) > 1})
    unexpected = sorted(set(stored) - set(RECORDED))
    print(
        f"meetings: {len(ATTEMPTED)} submitted, {len(RECORDED)} accepted, {len(stored)} in the database; "
        f"lost {len(lost)}, doubled {len(doubled)}, stored but not confirmed {len(unexpected)}"
    )
    errors = total.num_failures + len(env.runner.exceptions) + logins["failures"]
    print(f"errors: {errors}")
    for line in PROBLEMS[:20]:
        print("  ", line)
    for exc in list(env.runner.exceptions.values())[:5]:
        print("   exception:", exc["msg"])
    return 0 if not errors and not lost and not doubled and RECORDED else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--spawn-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--keep", action="store_true", help="keep the zhibu_load database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use an existing zhibu_load (from --keep)")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 600:
        raise SystemExit("--seconds must be between 1 and 600")

    started = time.time()
    if not args.reuse:
        print(f"creating {PG_DATABASE}, migrating, loading the demo…", flush=True)
        create_database()
        print(f"  ready in {time.time() - started:.0f} s", flush=True)
    django_setup()
    prepare()
    port = free_port()
    server = start_server(port, args.workers, args.threads)
    print(
        f"gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads); "
        f"{len(CONFIG['secretaries'])} secretary logins; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    status = 1
    try:
        env = Environment(user_classes=[Secretary, Browser], events=events, host=f"http://127.0.0.1:{port}")
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=args.users / args.spawn_seconds)
        # Login phase: every user logs in once (password hashing is deliberately slow); it is
        # reported apart, then the figures are reset and the measured phase runs for --seconds.
        login_started = time.time()
        while len(LOGGED_IN) < args.users and time.time() - login_started < 300:
            gevent.sleep(0.5)
        logins = {
            "lines": login_figures(env),
            "seconds": time.time() - login_started,
            "failures": sum(e.num_failures for (n, _m), e in env.stats.entries.items() if n.startswith("登录")),
        }
        print(f"{len(LOGGED_IN)} users logged in after {logins['seconds']:.0f} s; measuring", flush=True)
        env.stats.reset_all()
        gevent.spawn_later(args.seconds, runner.quit)
        runner.greenlet.join()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        status = report(env, args.seconds, args.users, logins)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database()
    sys.exit(status)


if __name__ == "__main__":
    main()
