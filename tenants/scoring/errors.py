"""The refusal every scoring operation raises: the message is for the person, nothing changed."""


class ScoringError(Exception):
    """Refused; the message says why, in words for the person."""
