"""Baselines the note-level discovery must beat: SIA/SIATEC on point sets, and today's bar-level product."""
