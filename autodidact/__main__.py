"""`python -m autodidact COMMAND ...`: the same as the `autodidact` command."""

import sys

from autodidact.cli import main

if __name__ == "__main__":
    sys.exit(main())
