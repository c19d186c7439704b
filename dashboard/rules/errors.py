"""The one base of every refusal a person may see."""


class Refused(Exception):
    """A refusal a person may see: the message says why, in plain words.

    Pages and the command line catch this (or one of its kinds) and show the message; any other
    exception is a programming error and is never shown as a polite refusal."""
