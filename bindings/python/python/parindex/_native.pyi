"""Type hints of the native module (re-exported by ``parindex``)."""

import os
from typing import Any, Literal, Mapping, Optional, TypedDict, Union

__version__: str

RoundInput = Union[str, bytes, "os.PathLike[str]"]
"""A round folder or round bundle file path, or a round bundle's JSON text (str starting with ``{``, or bytes)."""

class ErrorObject(TypedDict, total=False):
    """SPEC §10's error object; ``file`` and ``criterion`` appear when known."""

    code: str
    file: str
    path: str
    criterion: str
    message: str

class InvalidInput(ValueError):
    """Invalid input, or an unusable call (closed round, bad text, unreadable path)."""

    status: Literal["invalid", "usage", "bad_argument", "bad_handle", "internal"]
    errors: list[ErrorObject]

def score(round: RoundInput) -> str:
    """The results document's JSON text, byte for byte what ``parindex score`` prints."""

def validate(path_or_bundle: RoundInput, round_dir: Optional[Union[str, "os.PathLike[str]"]] = None) -> dict[str, Any]:
    """Checks a round, or one criteria-set, round or assessment file: ``{"kind": ..., ...}``."""

def explain(round: RoundInput, unit: str, criterion: Optional[str] = None) -> str:
    """One unit explained as text, byte for byte what ``parindex explain`` prints."""

class Round:
    """A round opened for live preview; safe to share between threads."""

    def __init__(self, round: RoundInput) -> None: ...
    @property
    def id(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def score_unit(self, assessment: Union[str, bytes, Mapping[str, Any]]) -> str:
        """The unit's row (JSON text) as the results document holds it; ``rank`` is null."""
    def close(self) -> None: ...
    def __enter__(self) -> "Round": ...
    def __exit__(self, *args: object) -> bool: ...
