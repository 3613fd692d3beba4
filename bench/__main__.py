"""`python -m bench` (or `make bench`): see bench/__init__.py."""

import sys

from bench.runner import main

sys.exit(main())
