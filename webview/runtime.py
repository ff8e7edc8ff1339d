"""Runtime state under the data dir that settings need before Django is configured."""

import os
import secrets
from pathlib import Path

EMBEDDED_REDIS_SOCKET = "redis.sock"


def load_or_create_secret_key(path: Path) -> str:
    """Return the secret key kept in ``path``, generating it on first start (mode 0600)."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(64)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        # Two processes starting together must end up with the same key: the first link wins.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def embedded_redis_url(data_dir: Path) -> str:
    return f"unix://{data_dir / EMBEDDED_REDIS_SOCKET}"
