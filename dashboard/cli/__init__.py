"""The command line, `python -m dashboard COMMAND`. Exit code 2 means bad input; nothing was
changed."""
