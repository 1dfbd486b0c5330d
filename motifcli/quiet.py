"""Keep third-party chatter out of the user's terminal.

music21 prints some warnings straight to ``sys.stderr`` (``Environment.warn``: "we are out of midi
channels! help!" once per note of a score with more than 15 parts) and raises Python warnings for
odd content; motif's contract is one line per problem, so both are swallowed while music21 works.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def library_quiet() -> Iterator[None]:
    """Silence Python warnings and anything written to ``sys.stderr`` inside the block."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield
