"""Note-level, transposition-aware motif discovery (pure numpy).

``discover(score)`` splits tracks into voices, keys note-anchored windows by their interval
classes and rhythm, keeps closed repeated patterns, chooses non-redundant ones best first, adds
varied statements, and returns :class:`Family` objects ranked by salience.
"""

from motifcli.discovery.core import discover, discover_voices
from motifcli.discovery.types import DiscoverySettings, Family, NoteRef, Occurrence

__all__ = ["DiscoverySettings", "Family", "NoteRef", "Occurrence", "discover", "discover_voices"]
