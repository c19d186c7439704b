"""`python -m dashboard …`: see dashboard/cli/main.py."""

import sys

from dashboard.cli.main import main

sys.exit(main())
