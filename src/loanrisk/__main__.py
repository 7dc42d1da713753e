"""``python -m loanrisk``: the ``loanrisk`` command line (see :mod:`loanrisk.cli`)."""

from loanrisk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
