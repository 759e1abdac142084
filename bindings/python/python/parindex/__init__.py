"""parindex — the PAR Index (Chỉ số CCHC) scoring engine, from Python.

>>> import parindex
>>> results = parindex.score("fixtures/dong-thap-2023")      # JSON text, as `parindex score` prints
>>> with parindex.Round("fixtures/dong-thap-2023") as r:      # live preview
...     row = r.score_unit(open("fixtures/dong-thap-2023/assessments/so-noi-vu.json").read())

A round is a folder path (str or os.PathLike), a round bundle file's path, or a round
bundle's JSON text (a str starting with ``{``, or bytes). Every problem raises
:class:`InvalidInput`, whose ``errors`` are SPEC §10's error objects. See docs/embedding.md.
"""

from ._native import InvalidInput, Round, __version__, explain, score, validate

__all__ = ["InvalidInput", "Round", "__version__", "explain", "score", "validate"]
