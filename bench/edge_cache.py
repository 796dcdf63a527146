"""Run the edge cache (Varnish with deploy/varnish/portal.vcl) locally, in front of a server.

Used by the storm-day benchmark (bench/storm.py) and by the edge-cache test
(tests/platform/test_edge_cache.py); by hand:

    python bench/edge_cache.py --listen 127.0.0.1:6081 --backend 127.0.0.1:8000

then point ``EDGE_CACHE_URL=http://127.0.0.1:6081`` at it in the web processes' settings
(they send it their purges).  Needs Debian's ``varnish`` package (``varnishd``); the
working directory and the generated VCL live in a temporary directory removed at exit.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

VCL = Path(__file__).resolve().parents[1] / "deploy" / "varnish" / "portal.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def render_vcl(backend_host: str, backend_port: int) -> str:
    """The repository's VCL with the backend pointed at ``backend_host:backend_port``."""
    text = VCL.read_text()
    # Every web node of the compose file becomes the one local server.
    for node in ("web", "web-2"):
        text = text.replace(f'.host = "{node}";', f'.host = "{backend_host}";')
    return text.replace('.port = "8000";', f'.port = "{backend_port}";')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
            raise RuntimeError(f"varnishd exited with {process.returncode}: {error}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)  # polling a socket until it accepts (startup), not a timed wait
    raise RuntimeError("varnishd did not start listening")


@contextlib.contextmanager
def edge_cache(
    backend_host: str,
    backend_port: int,
    *,
    port: int | None = None,
    memory: str = "256m",
    threads: int = 200,
) -> Iterator[int]:
    """Varnish in front of ``backend_host:backend_port`` while the block runs; yields its port."""
    if not Path(VARNISHD).exists():
        raise RuntimeError("varnishd not found: apt-get install varnish")
    port = port or free_port()
    work = Path(tempfile.mkdtemp(prefix="edge-cache-"))
    work.chmod(0o755)  # varnishd compiles the VCL as its own unprivileged user
    vcl = work / "portal.vcl"
    vcl.write_text(render_vcl(backend_host, backend_port))
    vcl.chmod(0o644)
    process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments built here
        [
            VARNISHD,
            "-F",
            "-n",
            str(work / "instance"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            f"malloc,{memory}",
            "-p",
            f"thread_pool_max={threads}",
            "-p",
            "thread_pools=1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_listening(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:6081", help="address:port to listen on")
    parser.add_argument("--backend", default="127.0.0.1:8000", help="the web server, host:port")
    args = parser.parse_args()
    host, _, backend_port = args.backend.rpartition(":")
    port = int(args.listen.rpartition(":")[2])
    # `kill PID` stops varnishd too (its default action would leave varnishd running).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with edge_cache(host, int(backend_port), port=port):
        print(f"edge cache on 127.0.0.1:{port} → {args.backend} (Ctrl-C stops it)")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
