"""`python -m newsarchive` runs the command line."""

import sys

from newsarchive.entry import run

sys.exit(run())
