"""`python -m dashboard …`: see dashboard/cli.py."""

import sys

from .cli import main

sys.exit(main())
