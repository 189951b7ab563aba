"""Run the ``k2nutrition`` command as ``python -m k2nutrition``."""

import sys

from k2nutrition.cli import main

sys.exit(main())
