"""A throwaway PostgreSQL server from Debian's packages (initdb + pg_ctl) on a free port."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bot.gateway.rasa_standin import free_port

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    return next((path for path in PG_BIN_CANDIDATES if (path / "initdb").exists()), None)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield an SQLAlchemy URL of a fresh database; stop the server and delete its files after."""
    binaries = postgres_bin()
    if binaries is None:
        raise FileNotFoundError("PostgreSQL binaries not found: run scripts/system-packages.sh")
    folder = Path(tempfile.mkdtemp(prefix="kefu-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use Debian's postgres account
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()
    try:
        subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(data), "-U", "kefu", "--auth=trust",
                        "-E", "UTF8", "--locale=C"], check=True, capture_output=True)
        subprocess.run([*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                        "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://kefu@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
