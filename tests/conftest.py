from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """The test client and live server speak plain HTTP; production redirects to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False
