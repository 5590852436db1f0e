"""The project's own files: settings, seeds and deployment descriptors."""

import os
import re
import subprocess
import sys
import tomllib

import yaml

from tests.conftest import ROOT, SEEDS


def test_seed_manifest_describes_every_seed_by_its_own_text():
    manifest = tomllib.loads((SEEDS / "manifest.toml").read_text())["article"]
    files = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert sorted(entry["file"] for entry in manifest) == files
    for entry in manifest:
        text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
        assert entry["title"] == text.splitlines()[0].strip()
        if entry["outlet"] == "RT":
            assert "Also on rt.com" in text
        if entry["translated_from"]:
            assert re.search(r"^Original:\s", text, re.MULTILINE)
        if entry["published"]:
            assert entry["published"][:4] in text


def test_seed_articles_are_the_shared_originals_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.exists():
        import pytest

        pytest.skip("../shared/seeds is not beside this checkout")
    for original in shared.glob("*.txt"):
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_docker_compose_is_valid_yaml_with_a_healthy_database():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert db["image"] == "postgres:17"
    assert "healthcheck" in db
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(str(v).startswith("postgres") for v in _env(web).values())
    assert set(compose["volumes"]) >= {v.split(":")[0] for v in db["volumes"]}


def _env(service):
    env = service["environment"]
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return env


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x7!" * 20 + "production-only-test-key",
        "DJANGO_ALLOWED_HOSTS": "quotes.example.org",
        "DATABASE_URL": "postgres://quotes:secret@db.invalid:5432/quotes",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
