"""compose.yaml, the production deployment in one command (docker is not available here:
the file is parsed and checked for what the README promises)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pairing.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("SECRET_KEY", "HOUSEHOLD_DATA_KEY", "POSTGRES_PASSWORD", "PUBLIC_URL")
APP = ("web", "worker", "housekeeping", "migrate")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_every_part_of_production_is_a_service():
    services = _compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "housekeeping"}
    web = " ".join(services["web"]["command"])
    assert web.startswith("gunicorn -c gunicorn.conf.py -k sync")  # threads are refused
    assert "rq worker" in " ".join(services["worker"]["command"])
    assert "housekeeping" in " ".join(services["housekeeping"]["command"])
    for name in ("web", "worker", "housekeeping"):
        assert services[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"


def test_app_services_share_uploads_database_and_redis():
    services = _compose()["services"]
    for name in APP:
        env = services[name]["environment"]
        assert "uploads:/data/uploads" in services[name]["volumes"]
        assert env["UPLOAD_DIR"] == "/data/uploads" and env["PAIRING_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgresql://") and "@db:" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert set(env) - {"POSTGRES_PASSWORD"} <= set(_known_variables())


def test_secrets_are_required_never_defaulted():
    text = (ROOT / "compose.yaml").read_text()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"(:[?-][^}]*)?\}", text)
        assert uses and all(u.startswith(":?") for u in uses), (name, uses)


def _known_variables() -> list[str]:
    """The environment variables pairing/config.py reads (README lists them)."""
    source = (ROOT / "pairing" / "config.py").read_text()
    found = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z_]+)"', source))
    found |= set(re.findall(r'"([A-Z][A-Z_]+)"', source)) & set(load_config({}) | {
        "PAIRING_ENV": 1, "DATABASE_URL": 1, "MAX_UPLOAD_BYTES": 1})
    return sorted(found)
